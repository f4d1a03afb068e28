"""Recognize a Strategy by its roles, never by its names.

An interface (or base class) with two or more interchangeable implementations, and a context
class that receives one of them from outside (constructor or setter), keeps it in a field and
hands its own data to it. When the implementations or the context swap the held object
themselves, it is a State instead (see the state element).
"""

from cpt.engine.analysis import Hit
from cpt.engine.extract import value_kind
from cpt.engine.roles.behavioral_b_roles import (
    delegations,
    holds_family,
    implementations,
    injection,
    method_calls,
    node_text,
    self_names,
    transition,
)

_CONSTANTS = frozenset({"string", "number", "bool", "null"})


def detect(ctx):
    module = ctx.module
    if len(module.classes) < 3:
        return  # an interface, two implementations and a context at the least
    for delegation in delegations(module):
        members = implementations(delegation)
        if delegation.same_kind or len(members) < 2:
            continue  # a wrapper of its own kind, or nothing to choose from
        if not _algorithm_call(module, delegation):
            continue
        source = injection(module, delegation)
        if source is None or not holds_family(module, delegation):
            continue
        if transition(delegation) is not None:
            continue  # a State
        yield Hit(delegation.context.name_span, confidence=0.9 if source == "setter" else 0.8,
                  args={
                      "name": delegation.context.name, "operation": delegation.operation,
                      "field": delegation.field, "count": len(members),
                      "base": delegation.family.base.name, "members": ", ".join(members[:4]),
                  })


def _algorithm_call(module, delegation):
    """A call that hands the held object the context's own data.

    A bare `execute()` is a Command being run, and a collaborator asked for something with
    no data or only constants (`source.read()`, `http.get("/users")`) is an injected
    dependency; passing the context itself (`mediator.notify(this)`) is a callback to a
    Mediator, Visitor or Observer.
    """
    for method in delegation.context.methods:
        own = self_names(method)
        for call in method_calls(module, method):
            parts = call.callee.split(".")
            if parts[-1] not in delegation.family.operations or delegation.field not in parts[:-1]:
                continue
            if any(node_text(arg) in own for arg in call.args):
                continue
            if any(value_kind(arg) not in _CONSTANTS for arg in call.args):
                return True
    return False
