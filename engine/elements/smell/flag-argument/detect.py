"""Report boolean parameters that pick one of two behaviours at the top of a function's body.

A parameter is boolean when it is typed so (`bool`, `boolean`, `Boolean`) or defaults to a
boolean literal. It is a flag argument when an `if` directly in the body tests it (or its
negation) and the `if` either has an `else` or leaves the function: the function then does two
different things. A flag that only adds a side effect (`if verbose: log(...)`) is not reported.
"""

import re

from cpt.engine.analysis import Hit

_BOOLEAN_TYPES = frozenset({"bool", "boolean", "Boolean"})
_EXITS = frozenset({"return_statement", "raise_statement", "throw_statement"})
_BLOCKS = frozenset({"block", "statement_block", "constructor_body"})
_SETTER = re.compile(r"^([sS]et[A-Z_]|set$)")


def detect(ctx):
    # Without a boolean type written anywhere, only a boolean default makes a flag.
    source = ctx.source
    typed = b"bool" in source or b"Boolean" in source
    for function in ctx.module.functions:
        if not function.params or function.node is None:
            continue
        span = function.span
        # Each boolean type holds `ool` and is written inside the function: else only defaults.
        typed_here = typed and source.find(b"ool", span.start_byte, span.end_byte) >= 0
        flags = {param.name: param for param in function.params
                 if (_is_boolean(param) if typed_here else param.default_kind == "bool")}
        if not flags or _exempt(function):  # most functions take no boolean: ask that first
            continue
        for statement in _statements(function.node.child_by_field_name("body")):
            if statement.type != "if_statement":
                continue
            param = flags.get(_tested_name(statement))
            if param is not None and _selects_behaviour(statement):
                del flags[param.name]
                yield Hit(param.span, args={"param": param.name, "function": function.name})


def _exempt(function):
    """Lambdas, setters (the boolean is the value) and overrides (the signature is given)."""
    name = function.name
    if name == "<lambda>" or _SETTER.match(name):
        return True
    if name.startswith("__") and name.endswith("__") and name != "__init__":
        return True
    return any(child.type == "modifiers" and b"@Override" in child.text
               for child in function.node.children)


def _is_boolean(param):
    if param.default_kind == "bool":
        return True
    node = param.node
    if node is None:
        return False
    if node.type == "identifier" and node.parent is not None:  # Go: `a, b bool`
        node = node.parent
    annotation = node.child_by_field_name("type")
    if annotation is None:
        return False
    return annotation.text.decode("utf-8", "replace").lstrip(":?").strip() in _BOOLEAN_TYPES


def _statements(body):
    if body is None or body.type not in _BLOCKS:
        return []  # an arrow function's expression body has no statements
    children = body.named_children
    if len(children) == 1 and children[0].type == "statement_list":  # Go
        return children[0].named_children
    return children


def _tested_name(statement):
    """The name an `if` tests, bare or negated, or None."""
    node = statement.child_by_field_name("condition")
    while node is not None:
        if node.type == "identifier":
            return node.text.decode("utf-8", "replace")
        if node.type == "parenthesized_expression" and node.named_child_count == 1:
            node = node.named_children[0]
        elif node.type in ("not_operator", "unary_expression") and node.text[:1] in (b"!", b"n"):
            node = node.named_children[-1] if node.named_child_count else None
        else:
            return None
    return None


def _selects_behaviour(statement):
    if statement.child_by_field_name("alternative") is not None:
        return True
    body = statement.child_by_field_name("consequence")
    if body is None:
        return False
    if body.type in _EXITS:
        return True
    statements = [child for child in _statements(body) if "comment" not in child.type]
    return bool(statements) and statements[-1].type in _EXITS
