"""Recognize a Template Method by its roles, never by its names.

A concrete method of a base class calls two or more methods of its own object in a fixed
order, and at least one of those steps is abstract or overridden by a subclass in the file.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.behavioral_b_roles import (
    families,
    is_abstract_method,
    is_constructor,
    method_calls,
    self_names,
)


def detect(ctx):
    module = ctx.module
    subclasses = {id(family.base): family.members for family in families(module)}
    for klass in module.classes:
        if klass.kind == "interface" or len(klass.methods) < 3:
            continue  # a template and two steps at the least
        members = subclasses.get(id(klass), ())
        abstract = {method.name for method in klass.methods if is_abstract_method(method)}
        if not members and not abstract:
            continue
        overridden = {method.name for member in members for method in member.klass.methods}
        found = _template(module, klass, abstract, overridden)
        if found is None:
            continue
        template, steps, deferred = found
        yield Hit(klass.name_span, confidence=0.9 if set(deferred) & abstract else 0.8, args={
            "name": klass.name, "template": template,
            "steps": ", ".join(f"`{step}`" for step in steps[:5]),
            "deferred": ", ".join(f"`{step}`" for step in deferred[:5]),
        })


def _template(module, klass, abstract, overridden):
    """The first concrete method that runs two or more steps, at least one of them deferred."""
    declared = {method.name for method in klass.methods}
    known = declared | overridden
    java = module.language == "java"
    for method in klass.methods:
        if is_constructor(method) or method.is_static or method.name in abstract:
            continue
        own = self_names(method)
        steps = []
        for call in method_calls(module, method):
            parts = call.callee.split(".")
            if len(parts) == 2 and parts[0] in own:
                name = parts[1]
            elif len(parts) == 1 and java:
                name = parts[0]  # Java calls its own methods without `this.`
            else:
                continue
            if name != method.name and name in known and name not in steps:
                steps.append(name)
        deferred = [step for step in steps if step in abstract or step in overridden]
        if len(steps) >= 2 and deferred:
            return method.name, steps, deferred
    return None
