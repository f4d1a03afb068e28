"""Helpers of the concurrency elements and of their smells: enclosing units, names, node text.

They read tree-sitter nodes the detectors already hold and only ever walk up (parents) or over
the direct children of one node, so each call costs the depth of the tree, not its size.
"""

from __future__ import annotations

import re
from typing import Any

# Node kinds that open a new function scope, in every grammar.
FUNCTION_TYPES = frozenset({
    "function_definition", "lambda",  # python
    "function_declaration", "function_expression", "arrow_function", "method_definition",
    "generator_function", "generator_function_declaration",  # javascript, typescript
    "method_declaration", "constructor_declaration", "lambda_expression",  # java
    "compact_constructor_declaration", "static_initializer",
    "func_literal",  # go (function_declaration and method_declaration are shared names)
})
_WHITESPACE = re.compile(r"\s+")
_MAX_TEXT = 60


def text_of(node: Any) -> str:
    """The source text of a node, or an empty string for None."""
    return node.text.decode("utf-8", "replace") if node is not None else ""


def short(text: str, limit: int = _MAX_TEXT) -> str:
    """Text on one line, cut for a message."""
    text = _WHITESPACE.sub(" ", text).strip()
    return text if len(text) <= limit else text[:limit - 1] + "…"


def normalized(node: Any) -> str:
    """Text of a node without whitespace, to compare two expressions."""
    return _WHITESPACE.sub("", text_of(node))


def enclosing_function(node: Any) -> Any | None:
    """The innermost function-like node around `node` (None at module level)."""
    current = node.parent if node is not None else None
    while current is not None:
        if current.type in FUNCTION_TYPES:
            return current
        current = current.parent
    return None


def root_of(node: Any) -> Any:
    """The root node of the tree holding `node`."""
    while node.parent is not None:
        node = node.parent
    return node


def has_token(node: Any, token: str, before_field: str = "body") -> bool:
    """Say whether an anonymous token (`async`, `await`) is a child of `node` before its body."""
    body = node.child_by_field_name(before_field)
    for child in node.children:
        if body is not None and child.start_byte >= body.start_byte:
            return False
        if child.type == token:
            return True
    return False


def function_named_by(node: Any) -> Any:
    """The node that names a function: its own name, or the variable, key or field holding it."""
    name = node.child_by_field_name("name")
    if name is not None:
        return name
    parent = node.parent
    if parent is None:
        return node
    for field in ("name", "key", "property", "left"):
        holder = parent.child_by_field_name(field)
        if holder is not None and holder is not node and holder.end_byte <= node.start_byte:
            return holder
    return node


def model_function(module: Any, node: Any) -> Any | None:
    """The model Function built from a function node."""
    if node is None:
        return None
    by_node = module.memo("concurrency_roles.functions_by_node", lambda: _functions_by_node(module))
    return by_node.get(node.id)


def _functions_by_node(module: Any) -> dict[int, Any]:
    by_node: dict[int, Any] = {}
    for function in module.functions:
        if function.node is not None:
            by_node.setdefault(function.node.id, function)  # the first, as a scan would find
    return by_node


def nested_in(outer: Any, functions: list[Any]) -> list[Any]:
    """The functions (model) written inside `outer`, `outer` itself included."""
    start, end = outer.span.start_byte, outer.span.end_byte
    return [item for item in functions
            if item.span.start_byte >= start and item.span.end_byte <= end]


def innermost_at(functions: list[Any], position: int) -> Any | None:
    """The innermost of `functions` (model) that contains a byte position."""
    best = None
    for item in functions:
        if item.span.start_byte <= position < item.span.end_byte and (
                best is None or item.span.start_byte >= best.span.start_byte):
            best = item
    return best


def last_segment(text: str) -> str:
    """`self._jobs` -> `_jobs`, `this.queue` -> `queue`, `q` -> `q`."""
    return text.split("[", 1)[0].rsplit(".", 1)[-1].strip()


def receiver_of(callee: str) -> str:
    """`self.jobs.put` -> `self.jobs`; empty for a bare name."""
    head, _, _ = callee.rpartition(".")
    return head


def param_type(param: Any) -> Any | None:
    """The type node of a parameter (Go captures the name, its declaration holds the type)."""
    node = param.node
    if node is None:
        return None
    if node.type == "identifier" and node.parent is not None:
        node = node.parent
    return node.child_by_field_name("type")
