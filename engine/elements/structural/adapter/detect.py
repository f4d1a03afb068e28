"""Recognize an Adapter by its roles, never by its names.

A class implements a type declared in the file by handing every operation of it to an object
it holds, calling that object's differently named operations. The held object is not of the
implemented type (that would be a Decorator or a Proxy), and it is a fixed part of the class,
not an optional next link (a Chain of Responsibility).
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.structural_roles import (
    CONTAINERS,
    base_name,
    held_objects,
    index,
    same_type_wrappers,
    text,
    translates,
)

_VALUES = frozenset({
    "str", "bytes", "int", "float", "bool", "dict", "list", "tuple", "set", "string", "number",
    "boolean", "String", "Integer", "Long", "Double", "Boolean", "Pattern", "RegExp", "Date",
    "Path", "Duration", "time", "Time", "byte", "rune",
})


def detect(ctx):
    module = ctx.module
    types = index(module)
    wrappers = {id(wrapper.klass) for wrapper in same_type_wrappers(module)}
    for klass in module.classes:
        if klass.kind == "interface" or id(klass) in wrappers:
            continue
        contract = types.contract(klass)
        if not contract:
            continue
        found = _adaptee(module, types, klass, contract)
        if found is not None:
            held, target, calls = found
            yield Hit(klass.name_span, confidence=0.75, args={
                "name": klass.name, "target": target, "field": held.field,
                "calls": ", ".join(sorted(calls)[:4]),
            })


def _adaptee(module, types, klass, contract):
    """The one held object every implemented operation is translated to, if there is one."""
    implemented = {method.name for method in klass.methods if method.name in contract}
    if not implemented:
        return None
    for held in held_objects(module, klass):
        # The tests of its uses first: where it comes from is read from the class's methods.
        if held.operations() & contract:
            continue  # the same type wrapped
        translating = {use.method.name for use in held.uses if use.method.name in implemented}
        if translating != implemented:
            continue
        if held.nullable or held.origin is None:
            continue  # optional link, unknown source
        if _same_family(types, klass, held) or base_name(held.declared_type) in _VALUES:
            continue  # a relative of the class, or a plain value (`self.text_format.format()`)
        if not _known_object(module, held) or not any(translates(use) for use in held.uses):
            continue
        methods = [method for method in klass.methods if method.name in implemented]
        if _bound_request(methods, held) or any(method.control_count > 1 for method in methods):
            continue  # a Command's execute(), or logic of its own (a Mediator, a service)
        target = next(parent.name for parent in types.supers[id(klass)]
                      if implemented & types.ops.get(id(parent), set()))
        return held, target, held.operations()
    return None


def _known_object(module, held):
    """The adaptee is an object with methods: typed or created as a class, not a container.

    Untyped code must call two or more of its operations for it to count as an interface.
    """
    kind = base_name(held.declared_type) or held.created or ""
    if kind in CONTAINERS or kind in _VALUES:
        return False
    return bool(kind) or len(held.operations()) >= 2


def _bound_request(methods, held):
    """Operations without parameters that only fire the held object: a Command's execute().

    An adapter of a parameterless operation computes its answer (`(raw - 32) * 5 / 9`).
    """
    calls = {text(use.call.node).strip() for use in held.uses}
    for method in methods:
        if [param for param in method.params if param.name not in ("self", "this")]:
            return False
        if any(ret.text and ret.text.strip() not in calls for ret in method.returns):
            return False
    return True


def _same_family(types, klass, held):
    """A held object declared as the class's own type or a relative of it."""
    held_type = types.by_name.get(base_name(held.declared_type))
    if held_type is None:
        return False
    family = {id(klass)} | {id(parent) for parent in types.supers.get(id(klass), ())}
    return id(held_type) in family or any(
        id(parent) in family for parent in types.supers.get(id(held_type), ()))
