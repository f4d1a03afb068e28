"""Recognize a Null Object by its roles, never by its names.

A concrete implementation of an interface or base class declared in the same file that
implements every one of its operations by doing nothing (empty body, `pass`, a neutral
constant returned), next to a real implementation of the same operations (the base class or
a sibling). Where every implementation is empty the code is a stub, not a Null Object.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.behavioral_b_roles import (
    body_statements,
    families,
    is_abstract_method,
    is_constructor,
    is_inert,
)

_TRUE = frozenset({"true", "True"})


def detect(ctx):
    reported = set()
    inert = {}  # class id -> its methods all do nothing (a class is in many families)
    for family in families(ctx.module):
        for member in family.concrete:
            klass = member.klass
            if id(klass) in reported or not _implements_all(klass, family):
                continue
            if id(klass) not in inert:
                inert[id(klass)] = _does_nothing(klass)
            if not inert[id(klass)]:
                continue
            if not _real_implementation(family, klass):
                continue  # every implementation is a stub: nothing to stand in for
            reported.add(id(member.klass))
            yield Hit(member.klass.name_span, args={
                "name": member.name, "base": family.base.name,
                "operations": ", ".join(f"`{name}`" for name in sorted(family.operations)[:4]),
            })


def _operations(klass):
    return [method for method in klass.methods
            if not is_constructor(method) and not method.name.startswith(("__", "<"))]


def _implements_all(klass, family):
    return family.operations <= {method.name for method in klass.methods}


def _does_nothing(klass):
    """Every method is inert (a boolean constant counts, true as well as false).

    At least one must be empty or answer null: a class whose methods only answer `0` or
    `false` is more likely a real variant (a shape with no corners) than a stand-in.
    """
    methods = _operations(klass)
    if not methods:
        return False
    return all(is_inert(method) or _answers_true(method) for method in methods) and any(
        is_inert(method, strict=True) for method in methods)


def _answers_true(method):
    """`return True`: the neutral answer of a check (a spell checker accepting every word)."""
    statements = body_statements(method)
    if not statements or len(statements) != 1 or statements[0].type != "return_statement":
        return False
    values = statements[0].named_children
    return len(values) == 1 and values[0].text.decode("utf-8", "replace") in _TRUE


def _real_implementation(family, null):
    """The base or a sibling implements an operation with a body that does something."""
    classes = [family.base] + [member.klass for member in family.members]
    return any(
        not is_inert(method) and not is_abstract_method(method)
        for klass in classes if klass is not null
        for method in _operations(klass) if method.name in family.operations
    )
