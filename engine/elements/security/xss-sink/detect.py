"""Report HTML built from non-constant values and written where the browser will parse it."""

import re

from cpt.engine.analysis import Hit
from cpt.engine.extract import node_text
from cpt.engine.roles.security_roles import (
    Taint,
    calls_named,
    constant_value,
    enclosing_function,
    go_import_name,
    positional,
    python_aliases,
    qualified,
)

_SANITIZED = re.compile(r"(?i)sanitiz|escape|purify|encode|bleach\.clean|\bxss\(|\bclean\(")
_HTML_PROPERTIES = (".innerHTML", ".outerHTML")
_JS_WRITES = {"document.write", "document.writeln", "window.document.write"}
_PY_MARKUP = {"markupsafe.Markup", "flask.Markup", "jinja2.Markup",
              "django.utils.safestring.mark_safe", "django.utils.safestring.SafeString",
              "django.utils.html.mark_safe"}
_PY_NAMES = {"Markup", "mark_safe", "SafeString", "SafeText"}
_GO_TYPES = {"HTML", "JS", "CSS", "HTMLAttr", "URL", "JSStr", "Srcset"}
_JAVA_WRITES = {"write", "print", "println", "printf", "format", "append"}


def detect(ctx):
    finder = {"python": _python, "javascript": _javascript, "typescript": _javascript,
              "java": _java, "go": _go}.get(ctx.language)
    if finder is not None:
        yield from finder(ctx)


def check(ctx, captures):
    """`dangerouslySetInnerHTML={...}`: reported unless its `__html` is constant or sanitized."""
    value = captures["value"][0]
    inner = value.named_children[0] if value.named_children else None
    if inner is None:
        return None
    if inner.type == "object":
        pairs = [pair for pair in inner.named_children if pair.type == "pair"
                 and node_text(pair.child_by_field_name("key")).strip("'\"") == "__html"]
        if len(pairs) != 1:
            return None
        inner = pairs[0].child_by_field_name("value")
    if inner is None or not _unsafe(ctx, inner, enclosing_function(ctx.module, inner)):
        return None
    return Hit(captures["match"][0], args={"sink": "dangerouslySetInnerHTML"})


def _unsafe(ctx, node, function):
    return not constant_value(ctx, node, function) and not _SANITIZED.search(node_text(node))


def _javascript(ctx):
    for function, assignment in _assignments(ctx.module):
        if assignment.target.endswith(_HTML_PROPERTIES) and assignment.value is not None:
            if _unsafe(ctx, assignment.value, function):
                sink = assignment.target.rsplit(".", 1)[-1]
                yield Hit(assignment.span, args={"sink": sink})
    names = {"insertAdjacentHTML", *(write.rsplit(".", 1)[-1] for write in _JS_WRITES)}
    for function, call in calls_named(ctx.module, names):
        if call.callee in _JS_WRITES and call.args:
            value = call.args[0]
        elif call.name == "insertAdjacentHTML" and len(call.args) == 2:
            value = call.args[1]
        else:
            continue
        if _unsafe(ctx, value, function):
            yield Hit(call.span, args={"sink": call.callee})


def _python(ctx):
    aliases = python_aliases(ctx)
    for function, call in calls_named(ctx.module, _PY_NAMES):
        if call.name not in _PY_NAMES:
            continue
        full = qualified(call.callee, aliases)
        if full not in _PY_MARKUP and call.callee not in _PY_NAMES:
            continue
        args = positional(call)
        if len(args) == 1 and _unsafe(ctx, args[0], function) and not _renders(args[0]):
            yield Hit(call.span, args={"sink": call.callee})


def _renders(node):
    """A template renderer's output is escaped already."""
    text = node_text(node)
    return text.startswith(("render_template", "render_to_string", "render(", "format_html"))


def _go(ctx):
    name = go_import_name(ctx, "html/template")
    if name is None:
        return
    for function, call in calls_named(ctx.module, _GO_TYPES):
        head, _, kind = call.callee.partition(".")
        if head == name and kind in _GO_TYPES and len(call.args) == 1:
            if _unsafe(ctx, call.args[0], function):
                yield Hit(call.span, args={"sink": call.callee})


def _java(ctx):
    for function in ctx.module.functions:
        taint = None
        writers = {item.target for item in function.assignments
                   if item.value_text.endswith(".getWriter()")}
        for call in function.calls:
            receiver, _, name = call.callee.rpartition(".")
            if name not in _JAVA_WRITES or not call.args:
                continue
            if not (receiver.endswith(".getWriter()") or receiver in writers):
                continue
            taint = taint if taint is not None else Taint(ctx, function, _SANITIZED)
            text = " ".join(node_text(arg) for arg in call.args)
            if taint.carries(text) and not _SANITIZED.search(text):
                yield Hit(call.span, args={"sink": f"{call.callee}"})


def _assignments(module):
    for assignment in module.assignments:
        yield None, assignment
    for function in module.functions:
        for assignment in function.assignments:
            yield function, assignment
