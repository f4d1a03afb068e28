"""Recognize a Facade by its roles, never by its names.

A class builds the parts of a subsystem itself (three or more objects of different classes,
created in its constructor or field initializers) and offers operations that each drive
several of those parts in order, so callers never meet the parts. Receiving the parts from
outside is ordinary dependency injection; parts that are handed the class itself talk back to
it, which is a Mediator.
"""

import re

from cpt.engine.analysis import Hit
from cpt.engine.roles.structural_roles import (
    CONTAINERS,
    collection_fields,
    creates,
    held_objects,
    index,
    is_constructor,
    self_names,
    text,
)

_MIN_PARTS = 3
_GO_CREATION = re.compile(r"^\s*&?([A-Za-z_]\w*)\s*\{")


def detect(ctx):
    module = ctx.module
    if len(module.classes) < 2:
        return
    types = index(module)
    for klass in module.classes:
        if klass.kind == "interface" or len(klass.fields) < _MIN_PARTS:
            continue
        parts = _parts(module, klass)
        if len(set(parts.values())) < _MIN_PARTS:
            continue
        coordinated = _coordinating_method(module, klass, parts)
        if coordinated is None or _in_family_with(types, klass, parts):
            continue
        method, used = coordinated
        yield Hit(klass.name_span, confidence=0.75, args={
            "name": klass.name, "count": len(parts),
            "parts": ", ".join(sorted(set(parts.values()))[:5]),
            "operation": method.name, "used": ", ".join(sorted(used)),
        })


def _parts(module, klass):
    """Field -> class, for the objects the class creates itself in its constructor."""
    found = {}
    helds = held_objects(module, klass)
    if len(helds) < _MIN_PARTS and module.language != "go":
        return found  # too few to be the parts: their origins are not read
    lists = None  # read once a created part is found (most classes create none)
    for held in helds:
        if held.origin == "created" and held.created not in (None, *CONTAINERS):
            if lists is None:
                lists = collection_fields(module, klass)
            if held.field not in lists:
                found[held.field] = held.created
    if module.language == "go":
        found.update(_go_literal_parts(module, klass))
    return found


def _go_literal_parts(module, klass):
    """`&Facade{db: &DB{}, cache: NewCache()}` in a function of the file."""
    found = {}
    functions = {function.name: function for function in module.top_level_functions}
    for function in module.top_level_functions:
        for call in function.calls:
            if not call.is_new or call.callee != klass.name or call.arguments is None:
                continue
            for element in call.arguments.named_children:
                if element.type != "keyed_element" or element.named_child_count < 2:
                    continue
                key, value = element.named_children[0], element.named_children[-1]
                value = value.named_children[0] if value.named_child_count == 1 and (
                    value.type == "literal_element") else value
                created = creates(module, value) or _constructor_call(value, functions)
                if created:
                    found[text(key)] = created
    return found


def _constructor_call(value, functions):
    if value.type != "call_expression":
        return None
    function = functions.get(text(value.child_by_field_name("function")))
    for returned in function.returns if function is not None else ():
        match = _GO_CREATION.match(returned.text)
        if match:
            return match.group(1)  # `func NewCache() *Cache { return &Cache{} }`
    return None


def _coordinating_method(module, klass, parts):
    """An operation that drives two or more parts, three calls at the least."""
    for method in klass.methods:
        if is_constructor(method) or method.visibility != "public":
            continue
        own = self_names(method)
        used = set()
        count = 0
        for call in method.calls:
            segments = call.callee.split(".")
            field = segments[1] if len(segments) == 3 and segments[0] in own else (
                segments[0] if len(segments) == 2 and module.language == "java" else None)
            if field not in parts:
                continue
            if any(text(arg) in own for arg in call.args):
                return None  # the part is handed the class itself: a Mediator
            used.add(field)
            count += 1
        if len(used) >= 2 and count >= 3:
            return method, used
    return None


def _in_family_with(types, klass, parts):
    """Parts of the class's own type make it a Composite or a wrapper, not a Facade."""
    own = {id(klass)} | {id(parent) for parent in types.supers.get(id(klass), ())}
    for name in parts.values():
        part = types.by_name.get(name)
        if part is not None and ({id(part)} | {id(parent) for parent in types.supers.get(
                id(part), ())}) & own:
            return True
    return False
