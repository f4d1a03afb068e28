"""Recognize a Proxy by its roles, never by its names.

A class implements a type and forwards its operations to the same operations of a subject of
that type, but controls the access: it creates the subject itself (often on first use), or it
forwards only when a guard lets it (a cache hit, a permission check). A wrapper that receives
its wrapped object and always forwards is a Decorator.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.structural_roles import controls_access, same_type_wrappers

_CONTROL = {
    "lazy": "creates its subject on first use",
    "created": "creates and owns its subject",
    "guard": "forwards only when a guard allows",
}


def detect(ctx):
    for wrapper in same_type_wrappers(ctx.module):
        origin = wrapper.held.origin
        if origin in ("lazy", "created"):
            control = origin
        elif origin == "param" and controls_access(wrapper.forwards):
            control = "guard"
        else:
            continue
        yield Hit(wrapper.klass.name_span, confidence=0.8, args={
            "name": wrapper.klass.name, "type": wrapper.type_name,
            "field": wrapper.held.field, "control": _CONTROL[control],
        })
