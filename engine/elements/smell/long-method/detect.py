"""Report functions longer than both the line and the statement thresholds."""

from cpt.engine.analysis import Hit


def detect(ctx):
    max_lines = ctx.threshold("long-method-lines")
    max_statements = ctx.threshold("long-method-statements")
    functions = ctx.module.functions
    count = ctx.source.count
    for function in functions:
        span = function.span
        # A function's rows are the line feeds it spans (as tree-sitter counts them): counting
        # bytes is much cheaper than reading each function's points from the tree.
        if count(b"\n", span.start_byte, span.end_byte) + 1 <= max_lines:
            continue
        if function.lines <= max_lines:
            continue
        # Functions written inside (handlers, callbacks) are their own units, not its length.
        own_lines = function.lines - sum(
            inner.lines for inner in _directly_nested(function, functions))
        if own_lines > max_lines and function.statements > max_statements:
            yield Hit(function.name_span, args={
                "name": function.qualified_name, "lines": function.lines,
                "statements": function.statements, "limit": int(max_lines),
            })


def _directly_nested(function, functions):
    """Functions inside `function` that are not inside another of its inner functions."""
    span = function.span
    inner = [other for other in functions if other is not function
             and span.start_byte <= other.span.start_byte and other.span.end_byte <= span.end_byte]
    return [other for other in inner if not any(
        outer is not other and outer.span.start_byte <= other.span.start_byte
        and other.span.end_byte <= outer.span.end_byte for outer in inner)]
