"""Recognize a Flyweight factory by its roles, never by its names.

A function keeps a lasting map (a field, a class or module variable) from a key made of its
arguments to objects it creates from that key, creates one only when the key is new, and hands
out the shared object. Memoized results (not new objects), grouping maps (`new ArrayList<>()`
per key) and a class caching its own instances (a Multiton) are not Flyweights.
"""

import re

from cpt.engine.analysis import Hit
from cpt.engine.roles.structural_roles import (
    CONTAINERS,
    creates,
    is_constructor,
    self_names,
    text,
)

_STORES = frozenset({"set", "put", "putIfAbsent", "setdefault", "computeIfAbsent", "Store",
                     "LoadOrStore"})
_IMPLICIT_LOOKUP = frozenset({"setdefault", "computeIfAbsent", "putIfAbsent", "LoadOrStore"})
_LAMBDAS = frozenset({"lambda", "lambda_expression", "arrow_function", "func_literal",
                      "function_expression"})
_METHOD_REFERENCE = re.compile(r"^\s*([A-Z]\w*)::new\s*$")


def detect(ctx):
    module = ctx.module
    lasting = {assignment.target for assignment in module.assignments}
    for function in module.functions:
        if not function.returns or function.is_constructor:
            continue
        params = {param.name for param in function.params} - self_names(function)
        if not params:
            continue
        found = _pooled(module, function, params, lasting)
        if found is None:
            continue
        pool, created = found
        owner = function.owner
        yield Hit(owner.name_span if owner is not None else function.name_span,
                  confidence=0.8, args={
                      "name": function.qualified_name, "pool": pool, "created": created})


def _pooled(module, function, params, lasting):
    """The lasting pool and the class of the objects it shares, if the function has one."""
    locals_ = _locals(function)
    for pool, key, value, method in _keyed_writes(function):
        if "[" in pool or "]" in key or not _lasting(pool, function, lasting, locals_) or (
                not _from(key, params, locals_)) or not _looked_up(function, pool, method):
            continue
        created = _created(module, value, locals_)
        if created is None or created in CONTAINERS or not _shareable(module, created):
            continue
        owner = function.owner
        if owner is not None and created == owner.name:
            continue  # the class caches its own instances: a Multiton
        if value is not None and not _from(_creation_text(value, locals_), _key_names(
                key, locals_), locals_) and not _METHOD_REFERENCE.match(text(value)):
            continue  # shared objects are made from the key (their intrinsic state)
        return pool, created
    return None


def _shareable(module, name):
    """A class of the file whose objects keep their state and take the rest as arguments.

    Flyweights are immutable (nothing but the constructor writes their fields) and have an
    operation that receives the extrinsic state; a registry of mutable resources or of plain
    records is a Multiton.
    """
    klass = module.class_named(name)
    if klass is None:
        return False
    methods = [function for function in module.functions if function.owner is klass]
    takes_state = False
    for method in methods:
        if is_constructor(method):
            continue
        own = self_names(method)
        if any(assignment.target.split(".")[0] in own and "." in assignment.target
               for assignment in method.assignments):
            return False  # its state changes after construction
        if set(param.name for param in method.params) - own:
            takes_state = True
    return takes_state


def _keyed_writes(function):
    """(pool, key, value node) for `pool[key] = value` and `pool.put(key, value)`."""
    for assignment in function.assignments:
        target = assignment.target
        if target.endswith("]") and "[" in target:
            pool, key = target[:-1].split("[", 1)
            yield pool.strip(), key.strip(), assignment.value, None
    for call in function.calls:
        parts = call.callee.rsplit(".", 1)
        if len(parts) == 2 and parts[1] in _STORES and len(call.args) >= 2:
            yield parts[0], text(call.args[0]), call.args[1], parts[1]


def _key_names(key, locals_):
    """The names a key is made of, through the locals that compute it."""
    names = set(re.findall(r"[A-Za-z_]\w*", key or ""))
    for name in list(names):
        if name in locals_:
            names |= set(re.findall(r"[A-Za-z_]\w*", text(locals_[name])))
    return names


def _looked_up(function, pool, method):
    """The pool is read too: the object is created only when the key is missing."""
    if method in _IMPLICIT_LOOKUP:
        return True
    body = text(function.node)
    return len(re.findall(rf"(?<![\w.]){re.escape(pool)}\b", body)) >= 2


def _locals(function):
    return {assignment.target: assignment.value for assignment in function.assignments
            if "." not in assignment.target and "[" not in assignment.target}


def _lasting(pool, function, lasting, locals_):
    """A map that outlives the call: a field, a class variable or a module variable."""
    parts = pool.split(".")
    if len(parts) == 2:
        owner = function.owner
        return parts[0] in self_names(function) or (owner is not None and parts[0] == owner.name)
    if len(parts) != 1 or pool in locals_:
        return False
    owner = function.owner
    return pool in lasting or (owner is not None and owner.field_named(pool) is not None)


def _from(key, params, locals_):
    """Text that uses an argument, directly or through a local computed from one."""
    names = set(re.findall(r"[A-Za-z_]\w*", key or ""))
    if names & params:
        return True
    return any(text(locals_.get(name)) and set(re.findall(r"[A-Za-z_]\w*", text(
        locals_[name]))) & params for name in names if name in locals_)


def _created(module, value, locals_):
    if value is None:
        return None
    if value.type in _LAMBDAS:
        value = value.child_by_field_name("body") or value
        if value.type in ("block", "statement_block") and value.named_child_count:
            value = value.named_children[-1]
            if value.type == "return_statement" and value.named_child_count:
                value = value.named_children[0]
    reference = _METHOD_REFERENCE.match(text(value))
    if reference:
        return reference.group(1)
    found = creates(module, value)
    if found is None and text(value) in locals_:
        found = creates(module, locals_[text(value)])
    return found


def _creation_text(value, locals_):
    if text(value) in locals_:
        return text(locals_[text(value)])
    return text(value)
