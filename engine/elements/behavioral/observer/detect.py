"""Recognize an Observer subject: a listener collection, a method that adds its parameter to it,
and a method that loops over the collection calling each listener."""

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
_FOREACH = re.compile(r"(?:self|this|\w+)?\.?(\w+)\.forEach\s*\(\s*(?:\(?\s*(\w+)|function\s*\(\s*(\w+))")


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
            while _BRACKETS.search(callee):
                callee = _BRACKETS.sub("", callee)
            parts = callee.split(".")
            if len(parts) < 2 or parts[-1] not in _ADD:
                continue
            holder = next((part for part in reversed(parts[:-1]) if part in collections), None)
            if holder is not None and any(arg.text.decode("utf-8", "replace") in params
                                             for arg in call.args):
                found.setdefault(holder, method.name)
    return found


def _notifies(ctx, method, collections):
    text = ctx.text(method.span)
    for line in text.splitlines():
        for pattern in _LOOP_VARIABLE:
            match = pattern.match(line)
            if match and match.group(2) in collections:
                variable = match.group(1)
                if any(call.callee == variable or call.callee.startswith(variable + ".")
                       for call in method.calls):
                    return match.group(2)
    for match in _FOREACH.finditer(text):
        if match.group(1) in collections:
            variable = match.group(2) or match.group(3)
            if variable and any(call.callee == variable or call.callee.startswith(variable + ".")
                                for call in method.calls):
                return match.group(1)
    return None
