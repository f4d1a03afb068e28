"""Judge double-checked locking: broken in Java without volatile and in Go without atomics.

The queries find the shape (check, lock, same check); this check confirms both checks test the
same thing and gives the verdict of the language's memory model. A correct use is lowered to
information; a broken one keeps the card's warning.
"""

import re

from cpt.engine.analysis import Hit
from cpt.engine.roles.concurrency_roles import (
    enclosing_function,
    model_function,
    normalized,
    text_of,
)

_SUBJECT = (
    re.compile(r"([\w.]+)\s*(?:==|!=|\bis\s+not\b|\bis\b)\s*(?:null|None|nil)\b"),
    re.compile(r"\b(?:null|None|nil)\s*(?:==|!=)\s*([\w.]+)"),
    re.compile(r"Load\w*\(\s*&?([\w.]+)\s*\)"),
    re.compile(r"([\w.]+)\.(?:Load|get)\(\s*\)"),
    re.compile(r"(?:\bnot\s+|!)\s*\(?\s*([\w.]+)"),
)
_ATOMIC = re.compile(r"\batomic\.|\.Load\w*\(|\.get\(\)")
_CLASS_TYPES = ("class_declaration", "enum_declaration", "record_declaration")

_BROKEN_JAVA = ("broken: `{field}` is not volatile, so another thread can see it set before "
                "the object it points to is fully built; declare it volatile or use a holder class")
_RIGHT_JAVA = "correct since Java 5 because `{field}` is volatile"
_ATOMIC_FIRST = "correct: the first check is an atomic read"
_BROKEN_GO = ("racy: the first check reads `{field}` without synchronization (a data race under "
              "the Go memory model); use sync.Once")
_RIGHT_PYTHON = ("safe in Python (the GIL makes rebinding atomic); `functools.cache` or a "
                 "module-level value is simpler")


def check(ctx, captures):
    outer, inner = captures["_outer"][0], captures["_inner"][0]
    outer_text = text_of(outer)
    atomic = _ATOMIC.search(outer_text) is not None
    subject = _subject(outer_text)
    if normalized(outer) != normalized(inner) and not (
            atomic and subject and subject.rsplit(".", 1)[-1] in text_of(inner)):
        return None  # two different conditions: not a re-check
    if ctx.language == "python" and not _looks_like_lock(captures["_lock"][0]):
        return None
    field = (subject or outer_text.strip("() ")).split(".")[-1]
    node = captures["match"][0]
    if ctx.language == "java" and not atomic:
        field = _java_field_behind_local(ctx, node, field)
    severity, verdict = _verdict(ctx, node, field, atomic)
    return Hit(node.child_by_field_name("condition") or node, severity=severity,
               args={"subject": field, "verdict": verdict})


def _subject(condition):
    for pattern in _SUBJECT:
        match = pattern.search(condition)
        if match:
            return match.group(1)
    return None


def _looks_like_lock(value):
    """`with self._lock:` holds a lock; `with open(path):` does not."""
    if value.type in ("identifier", "attribute", "subscript"):
        return True
    return value.type == "call" and "lock" in text_of(
        value.child_by_field_name("function")).lower()


def _verdict(ctx, node, field, atomic):
    if ctx.language == "python":
        return "info", _RIGHT_PYTHON
    if atomic:
        return "info", _ATOMIC_FIRST
    if ctx.language == "go":
        return None, _BROKEN_GO.format(field=field)
    if _java_volatile(node, field):
        return "info", _RIGHT_JAVA.format(field=field)
    return None, _BROKEN_JAVA.format(field=field)


def _java_field_behind_local(ctx, node, name):
    """`Helper h = helper; if (h == null) ...` checks the field `helper` through a local."""
    function = model_function(ctx.module, enclosing_function(node))
    if function is None:
        return name
    for assignment in function.assignments:
        if assignment.target == name and assignment.value_kind in ("name", "member"):
            return assignment.value_text.rsplit(".", 1)[-1]
    return name


def _java_volatile(node, field):
    """Say whether `field` is declared volatile in the class around the check."""
    klass = node.parent
    while klass is not None and klass.type not in _CLASS_TYPES:
        klass = klass.parent
    body = klass.child_by_field_name("body") if klass is not None else None
    for member in body.named_children if body is not None else ():
        if member.type != "field_declaration":
            continue
        names = [text_of(d.child_by_field_name("name"))
                 for d in member.children_by_field_name("declarator")]
        if field in names:
            modifiers = next((c for c in member.named_children if c.type == "modifiers"), None)
            return "volatile" in text_of(modifiers).split()
    return False
