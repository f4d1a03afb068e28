"""Recognize a Composite by its roles, never by its names.

A class keeps a list of children and implements an operation by calling the same operation on
each child, and the children's type has that operation too in another class of the file (a
leaf): callers treat one object and a tree of them alike.
"""

import re

from cpt.engine.analysis import Hit
from cpt.engine.roles.structural_roles import (
    calls_within,
    children_from_outside,
    collection_fields,
    index,
    is_constructor,
    may_call_own_name,
    self_names,
    text,
)

_WORDS = re.compile(r"[A-Za-z_$#][\w$]*")
_LOOPS = frozenset({"for_statement", "for_in_statement", "enhanced_for_statement"})
_COMPREHENSIONS = frozenset({
    "generator_expression", "list_comprehension", "set_comprehension",
    "dictionary_comprehension"})
_LAMBDAS = frozenset({"arrow_function", "lambda_expression", "lambda", "func_literal",
                      "function_expression"})


def detect(ctx):
    module = ctx.module
    if len(module.classes) < 2:
        return  # a composite and a leaf at the least
    types = index(module)
    refs = b"::" in ctx.source  # method references (`Node::draw`); most files have none
    for klass in module.classes:
        if klass.kind == "interface":
            continue
        found = _composite(module, types, klass, refs)
        if found is not None:
            field, operation, leaf = found
            yield Hit(klass.name_span, confidence=0.85, args={
                "name": klass.name, "field": field, "operation": operation, "leaf": leaf,
            })


def _composite(module, types, klass, refs):
    methods = [method for method in klass.methods if not is_constructor(method)
               and method.node is not None and _asks_others(module, method, refs)]
    if not methods:
        return None  # cheap first: no method asks other objects for its own operation
    children = collection_fields(module, klass) & children_from_outside(module, klass)
    if not children:
        return None
    for method in methods:
        field = _calls_on_each(module, method, klass, children)
        if field is None:
            continue
        leaf = _leaf(module, types, klass, method.name)
        if leaf is not None:
            return field, method.name, leaf
    return None


def _asks_others(module, method, refs):
    suffix = "." + method.name
    return (may_call_own_name(module, method) and any(
        call.callee.endswith(suffix) for call in calls_within(module, method))) or (
        refs and "::" + method.name in text(method.node))


def _calls_on_each(module, method, klass, children):
    """The children field whose elements the method calls its own operation on, if any."""
    own = self_names(method)
    fields = {item.name for item in klass.fields}
    name = method.name
    for call in calls_within(module, method):
        parts = call.callee.split(".")
        if len(parts) != 2 or parts[1] != name:
            continue
        element = parts[0].split("[", 1)[0]
        if element in own or element in fields or element.startswith("super"):
            continue
        field = _iterated(call.node, method.node, element, children)
        if field is not None:
            return field
    body = text(method.node)
    if f"::{name}" in body:  # Java: children.forEach(Shape::draw)
        found = sorted(children & set(_WORDS.findall(body)))
        return found[0] if found else None
    return None


def _iterated(node, stop, element, children):
    """The children field that `element` is bound to by an enclosing loop or lambda."""
    while node is not None and node != stop:
        header = _binding_header(node)
        if header:
            words = set(_WORDS.findall(header))
            if element in words and words & children:
                return sorted(words & children)[0]
        node = node.parent
    return None


def _binding_header(node):
    """The text that binds a loop's or lambda's variables: `for c in self.children`."""
    kind = node.type
    if kind in _LOOPS:
        body = node.child_by_field_name("body")
        end = body.start_byte if body is not None else node.end_byte
        return text(node)[:end - node.start_byte]
    if kind in _COMPREHENSIONS:
        return " ".join(text(child) for child in node.named_children
                        if child.type == "for_in_clause")
    if kind in _LAMBDAS:
        call = node.parent.parent if node.parent is not None else None
        body = node.child_by_field_name("body")
        if call is None or body is None:
            return ""
        return text(call)[:max(0, body.start_byte - call.start_byte)]  # `items.map((c) =>`
    return ""


def _leaf(module, types, klass, operation):
    """Another class of the family (or, untyped, of the file) with the operation and no list."""
    family = {id(parent) for parent in types.supers.get(id(klass), ())
              if operation in types.ops.get(id(parent), ())}
    for other in module.classes:
        if other is klass or other.kind == "interface" or operation not in types.ops.get(
                id(other), ()):
            continue
        if family and not any(id(parent) in family for parent in types.supers.get(id(other), ())):
            continue
        if not family and not _duck_relatives(types, klass, other):
            continue
        if collection_fields(module, other):
            continue  # a container too, not a leaf
        if any(klass is parent for parent in types.supers.get(id(other), ())) or any(
                other is parent for parent in types.supers.get(id(klass), ())):
            continue  # a subclass or an ancestor of the composite itself
        return other.name
    return None


def _duck_relatives(types, klass, other):
    """Untyped code: the leaf shares a declared base or two operations with the composite."""
    if types.module.language not in ("python", "javascript"):
        return False
    if {base for base in klass.bases} & {base for base in other.bases}:
        return True
    return len(types.ops.get(id(klass), set()) & types.ops.get(id(other), set())) >= 2
