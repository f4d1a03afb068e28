"""Recognize an Object Pool by its roles: objects taken out, made when none is free, given back.

A class keeps a collection field; one method removes an object from it (or creates a new one
when it is empty) and returns it; another method puts an object it receives back into the same
collection. A stack or a queue moves items in and out too, but never makes the items itself.
Go's `sync.Pool` is the pool of the standard library.
"""

import re

from cpt.engine.analysis import Hit
from cpt.engine.extract import node_text
from cpt.engine.roles.creational_roles import own_field, receiver_names, strip_parens

_TAKE = frozenset({"pop", "popleft", "shift", "poll", "pollFirst", "pollLast", "removeFirst",
                   "removeLast", "take", "get_nowait", "popitem"})
_GIVE = frozenset({"append", "appendleft", "push", "unshift", "add", "offer", "offerFirst",
                   "offerLast", "addFirst", "addLast", "put", "put_nowait", "push_back"})
_THROWN = frozenset({"raise_statement", "throw_statement", "throw_expression"})


def detect(ctx):
    module = ctx.module
    for klass in module.classes:
        if len(klass.methods) < 2:
            continue
        given = _given_back(ctx, klass)
        if not given:
            continue
        for method in klass.methods:
            if method.is_constructor or not method.returns or _required_params(method):
                continue
            taken = _taken_from(ctx, method) & given.keys()
            if taken and _hands_out_taken(ctx, method, taken) and _creates(ctx, method, taken):
                storage = sorted(taken)[0]
                yield Hit(klass.name_span, args={
                    "name": klass.name, "storage": storage, "acquire": method.name,
                    "release": given[storage]})
                break


def _pool_field(ctx, text, method, receivers):
    """The class's own field named by `text` (Java names its fields without `this.`)."""
    field = own_field(text, receivers)
    if field is None and ctx.language == "java" and method.owner is not None and (
            method.owner.field_named(text.strip())):
        field = text.strip()
    return field


def _given_back(ctx, klass):
    """Collection fields that some method fills with an object it was handed: {field: method}."""
    found = {}
    for method in klass.methods:
        params = {param.name for param in method.params}
        receivers = receiver_names(method)
        if len(params - receivers) != 1:
            continue  # a release takes back the one object it is handed
        for call in method.calls:
            if call.name in _GIVE and call.args:
                field = _pool_field(ctx, call.callee.rsplit(".", 1)[0], method, receivers)
                argument = call.args[-1].text.decode("utf-8", "replace").strip()
                if field is not None and argument in params:
                    found.setdefault(field, method.name)
        if ctx.language == "go":
            for field in _go_given(ctx, method, receivers, params):
                found.setdefault(field, method.name)
    return found


def _go_given(ctx, method, receivers, params):
    """Go gives back with a channel send (`p.free <- c`) or `p.free = append(p.free, c)`."""
    for assignment in method.assignments:
        field = own_field(assignment.target, receivers)
        match = re.match(r"^append\s*\(\s*([\w.]+)\s*,\s*(\w+)\s*\)$", assignment.value_text)
        if field is not None and match and match.group(1) == assignment.target and (
                match.group(2) in params):
            yield field
    if method.node is not None:
        for receiver, field, value in re.findall(r"\b(\w+)\.(\w+)\s*<-\s*(\w+)",
                                                 ctx.text(method.node)):
            if receiver in receivers and value in params:
                yield field


def _taken_from(ctx, method):
    """Collection fields this method removes an object from."""
    receivers = receiver_names(method)
    taken = set()
    keys = {param.name for param in method.params}
    for call in method.calls:
        if call.name in _TAKE:
            field = _pool_field(ctx, call.callee.rsplit(".", 1)[0], method, receivers)
            first = call.args[0].text.decode("utf-8", "replace") if call.args else ""
            if field is not None and first not in keys:  # `pop(key)` is a lookup, not a take
                taken.add(field)
    if ctx.language == "go" and method.node is not None:
        text = ctx.text(method.node)
        taken.update(field for receiver, field in re.findall(r"<-\s*(\w+)\.(\w+)", text)
                     if receiver in receivers)
        for assignment in method.assignments:  # `p.free = p.free[:n-1]` after reading the last
            field = own_field(assignment.target, receivers)
            if field is not None and re.match(rf"{re.escape(assignment.target)}\s*\[\s*:",
                                              assignment.value_text):
                taken.add(field)
    return taken


def _creates(ctx, method, pool_fields):
    """The method makes a fresh object, and hands it out, when the pool has none to give."""
    receivers = receiver_names(method)
    locals_ = {param.name for param in method.params} | {a.target for a in method.assignments}
    returned = [strip_parens(ret.text) for ret in method.returns if ret.text]
    for call in method.calls:
        if call.node is None or _thrown(call):
            continue
        holder = call.callee.rsplit(".", 1)[0] if "." in call.callee else ""
        if _pool_field(ctx, holder, method, receivers) in pool_fields:
            continue  # reading the pool itself
        root = call.callee.split(".", 1)[0]
        if root in locals_ and root not in receivers:
            continue  # working on an object it already has
        text = node_text(call.node)
        if any(text in value for value in returned) or any(
                assignment.target in returned and assignment.value_text == text
                for assignment in method.assignments):
            return True
    return False


def _required_params(method):
    """An acquire is asked for "an object", not for a particular one: no required arguments."""
    receivers = receiver_names(method)
    return [param for param in method.params
            if param.name not in receivers and param.default is None]


def _hands_out_taken(ctx, method, pool_fields):
    """Some return gives out the object taken from the pool (directly or through a local)."""
    receivers = receiver_names(method)
    from_pool = set()
    for assignment in method.assignments:
        if _mentions_pool(ctx, assignment.value_text, method, receivers, pool_fields):
            from_pool.add(assignment.target)
    if ctx.language == "go" and method.node is not None:
        from_pool.update(re.findall(r"(\w+)\s*:?=\s*<-", ctx.text(method.node)))
    for ret in method.returns:
        value = strip_parens(ret.text)
        if from_pool & set(re.findall(r"[\w$#]+", value)) or _mentions_pool(
                ctx, value, method, receivers, pool_fields):
            return True
    return False


def _mentions_pool(ctx, text, method, receivers, pool_fields):
    """`self._free.pop()`, `idle.poll()`, `x.a[n-1]`: a value read out of the pool."""
    for field in pool_fields:
        for holder in [f"{name}.{field}" for name in receivers] + (
                [field] if ctx.language == "java" else []):
            if re.search(rf"(?<![\w.$#]){re.escape(holder)}\s*(?:\.\s*\w+\s*\(|\[)", text):
                return True
    return False


def _thrown(call):
    """`raise Empty()` / `throw new Error()` signals an empty pool; it does not fill one."""
    node = call.node.parent if call.node is not None else None
    for _ in range(3):
        if node is None:
            return False
        if node.type in _THROWN:
            return True
        node = node.parent
    return False


def check(ctx, captures):
    """A `sync.Pool{...}` literal: Get hands out a pooled object, Put gives it back."""
    node = captures["match"][0]
    return Hit(node, args={"name": "sync.Pool", "storage": "its free list", "acquire": "Get",
                           "release": "Put"})
