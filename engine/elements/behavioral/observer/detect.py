"""Recognize an Observer subject by its three roles.

A listener collection, a method that adds its parameter to it, and a method that loops over
the collection calling each listener.
"""

import re

from cpt.engine.analysis import Hit

_ADD = {"append", "add", "push", "insert", "put", "set", "addElement", "unshift", "extend"}
_LOOP_VARIABLE = [
    re.compile(r"^\s*for\s+(\w+)\s+in\s+(?:list\()?\s*(?:self|cls|this)?\.?([\w]+)"),
    re.compile(r"^\s*for\s*\(\s*(?:const|let|var|final)?\s*(?:[\w<>?,\s]+\s)?(\w+)\s*(?:of|:)\s*"
               r"(?:this\.)?([\w]+)"),
    re.compile(r"^\s*for\s+(?:_|\w+)\s*,\s*(\w+)\s*:?=\s*range\s+(?:\w+\.)?([\w]+)"),
]
_BRACKETS = re.compile(r"\[[^\[\]]*\]|\([^()]*\)")
_FOREACH = re.compile(
    r"(?:(?:self|this|\w+)\.)?(\w+)\.forEach\s*\("
    r"\s*(?:\(?\s*(?!function\b)(\w+)|function\s*\(\s*(\w+))"
)


def detect(ctx):
    for klass in ctx.module.classes:
        collections = {field.name for field in klass.fields if field.value_kind in (
            "list", "dict", "set", "new", "call", None) or field.value_kind == "other"}
        if not collections:
            continue
        registered = _registrations(klass, collections)
        if not registered:
            continue
        for method in klass.methods:
            notified = _notifies(ctx, method, set(registered))
            if notified is not None:
                register = registered[notified]
                yield Hit(klass.name_span, args={
                    "name": klass.name, "register": register, "notify": method.name,
                    "field": notified,
                })
                break


def _registrations(klass, collections):
    found = {}
    for method in klass.methods:
        params = {param.name for param in method.params}
        for call in method.calls:
            # `self._handlers[event].append`, `self.subs.setdefault(key, []).append`: the
            # collection is the nearest segment before the add, subscripts and calls removed.
            callee = call.callee
            while ("(" in callee or "[" in callee) and _BRACKETS.search(callee):
                callee = _BRACKETS.sub("", callee)
            parts = callee.split(".")
            if len(parts) < 2 or parts[-1] not in _ADD:
                continue
            holder = next((part for part in reversed(parts[:-1]) if part in collections), None)
            if holder is not None and any(arg.text.decode("utf-8", "replace") in params
                                             for arg in call.args):
                found.setdefault(holder, method.name)
        for assignment in method.assignments:
            # Go: `s.observers = append(s.observers, o)`
            if not assignment.value_text.startswith("append("):
                continue
            holder = _BRACKETS.sub("", assignment.target).rsplit(".", 1)[-1]
            args = assignment.value.child_by_field_name("arguments") if (
                assignment.value is not None) else None
            if holder in collections and args is not None and any(
                    arg.text.decode("utf-8", "replace") in params
                    for arg in args.named_children[1:]):
                found.setdefault(holder, method.name)
    return found


def _calls_within(module, method):
    """The calls of a method and of the functions written inside it (forEach lambdas)."""
    span = method.span
    for function in module.functions:
        if function is method or (span.start_byte <= function.span.start_byte
                                  and function.span.end_byte <= span.end_byte):
            yield from function.calls


def _notification_calls(ctx, method):
    """The calls that may notify a listener inside a method."""
    if ctx.language not in ("java", "go", "javascript", "typescript"):
        return method.calls
    # A notification's result is dropped (`listener.onPrice(...)`, also inside a forEach
    # lambda); getters read while looping (`item.price()` summed up) are not notifications.
    return [call for call in _calls_within(ctx.module, method)
            if call.node is not None and call.node.parent is not None
            and call.node.parent.type in ("expression_statement", "lambda_expression",
                                          "arrow_function")]


def _notifies(ctx, method, collections):
    names = [name.lstrip("#") for name in collections]
    start, end = method.span.start_byte, method.span.end_byte
    if all(name.isascii() for name in names) and not any(
            ctx.source.find(name.encode(), start, end) != -1 for name in names):
        return None  # most methods never touch the listener collection: skip them unread
    text = ctx.text(method.span)
    if not any(name in text for name in names):
        return None
    found = []  # the calls are gathered only once a loop over a collection is seen

    def calls():
        if not found:
            found.append(_notification_calls(ctx, method))
        return found[0]

    for line in text.splitlines() if "for" in text else ():
        if "for" not in line:
            continue  # every _LOOP_VARIABLE pattern starts with `for`
        for pattern in _LOOP_VARIABLE:
            match = pattern.match(line)
            if match and match.group(2) in collections:
                variable = match.group(1)
                if any(call.callee == variable or call.callee.startswith(variable + ".")
                       for call in calls()):
                    return match.group(2)
    # Every _FOREACH match holds `.forEach`; the search itself is slow on long texts.
    for match in _FOREACH.finditer(text) if ".forEach" in text else ():
        if match.group(1) in collections or "#" + match.group(1) in collections:  # JS #private
            variable = match.group(2) or match.group(3)
            if variable and any(call.callee == variable or call.callee.startswith(variable + ".")
                                for call in calls()):
                return match.group(1) if match.group(1) in collections else "#" + match.group(1)
    return None
