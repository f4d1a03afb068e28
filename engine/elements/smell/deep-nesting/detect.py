"""Report functions whose control flow nests deeper than the threshold, at the deepest point."""

from cpt.engine.analysis import Hit


def detect(ctx):
    limit = ctx.threshold("max-nesting")
    for function in ctx.module.functions:
        if function.max_nesting > limit and function.deepest is not None:
            yield Hit(function.name_span, args={
                "name": function.qualified_name, "depth": function.max_nesting, "limit": int(limit),
            })
