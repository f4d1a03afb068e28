"""Recognize a Factory Method.

One function that creates and returns instances of two or more different classes, chosen by a
branch, to callers that only see the common type.
"""

import re

from cpt.engine.analysis import Hit
from cpt.engine.extract import node_text

_CONDITIONAL = {"conditional_expression", "ternary_expression"}
_CREATION = re.compile(r"^\s*(?:new\s+|&)?([A-Za-z_][\w.]*)\s*(?:<[^>]*>)?\s*[({]")


def detect(ctx):
    module = ctx.module
    local_classes = {klass.name for klass in module.classes}
    for function in module.functions:
        if function.is_constructor or not function.returns:
            continue
        created = []
        for kind, text in _alternatives(function):
            name = _created(kind, text, local_classes)
            if name is not None and ctx.language == "go" and kind == "call":
                name = None  # Go creates with `T{}` / `&T{}`; `fmt.Errorf(...)` creates nothing
            if name is not None and ctx.language in ("javascript", "typescript") and (
                    kind == "call" and name not in local_classes):
                name = None  # JS needs `new` for a class; `String(x)`, `Number(x)` convert
            if name is not None and name not in created:
                created.append(name)
        if len(created) < 2 or function.branches == 0:
            continue
        confidence = 0.85 if _share_base(module, created) else 0.75
        yield Hit(function.name_span, confidence=confidence, args={
            "name": function.qualified_name, "count": len(created), "types": ", ".join(created),
        })


def _alternatives(function):
    """What each return may hand back.

    Its value, or each side of a returned conditional (`return A() if c else B()`,
    `return c ? new A() : new B()`).
    """
    for ret in function.returns:
        yield ret.kind, ret.text
        if ret.kind != "other":
            continue
        for call in function.calls:
            if not (ret.span.start_byte <= call.span.start_byte
                    and call.span.end_byte <= ret.span.end_byte):
                continue  # before asking for the parent: tree-sitter finds it from the root
            parent = call.node.parent if call.node is not None else None
            if parent is not None and parent.type in _CONDITIONAL:
                yield ("new" if call.is_new else "call"), node_text(call.node)


def _created(kind, text, local_classes):
    if kind not in ("new", "call", "expression"):
        return None
    match = _CREATION.match(text)
    if match is None:
        return None
    name = match.group(1).rsplit(".", 1)[-1]
    if name in local_classes:
        return name
    # `new value.constructor(...)`, `new cls()`: the type comes from a value, not a choice
    # between concrete classes.
    if kind == "new" or text.lstrip().startswith("&"):
        return name if name[:1].isupper() else None
    return name if name[:1].isupper() and not name.isupper() else None


def _share_base(module, names):
    bases = [set(module.class_named(name).bases) for name in names if module.class_named(name)]
    return len(bases) == len(names) and bool(set.intersection(*bases)) if bases else False
