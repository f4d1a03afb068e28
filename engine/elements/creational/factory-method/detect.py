"""Recognize a Factory Method: one function that creates and returns instances of two or more
different classes, chosen by a branch, to callers that only see the common type."""

import re

from cpt.engine.analysis import Hit

_CREATION = re.compile(r"^\s*(?:new\s+|&)?([A-Za-z_][\w.]*)\s*(?:<[^>]*>)?\s*[({]")


def detect(ctx):
    module = ctx.module
    local_classes = {klass.name for klass in module.classes}
    for function in module.functions:
        if function.is_constructor or len(function.returns) < 2 or function.branches == 0:
            continue
        created = []
        for ret in function.returns:
            name = _created(ret, local_classes)
            if name is not None and name not in created:
                created.append(name)
        if len(created) < 2:
            continue
        confidence = 0.85 if _share_base(module, created) else 0.75
        yield Hit(function.name_span, confidence=confidence, args={
            "name": function.qualified_name, "count": len(created), "types": ", ".join(created),
        })


def _created(ret, local_classes):
    if ret.kind not in ("new", "call", "expression"):
        return None
    match = _CREATION.match(ret.text)
    if match is None:
        return None
    name = match.group(1).rsplit(".", 1)[-1]
    # A created object is a constructor call: `new X`, a class of this module, or a type name.
    if ret.kind == "new" or ret.text.lstrip().startswith("&") or name in local_classes:
        return name
    return name if name[:1].isupper() and not name.isupper() else None


def _share_base(module, names):
    bases = [set(module.class_named(name).bases) for name in names if module.class_named(name)]
    return len(bases) == len(names) and bool(set.intersection(*bases)) if bases else False
