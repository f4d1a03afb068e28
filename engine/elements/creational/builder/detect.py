"""Recognize a Builder by its roles: chained setters collect parts, one method makes the product.

At least two methods take a value, store it in the object and return the object itself (so
calls chain), and another method creates an instance of a different class. A fluent object
with no product, or a value class whose `with_x` returns a new copy, is not a Builder.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.creational_roles import (
    SELF_TYPE,
    created_type,
    own_field,
    receiver_names,
    strip_parens,
)

_COLLECT = frozenset({"append", "add", "push", "put", "set", "extend", "update", "addAll",
                      "putAll", "concat"})


def detect(ctx):
    module = ctx.module
    local_classes = frozenset(klass.name for klass in module.classes)
    for klass in module.classes:
        if len(klass.methods) < 3:
            continue
        setters = [method.name for method in klass.methods if _fluent_setter(ctx, method)]
        if len(setters) < 2:
            continue
        found = _build_method(ctx, klass, local_classes)
        if found is None:
            continue
        build, product = found
        yield Hit(klass.name_span, args={
            "name": klass.name, "count": len(setters), "setters": ", ".join(setters[:4]),
            "build": build, "product": product})


def _fluent_setter(ctx, method):
    """Takes a value, stores it in the object, and returns the object for chaining."""
    if method.is_constructor or method.is_static or not method.returns:
        return False
    receivers = receiver_names(method)
    params = {param.name for param in method.params} - receivers
    if not params:
        return False
    if any(strip_parens(ret.text) not in receivers for ret in method.returns):
        return False
    return _stores_param(ctx, method, receivers, params)


def _stores_param(ctx, method, receivers, params):
    for assignment in method.assignments:
        target = assignment.target.split("[", 1)[0]
        is_field = own_field(target, receivers) is not None or (
            ctx.language == "java" and method.owner is not None
            and method.owner.field_named(target) is not None)
        if is_field and _mentions(assignment.value_text, params):
            return True
    for call in method.calls:
        holder = call.callee.rsplit(".", 1)[0] if "." in call.callee else ""
        if call.name in _COLLECT and (own_field(holder, receivers) is not None or (
                ctx.language == "java" and method.owner is not None
                and method.owner.field_named(holder) is not None)):
            if any(_mentions(arg.text.decode("utf-8", "replace"), params) for arg in call.args):
                return True
    return False


def _mentions(text, names):
    return any(part in names for part in _words(text))


def _words(text):
    word = []
    for char in text:
        if char.isalnum() or char in "_$":
            word.append(char)
        elif word:
            yield "".join(word)
            word = []
    if word:
        yield "".join(word)


def _build_method(ctx, klass, local_classes):
    """(method, product): asked for nothing, it makes another class's instance from its parts."""
    fields = {field.name for field in klass.fields}
    for method in klass.methods:
        if method.is_constructor or method.is_static or _required_params(method):
            continue
        receivers = receiver_names(method)
        for ret in method.returns:
            value = strip_parens(ret.text)
            created = created_type(value, ctx.language, local_classes)
            if created is not None and created not in (klass.name, SELF_TYPE) and _uses_parts(
                    value, receivers, fields, ctx.language):
                return method.name, created
    return None


def _required_params(method):
    receivers = receiver_names(method)
    return [param for param in method.params
            if param.name not in receivers and param.default is None]


def _uses_parts(value, receivers, fields, language):
    """The product is made from the builder: its fields, or the builder itself."""
    words = set(_words(value))
    if words & receivers:
        return True
    return language == "java" and bool(words & fields)
