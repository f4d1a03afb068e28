"""Recognize a State by its roles, never by its names.

A state interface (or base class) with two or more implementations, a context that keeps the
current one in a field and forwards its requests to it, and a transition: a state object sets
the context's next state itself, or the context stores the state its current one returns.
Without a transition the same shape is a Strategy (see the strategy element).
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.behavioral_b_roles import (
    delegations,
    holds_family,
    implementations,
    transition,
)


def detect(ctx):
    module = ctx.module
    if len(module.classes) < 3:
        return  # a state type, two states and a context at the least
    for delegation in delegations(module):
        family = delegation.family
        states = implementations(delegation)
        if len(states) < 2:
            continue
        how = transition(delegation)
        if how is None or not holds_family(module, delegation):
            continue
        yield Hit(delegation.context.name_span, args={
            "name": delegation.context.name, "field": delegation.field,
            "base": family.base.name, "count": len(states), "how": how,
        })
