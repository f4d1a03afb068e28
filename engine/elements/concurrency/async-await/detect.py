"""Report each async function that awaits, once, on its name.

The queries find the suspension points; the check walks up to the function that owns each one.
Findings with the same span are merged, so a function with ten awaits is one finding.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.concurrency_roles import (
    enclosing_function,
    function_named_by,
    has_token,
    short,
    text_of,
)


def check(ctx, captures):
    point = captures["match"][0]
    function = enclosing_function(point)
    if function is None or not has_token(function, "async"):
        return None  # top-level await, or an await a sync function cannot hold (mid-edit)
    name_node = function_named_by(function)
    name = text_of(name_node) if name_node is not function else "<anonymous>"
    return Hit(name_node if name_node is not function else _first_line(function), args={
        "name": short(name, 40), "first": short(_awaited(point)),
    })


def _awaited(point):
    """What the suspension point waits on, as written."""
    if point.type in ("await", "await_expression") and point.named_child_count:
        return text_of(point.named_children[0])
    return text_of(point).split("\n", 1)[0].rstrip(":{ ")


def _first_line(node):
    """An anonymous function is reported on its `async` keyword."""
    for child in node.children:
        if child.type == "async":
            return child
    return node
