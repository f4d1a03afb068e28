"""Report handlers that catch everything and do not re-raise."""

import re

from cpt.engine.analysis import Hit

_ROOTS = {
    "python": {"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"},
    "java": {"Exception", "Throwable", "java.lang.Exception", "java.lang.Throwable"},
}
_RERAISE = re.compile(r"^\s*(raise|throw)\b", re.MULTILINE)


def detect(ctx):
    roots = _ROOTS.get(ctx.language)
    if roots is None:
        return
    handlers = list(ctx.module.handlers)
    for function in ctx.module.functions:
        handlers.extend(function.handlers)
    for handler in handlers:
        bare = not handler.types
        broad = [name for name in handler.types if name in roots]
        if not (bare or broad):
            continue
        body = ctx.text(handler.span)
        if _RERAISE.search(body):
            continue  # catching to clean up and re-raise is fine
        keyword = "catch" if ctx.language == "java" else "except"
        caught = "except:" if bare else f"{keyword} {broad[0]}"
        first_line_end = ctx.source.find(b"\n", handler.span.start_byte)
        if first_line_end == -1 or first_line_end > handler.span.end_byte:
            first_line_end = handler.span.end_byte
        yield Hit(
            _head(handler, first_line_end), args={"caught": caught},
            data={"bare": bare},
        )


def _head(handler, end_byte):
    from cpt.engine.positions import Span

    span = handler.span
    end = (span.start[0], span.start[1] + end_byte - span.start_byte)
    return Span(span.start_byte, end_byte, span.start, end)
