"""Is this expression constant text, or text built from values? Shared by the injection elements.

Works on tree-sitter nodes through the neutral kinds of `extract.NEUTRAL_KINDS`, and follows a
name back to its last assignment in the same function, so `sql = "..." + x; run(sql)` is seen.
"""

from __future__ import annotations

from typing import Any

from .extract import node_text, value_kind
from .model import Function

_CONCAT_OPERATORS = {"+", "+=", ".."}
_FORMAT_CALLS = ("format", "sprintf", "Sprintf", "formatted", "join", "concat")
_MAX_DEPTH = 64  # deeper expressions are treated as unknown instead of recursing further


def is_constant(node: Any, function: Function | None = None, depth: int = 0) -> bool:
    """Say whether an expression always yields the same text (literals and their sums)."""
    if depth > _MAX_DEPTH:
        return False
    kind = value_kind(node)
    if kind in ("string", "number", "bool", "null"):
        return True
    if node.type == "template_string":
        return not any(child.type == "template_substitution" for child in node.named_children)
    if node.type in ("binary_expression", "binary_operator", "concatenated_string",
                     "parenthesized_expression"):
        return all(is_constant(child, function, depth + 1) for child in node.named_children
                   if child.type not in ("comment",))
    if kind == "name" and function is not None and depth < 3:
        value = resolve(node, function)
        return value is not None and is_constant(value, function, depth + 1)
    return False


def resolve(node: Any, function: Function) -> Any | None:
    """Return the value last assigned, before `node`, to the name `node` reads."""
    name = node_text(node)
    best = None
    for assignment in function.assignments:
        if assignment.target == name and assignment.span.end_byte <= node.start_byte:
            if best is None or assignment.span.start_byte > best.span.start_byte:
                best = assignment
    return best.value if best is not None else None


def built_how(node: Any, function: Function | None = None, depth: int = 0) -> str | None:
    """Say how non-constant text is built (concatenation, formatting, interpolation), else None."""
    if depth > _MAX_DEPTH:
        return None
    kind = value_kind(node)
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        return built_how(node.named_children[0], function, depth + 1)
    if kind == "template" or (node.type == "template_string" and not is_constant(node)):
        return "interpolation"
    if node.type in ("binary_expression", "binary_operator"):
        operator = node.child_by_field_name("operator")
        op = operator.type if operator is not None else ""
        if op == "%" and _has_string(node):
            return "%-formatting"
        if op in _CONCAT_OPERATORS and _has_string(node) and not is_constant(node, function):
            return "concatenation"
        return None
    if kind == "call":
        callee = node.child_by_field_name("function") or node.child_by_field_name("name")
        text = node_text(callee) if callee is not None else ""
        if text.rsplit(".", 1)[-1] in _FORMAT_CALLS or text in ("String.format", "fmt.Sprintf"):
            args = node.child_by_field_name("arguments")
            if args is not None and not all(is_constant(arg, function)
                                            for arg in args.named_children):
                return "formatting"
            if text.endswith(".format") and args is not None and args.named_child_count:
                return "formatting"
        return None
    if kind == "name" and function is not None and depth < 3:
        value = resolve(node, function)
        if value is not None:
            return built_how(value, function, depth + 1)
    return None


def _has_string(node: Any) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if value_kind(current) in ("string", "template"):
            return True
        if current.type in ("binary_expression", "binary_operator", "parenthesized_expression"):
            stack.extend(current.named_children)
    return False


def string_content(node: Any) -> str:
    """The text of a string literal without its quotes (and prefix), for keyword checks."""
    text = node.text.decode("utf-8", "replace")
    text = text.lstrip("rRbBuUfF")
    for quote in ('"""', "'''", '"', "'", "`"):
        if text.startswith(quote) and text.endswith(quote) and len(text) >= 2 * len(quote):
            return text[len(quote):-len(quote)]
    return text
