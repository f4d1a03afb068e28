"""Recognize a Service Locator: a global registry that classes ask for their collaborators.

Evidence, strongest first: classes in the file assign their fields from the registry's lookup;
the lookup is keyed by a type (`Class<T>`, `type[T]`, `new () => T`, `reflect.Type`); the
lookup calls the factory it stored. The store must be global (static, module level, or a
module-level instance), otherwise it is a plain Registry or an injected container.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.data_roles import class_locator, module_locator, module_registries, store_span


def detect(ctx):
    module = ctx.module
    for klass in module.classes:
        if klass.kind == "interface":
            continue
        found = class_locator(klass, module)
        if found is None:
            continue
        registration, lookup, confidence = found
        yield Hit(klass.name_span, confidence=confidence, args={
            "name": klass.name, "register": registration.function.name, "lookup": lookup.name})
    for registration, lookup in module_registries(module):
        confidence = module_locator(module, registration, lookup)
        if confidence is None:
            continue
        span = store_span(module, registration.store, registration.span)
        yield Hit(span, confidence=confidence, args={
            "name": registration.store, "register": registration.function.name,
            "lookup": lookup.name})
