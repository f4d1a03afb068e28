"""Recognize a Visitor by its double dispatch, never by its names.

Two or more element classes have a method of the same name that takes a visitor and calls it
back with the element itself (`accept(v)` -> `v.visitCircle(this)`), and a type in the file
declares the methods they call: one per element type, or overloads of one name in Java and
TypeScript.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.behavioral_b_roles import (
    is_abstract_type,
    is_constructor,
    node_text,
    operations,
    self_names,
)

_OVERLOADING = ("java", "typescript", "tsx")


def detect(ctx):
    module = ctx.module
    if len(module.classes) < 3:
        return  # two elements and a visitor at the least
    accepts = _accepts(module)
    if not accepts:
        return
    overloading = module.language in _OVERLOADING
    # Interfaces first, so that a concrete visitor of the same elements is not reported again.
    types = sorted(module.classes,
                   key=lambda klass: (not is_abstract_type(klass), klass.span.start_byte))
    for accept, entries in accepts.items():
        reported: set[int] = set()
        for visitor in types:
            found = _dispatched_to(visitor, entries, overloading)
            if found is None or reported & {id(klass) for klass in found[0]}:
                continue
            elements, visits = found
            reported.update(id(klass) for klass in elements)
            yield Hit(visitor.name_span, args={
                "name": visitor.name, "accept": accept, "count": len(elements),
                "elements": ", ".join(klass.name for klass in elements[:4]),
                "visits": ", ".join(f"`{visit}`" for visit in visits[:4]),
            })


def _dispatched_to(visitor, entries, overloading):
    """The element classes that call `visitor`'s methods back, and the methods they call."""
    declared = operations(visitor)
    elements, visits = [], []
    for klass, visit in entries:
        if visit not in declared or klass is visitor:
            continue
        if not any(klass is other for other in elements):
            elements.append(klass)
        if visit not in visits:
            visits.append(visit)
    if len(elements) < 2:
        return None
    if len(visits) < 2:
        # One name called back by every element: double dispatch only through overloads.
        overloads = sum(1 for method in visitor.methods if method.name == visits[0])
        if not overloading or overloads < 2:
            return None
    return elements, visits


def _accepts(module):
    """Methods that call a method of their parameter with their own object, by method name."""
    found = {}
    for klass in module.classes:
        for method in klass.methods:
            if is_constructor(method) or not method.params:
                continue
            own = params = None  # computed for the first `a.b(...)` call, most methods have none
            for call in method.calls:
                head, dot, tail = call.callee.partition(".")
                if not dot or "." in tail:
                    continue
                if own is None:
                    own = self_names(method)
                    params = {param.name for param in method.params} - own
                if head not in params:
                    continue
                if any(node_text(arg) in own for arg in call.args):
                    found.setdefault(method.name, []).append((klass, tail))
                    break
    return found
