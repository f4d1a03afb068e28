"""Report classes with too many methods and too many fields or lines."""

from cpt.engine.analysis import Hit


def detect(ctx):
    max_methods = ctx.threshold("god-class-methods")
    max_fields = ctx.threshold("god-class-fields")
    max_lines = ctx.threshold("god-class-lines")
    for klass in ctx.module.classes:
        if klass.kind == "interface":
            continue
        methods = len(klass.methods)
        if methods > max_methods and (len(klass.fields) > max_fields or klass.lines > max_lines):
            yield Hit(klass.name_span, args={
                "name": klass.name, "methods": methods, "fields": len(klass.fields),
                "lines": klass.lines,
            })
