"""Report functions with more parameters than the threshold (self, cls, receivers excluded)."""

from cpt.engine.analysis import Hit

_IMPLICIT = {"self", "cls", "this"}


def detect(ctx):
    limit = ctx.threshold("max-parameters")
    for function in ctx.module.functions:
        params = [param for param in function.params if param.name not in _IMPLICIT]
        if len(params) > limit:
            yield Hit(function.name_span, args={
                "name": function.qualified_name, "count": len(params), "limit": int(limit),
            })
