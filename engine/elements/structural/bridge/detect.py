"""Recognize a Bridge by its roles, never by its names.

Two hierarchies joined by a field: an abstraction (a class with refinements, or a type with
several implementations) keeps an implementor it receives from outside, and its operations call
the implementor's operations; the implementor type has two or more implementations. A context
without refinements is a Strategy; a wrapper of its own type is a Decorator or Proxy.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.structural_roles import (
    Held,
    base_name,
    fill_origin,
    held_objects,
    index,
    self_names,
    text,
)


def detect(ctx):
    module = ctx.module
    if len(module.classes) < 4:
        return  # two abstractions or one and a refinement, an implementor type and two of it
    types = index(module)
    implementors = _implementor_types(module, types)
    if not implementors:
        return
    for abstraction, refined in _abstractions(module, types):
        found = _bridged(module, types, abstraction, refined, implementors)
        if found is not None:
            field, implementor, members = found
            yield Hit(abstraction.name_span, confidence=0.8, args={
                "name": abstraction.name, "field": field, "implementor": implementor.name,
                "refined": ", ".join(klass.name for klass in refined[:3]),
                "members": ", ".join(klass.name for klass in members[:3]),
            })


def _implementor_types(module, types):
    """In-file types with two or more concrete implementations, by operation name."""
    by_operation = {}
    for klass in module.classes:
        members = types.implementations(klass)
        if len(members) >= 2:
            for operation in types.ops.get(id(klass), ()):
                by_operation.setdefault(operation, []).append((klass, members))
    return by_operation


def _abstractions(module, types):
    """(abstraction, refinements): a class with subclasses, or an interface's implementations."""
    for klass in module.classes:
        refined = types.subs.get(klass.name, [])
        if not refined:
            continue
        if klass.kind == "interface" or (module.language == "go" and klass.kind != "struct"):
            members = types.implementations(klass)
            if len(members) >= 2:
                yield klass, members
        else:
            yield klass, refined
    if module.language == "go":
        for klass in module.classes:
            if klass.kind == "interface" and len(types.implementations(klass)) >= 2:
                yield klass, types.implementations(klass)


def _bridged(module, types, abstraction, refined, implementors):
    holders = refined if abstraction.kind == "interface" else [abstraction, *refined]
    uses = {}
    for klass in holders:
        for held in held_objects(module, klass):
            uses.setdefault(held.field, []).append(held)
    for field, helds in uses.items():
        called = set().union(*(held.operations() for held in helds))
        for operation in sorted(called):
            for implementor, members in implementors.get(operation, ()):
                if _related(types, implementor, [abstraction, *refined]) or _callback(helds):
                    continue
                if not called <= types.ops.get(id(implementor), set()) or not _declared_as(
                        helds, implementor):
                    continue  # the field is used through more than the implementor type
                if not _injected(module, abstraction, refined, field, helds):
                    continue
                if abstraction.kind == "interface" and len(helds) < 2:
                    continue  # several abstractions must hold the implementor
                return field, implementor, members
    return None


def _related(types, implementor, classes):
    """The abstraction side shares a type with the implementor (a wrapper, a composite)."""
    family = {id(implementor)} | {id(parent) for parent in types.supers.get(id(implementor), ())}
    return any(({id(klass)} | {id(parent) for parent in types.supers.get(id(klass), ())}) & family
               for klass in classes)


def _declared_as(helds, implementor):
    declared = {base_name(held.declared_type) for held in helds} - {""}
    return not declared or declared == {implementor.name}


def _callback(helds):
    """The abstraction hands itself over (`processor.on_end(self)`): an Observer's listener."""
    for held in helds:
        for use in held.uses:
            own = self_names(use.method)
            if any(text(arg) in own for arg in use.call.args):
                return True
    return False


def _injected(module, abstraction, refined, field, helds):
    """The implementor comes from outside, fixed for the object's life."""
    if any(held.nullable or held.origin in ("created", "lazy") for held in helds):
        return False
    if any(held.origin in ("param", "setter") for held in helds):
        return True
    held = Held(abstraction, field)  # the base keeps the field its refinements call through
    fill_origin(module, held)
    return held.origin in ("param", "setter") and not held.nullable
