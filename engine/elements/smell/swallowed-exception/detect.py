"""Report handlers whose body does nothing with the error they caught."""

from cpt.engine.analysis import Hit


def detect(ctx):
    handlers = list(ctx.module.handlers)
    for function in ctx.module.functions:
        handlers.extend(function.handlers)
    for handler in handlers:
        if handler.body_is_silent:
            yield Hit(handler.span, data={"statements": handler.body_statements})
