"""Recognize a Registry by its roles, never by its names.

One function files a value it was given under a key it was given; another hands it back by key.

A cache (the value is created on a miss), a multiton (keyed by argument, created inside) and a
singleton (one instance) are left out because the stored value must come from the caller. A
registry of services that the program pulls its dependencies from is a Service Locator and is
reported by that element instead.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.data_roles import (
    class_locator,
    class_registry,
    module_locator,
    module_registries,
    store_span,
)


def detect(ctx):
    module = ctx.module
    for klass in module.classes:
        if klass.kind == "interface":
            continue
        found = class_registry(klass, module)
        if found is None or class_locator(klass, module) is not None:
            continue
        registration, lookup = found
        yield Hit(klass.name_span, args={
            "name": klass.name, "store": registration.store,
            "register": registration.function.name, "lookup": lookup.name})
    for registration, lookup in module_registries(module):
        if module_locator(module, registration, lookup) is not None:
            continue
        span = store_span(module, registration.store, registration.span)
        yield Hit(span, confidence=0.85, args={
            "name": registration.store, "store": registration.store,
            "register": registration.function.name, "lookup": lookup.name})
