"""Report functions longer than both the line and the statement thresholds."""

from cpt.engine.analysis import Hit


def detect(ctx):
    max_lines = ctx.threshold("long-method-lines")
    max_statements = ctx.threshold("long-method-statements")
    for function in ctx.module.functions:
        if function.lines > max_lines and function.statements > max_statements:
            yield Hit(function.name_span, args={
                "name": function.qualified_name, "lines": function.lines,
                "statements": function.statements, "limit": int(max_lines),
            })
