"""Roles shared by the Chain of Responsibility, Command, Iterator, Mediator and Memento detectors.

Pure functions over the code model; where the model lacks a fact (Go receiver names, TypeScript
parameter properties, result types) they read the tree-sitter node the model object carries.
"""

from __future__ import annotations

import re

_SELF = frozenset({"self", "this"})
_GENERIC = re.compile(r"[<\[].*$", re.S)
_BRACKETS = re.compile(r"\[[^\[\]]*\]|\([^()]*\)")
_MAY_MODIFY = re.compile(rb"readonly|public|private|protected")  # TS parameter properties


def node_text(node) -> str:
    """Text of a tree-sitter node ('' for None)."""
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "replace")


def base_name(text: str) -> str:
    """`java.util.Iterator<T>` -> `Iterator`, `Generic[T]` -> `Generic`."""
    text = text or ""
    if "<" in text or "[" in text:  # most names have no type arguments: no regex for them
        text = _GENERIC.sub("", text)
    return text.strip().rsplit(".", 1)[-1]


def receivers(function) -> set[str]:
    """Names that mean "this object" inside a method: self/this, Go's receiver name."""
    names = set(_SELF)
    node = function.node if function is not None else None
    if node is None:
        return names
    if node.type == "method_declaration":  # Go: `func (c *Cursor) Next()`; Java has none
        receiver = node.child_by_field_name("receiver")
        for declaration in receiver.named_children if receiver is not None else ():
            name = declaration.child_by_field_name("name")
            if name is not None:
                names.add(node_text(name))
    elif (node.type == "function_definition" and function.params and function.is_method
          and not function.is_static):
        names.add(function.params[0].name)  # Python: the first parameter, whatever its name
    return names


def own_fields(klass, module=None) -> frozenset[str]:
    """Field names of a class: declared, set through any receiver name, TS parameter properties.

    Given the class's module, the answer is computed once per file for every detector asking.
    """
    if module is not None:
        return module.memo(("behavioral_a_roles.own_fields", id(klass)),
                           lambda: own_fields(klass))
    names = {item.name.lstrip("#") for item in klass.fields}
    for method in klass.methods:
        if not method.assignments:
            continue  # sets nothing, through any receiver name
        selves = receivers(method) - _SELF
        if not selves:
            continue  # only other receiver names (Go's, a renamed `self`) add fields here
        for assignment in method.assignments:
            head, _, rest = assignment.target.partition(".")
            if head in selves and rest and rest.replace("_", "a").isalnum():
                names.add(rest)
    for method in klass.constructors:
        for param in method.params:
            node = param.node
            if node is None:
                continue
            raw = node.text  # a modifier's text is in the parameter's: most are passed over
            if raw is not None and _MAY_MODIFY.search(raw) is None:
                continue
            if any(child.type == "accessibility_modifier" or node_text(child) == "readonly"
                   for child in node.children):
                names.add(param.name)
    return frozenset(names)


def bare_fields(ctx, fields) -> frozenset[str]:
    """Fields a method reaches without its receiver: Java's, nobody else's."""
    return frozenset(fields) if ctx.language == "java" else frozenset()


def member_path(text: str, selves: set[str], fields: set[str]) -> list[str] | None:
    """`self.next.handle` -> ['next', 'handle']; Java's bare `next.handle` when next is a field.

    `fields` are the names reachable bare (see `bare_fields`). Subscripts and call parentheses
    are dropped; None when the text is not rooted in the object.
    """
    # Called for every call of a class by several detectors: plain string tests first.
    if "(" in text or "[" in text:
        while _BRACKETS.search(text):
            text = _BRACKETS.sub("", text)
    if "?." in text:
        text = text.replace("?.", ".")
    head = text.partition(".")[0]
    if head[:1] == "#" or head[:1].isspace() or head[-1:].isspace():
        head = head.lstrip("#").strip()
    if head not in selves and head not in fields:
        return None  # most texts (`print`, `items.append`) are not rooted in the object
    parts = [part.lstrip("#").strip() for part in text.split(".")]
    if len(parts) >= 2 and parts[0] in selves:
        return parts[1:]
    if parts and parts[0] in fields:
        return parts
    return None


def nested_functions(module, function) -> list:
    """The function itself and the functions written inside it (lambdas, callbacks)."""
    span = function.span
    return [other for other in module.functions
            if other is function or (span.start_byte <= other.span.start_byte
                                     and other.span.end_byte <= span.end_byte)]


def result_type(function) -> str:
    """The declared result type as written ('' when none)."""
    node = function.node
    if node is None:
        return ""
    for name in ("result", "return_type", "type"):
        child = node.child_by_field_name(name)
        if child is not None:
            return node_text(child).lstrip(":").strip()
    return ""


def is_constructor(function) -> bool:
    return function.is_constructor or function.name in ("__init__", "constructor")

