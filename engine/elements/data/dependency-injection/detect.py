"""Recognize constructor Dependency Injection by its roles, never by its names.

The constructor receives a collaborator (a parameter that is not a plain value), keeps it in a
field, and the other methods call operations on it: the class uses an object it was given
instead of one it built. A wrapper that receives an object of its own supertype is a
Decorator or Proxy, and is left to those elements.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.data_roles import (
    base_name,
    class_fields,
    go_injected_fields,
    injected_fields,
    is_constructor,
    param_type,
    uses_collaborator,
)


def detect(ctx):
    module = ctx.module
    interfaces = {klass.name for klass in module.classes if klass.kind == "interface"}
    go_fields = go_injected_fields(module) if module.language == "go" else {}
    for klass in module.classes:
        if klass.kind == "interface":
            continue
        used = _used_collaborators(klass, go_fields.get(klass.name, {}))
        if not used:
            continue
        abstract = any(base_name(param_type(param)) in interfaces for param in used.values())
        confidence = 0.9 if abstract or len(used) > 1 else 0.8
        yield Hit(klass.name_span, confidence=confidence, args={
            "name": klass.name, "collaborators": ", ".join(f"`{name}`" for name in used)})


def _injected(klass, go_fields):
    fields = class_fields(klass)
    found = dict(go_fields)
    for method in klass.methods:
        if is_constructor(method):
            found.update(injected_fields(method, fields))
    bases = {base_name(base) for base in klass.bases}
    return {field: param for field, param in found.items()
            if base_name(param_type(param)) not in bases}


def _used_collaborators(klass, go_fields):
    """Injected fields that another method calls operations on."""
    injected = _injected(klass, go_fields)
    if not injected:
        return {}
    fields = class_fields(klass) | set(injected)
    methods = [method for method in klass.methods if not is_constructor(method)]
    return {field: param for field, param in injected.items()
            if any(uses_collaborator(method, field, fields) for method in methods)}
