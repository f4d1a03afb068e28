"""Recognize a Decorator by its roles, never by its names.

A class implements a type, receives another object of that same type from outside, and
always hands each operation on to the same operation of it, doing something of its own
before or after. Creating the wrapped object itself or forwarding only behind a guard makes it
a Proxy; calling differently named operations of another type makes it an Adapter.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.structural_roles import (
    adds_behaviour,
    controls_access,
    same_type_wrappers,
)


def detect(ctx):
    for wrapper in same_type_wrappers(ctx.module):
        if wrapper.held.origin != "param":
            continue  # created or swapped by the class itself: not a transparent wrapper
        if controls_access(wrapper.forwards):
            continue  # forwards only when a condition allows: a Proxy
        if not any(adds_behaviour(use) for use in wrapper.forwards):
            continue  # nothing added: plain delegation
        operations = sorted({use.operation for use in wrapper.forwards})
        yield Hit(wrapper.klass.name_span, confidence=0.85, args={
            "name": wrapper.klass.name, "type": wrapper.type_name,
            "field": wrapper.held.field, "operations": ", ".join(operations[:4]),
        })
