"""Recognize a Mediator by its roles across the module, never by names.

Colleagues: two or more classes that hold a reference to the mediator and report to it by passing
themselves (`self.mediator.notify(self, "click")`). The mediator: a class of the same module that
writes that method and, in it, acts on other objects it knows (its fields, or the colleagues it
loops over). A subject that only stores whoever passes itself (`attach(self)`) is an Observer's.
"""

import re

from cpt.engine.analysis import Hit
from cpt.engine.roles.behavioral_a_roles import (
    bare_fields,
    is_constructor,
    member_path,
    nested_functions,
    node_text,
    own_fields,
    receivers,
)

_COLLECTION_OPS = frozenset({
    "append", "add", "push", "insert", "put", "set", "extend", "remove", "discard", "delete",
    "pop", "splice", "unshift", "addElement", "removeElement", "clear", "get", "has",
    "contains", "containsKey", "setdefault", "index", "indexOf", "includes",
})


def detect(ctx):
    module = ctx.module
    if len(module.classes) < 3:
        return  # a mediator and two colleagues at the least
    reports = _reports_by_method(ctx, module)
    for method_name, colleagues in reports.items():
        if len(colleagues) < 2:
            continue
        for klass in module.classes:
            if klass.kind == "interface" or klass.name in colleagues:
                continue
            method = next((item for item in klass.methods if item.name == method_name), None)
            if method is not None and _acts_on_others(ctx, module, klass, method):
                names = sorted(colleagues)
                yield Hit(klass.name_span, args={
                    "name": klass.name, "method": method_name, "count": len(names),
                    "colleagues": ", ".join(names[:4]),
                })


def _reports_by_method(ctx, module):
    """Method name -> classes that call it on a held object, passing themselves."""
    reports = {}
    for klass in module.classes:
        if klass.kind == "interface":
            continue
        bare = (bare_fields(ctx, own_fields(klass, ctx.module)) if ctx.language == "java"
                else frozenset())
        for method in klass.methods:
            selves = None  # read for the first call that passes the string tests
            for call in method.calls:
                callee = call.callee
                if "." not in callee:
                    continue  # string tests first: the argument list is read from the tree
                if "(" not in callee and "[" not in callee:
                    # `member_path` keeps every dot: two steps are `self.a.b` or Java's `a.b`.
                    dots = callee.count(".")
                    if dots != 2 and (dots != 1 or not bare):
                        continue
                if selves is None:
                    selves = receivers(method)
                path = member_path(callee, selves, bare)
                if (not path or len(path) != 2 or path[1] in _COLLECTION_OPS
                        or call.arguments is None):
                    continue
                if any(node_text(arg) in selves for arg in call.args):
                    reports.setdefault(path[1], set()).add(klass.name)
    return reports


def _acts_on_others(ctx, module, klass, method):
    """The method calls objects it knows: its fields, or colleagues it loops over.

    A mediator decides who reacts (a branch or a loop); answering only the sender, or storing
    it in a collection, is not mediating.
    """
    if is_constructor(method) or method.is_static:
        return False
    selves = receivers(method)
    params = {param.name for param in method.params} - selves
    fields = own_fields(klass, ctx.module)
    if not params or not fields:
        return False
    if not any(function.control_count for function in nested_functions(module, method)):
        return False  # it decides nothing: a callback that formats or stores its sender
    bare = bare_fields(ctx, fields)
    text = ctx.text(method.span)
    for function in nested_functions(module, method):
        for call in function.calls:
            path = member_path(call.callee, selves, bare)
            if path is not None:
                if len(path) >= 2 and path[0] in fields and path[-1] not in _COLLECTION_OPS:
                    return True
                continue
            parts = call.callee.replace("?.", ".").split(".")
            if len(parts) == 2 and parts[0] not in params and _loop_variable(text, parts[0]):
                return True
    return False


def _loop_variable(text, name):
    """`for u in self.users`, `for (const u of this.users)`, `for _, u := range`, `forEach(u =>`."""
    word = re.escape(name)
    return re.search(
        rf"\bfor\s*\(?\s*(?:const\s+|let\s+|var\s+|final\s+)?(?:[\w<>?,]+\s+)?{word}\s+(?:in|of)\b"
        rf"|\bfor\s*\(\s*(?:final\s+)?[\w<>?,]+\s+{word}\s*:"
        rf"|\bfor\s+\w+\s*,\s*{word}\s*:=\s*range\b"
        rf"|\.forEach\(\s*\(?\s*{word}\b", text) is not None
