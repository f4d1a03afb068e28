"""Report eval/exec/new Function (and string timers) run on non-constant text."""

from cpt.engine.analysis import Hit
from cpt.engine.roles.security_roles import calls_named
from cpt.engine.values import is_constant

_RUNNERS = {
    "python": {"eval", "exec", "compile", "builtins.eval", "builtins.exec"},
    "javascript": {"eval", "window.eval", "globalThis.eval", "Function", "setTimeout",
                   "setInterval", "window.setTimeout", "window.setInterval", "vm.runInThisContext",
                   "vm.runInNewContext"},
}
_TIMERS = {"setTimeout", "setInterval"}
# The last segment of every runner: only calls of these names are looked at.
_NAMES = {language: {runner.rsplit(".", 1)[-1] for runner in runners}
          for language, runners in _RUNNERS.items()}


def detect(ctx):
    language = "python" if ctx.language == "python" else "javascript"
    runners = _RUNNERS[language]
    for function, call in calls_named(ctx.module, _NAMES[language]):
        if call.callee not in runners or not call.args:
            continue
        first = call.args[0]
        if call.name in _TIMERS and first.type not in ("identifier", "binary_expression",
                                                       "template_string", "string"):
            continue  # a callback, not text
        if call.callee == "Function" and not call.is_new and ctx.language != "python":
            pass
        if call.callee == "Function":
            body = call.args[-1]
            if is_constant(body, function):
                continue
        elif is_constant(first, function):
            continue
        if call.name in _TIMERS and first.type == "identifier" and function is not None:
            continue  # usually a function reference; only literal-built text is reported
        yield Hit(call.span, args={"callee": ("new " if call.is_new else "") + call.callee})

