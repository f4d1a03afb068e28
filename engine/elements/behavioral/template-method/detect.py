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
        abstract = _abstract(ctx, klass)
        if not members and not abstract:
            continue
        overridden = {method.name for member in members for method in member.klass.methods}
        found = _template(_candidates(module, klass, overridden), abstract, overridden)
        if found is None:
            continue
        template, steps, deferred = found
        yield Hit(klass.name_span, confidence=0.9 if set(deferred) & abstract else 0.8, args={
            "name": klass.name, "template": template,
            "steps": ", ".join(f"`{step}`" for step in steps[:5]),
            "deferred": ", ".join(f"`{step}`" for step in deferred[:5]),
        })


_ABSTRACT_WORDS = (b"abstract", b"implement", b"override")


def _abstract(ctx, klass):
    """Names of the class's abstract methods.

    A Python method is abstract by a decorator or a raise whose text holds one of
    `_ABSTRACT_WORDS` (`abstractmethod`, `NotImplementedError`): a class without them is
    passed over without reading its methods' trees.
    """
    if ctx.language == "python":
        source = ctx.source[klass.span.start_byte:klass.span.end_byte].lower()
        if not any(word in source for word in _ABSTRACT_WORDS):
            return set()
    return {method.name for method in klass.methods if is_abstract_method(method)}


def _candidates(module, klass, overridden):
    """(method, steps) for each concrete method that calls two or more of its own methods."""
    declared = {method.name for method in klass.methods}
    known = declared | overridden
    java = module.language == "java"
    found = []
    for method in klass.methods:
        if is_constructor(method) or method.is_static:
            continue
        own = None  # read for the first call of the form `x.name`
        steps = []
        for call in method_calls(module, method):
            head, dot, name = call.callee.partition(".")
            if dot:
                if "." in name:
                    continue
                own = own if own is not None else self_names(method)
                if head not in own:
                    continue
            elif not java:
                continue  # Java calls its own methods without `this.`
            else:
                name = head
            if name != method.name and name in known and name not in steps:
                steps.append(name)
        if len(steps) >= 2:
            found.append((method, steps))
    return found


def _template(candidates, abstract, overridden):
    """The first concrete method that runs two or more steps, at least one of them deferred."""
    for method, steps in candidates:
        if method.name in abstract:
            continue
        deferred = [step for step in steps if step in abstract or step in overridden]
        if deferred:
            return method.name, steps, deferred
    return None
