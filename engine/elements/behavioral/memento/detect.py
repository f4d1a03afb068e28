"""Recognize a Memento by its two roles on one originator, never by names.

A method captures some of the object's own fields in a new object of another class (returned, or
kept in one of its own collections), and another method takes such an object back (a parameter,
or one popped from its own history) and assigns every captured field from it: restore is the
inverse of save. A copy of the same class is a Prototype's clone, not a snapshot.
"""

import re

from cpt.engine.analysis import Hit
from cpt.engine.roles.behavioral_a_roles import (
    bare_fields,
    base_name,
    is_constructor,
    member_path,
    node_text,
    own_fields,
    receivers,
)

_BARE_NAME = re.compile(r"(?<![.\w$#])([A-Za-z_]\w*)\b(?!\s*\()")
# Taking the latest snapshot back: `pop()`, `[-1]`, `[len(h)-1]`, `peek()`, `removeLast()`.
_LAST = re.compile(r"\.(?:pop|peek|removeLast|pollLast|pollFirst|pop_back|at\(-1)\b|\[\s*-1\s*\]"
                   r"|\[\s*len\(.*\)\s*-\s*1\s*\]|\[\s*[\w.]+\.length\s*-\s*1\s*\]")
_MEMBER = re.compile(r"(?<![\w$])(?<![\w$)\]]\.)([A-Za-z_$][\w$]*)\.([\w#$]+)")
_ROOT = re.compile(r"(?<![.\w$])([A-Za-z_$][\w$]*)\s*(?:\?\.|[.\[])")  # `m.x`, `m[0]`, `m?.x`
_KEEP = frozenset({"append", "push", "add", "addLast", "addFirst", "offer", "offerLast",
                   "unshift", "insert", "put", "set"})
_CALL_PARENTS = ("call", "call_expression", "method_invocation")


def detect(ctx):
    module = ctx.module
    declared = {klass.name for klass in module.classes}
    for klass in module.classes:
        if klass.kind == "interface" or len(klass.methods) < 2:
            continue
        fields = own_fields(klass, ctx.module)
        if not fields:
            continue
        snapshots = [found for found in (_snapshot(ctx, method, klass, fields, declared)
                                         for method in klass.methods) if found]
        if not snapshots:
            continue
        hit = _paired(ctx, klass, fields, snapshots)
        if hit is not None:
            kept = hit.data.pop("kept") or _kept(ctx, hit.args["save"])
            hit.confidence = 0.9 if kept else 0.75
            yield hit


def _kept(ctx, save):
    """Somebody keeps what `save` hands out: `history.append(editor.save())`.

    Without a history, a save/restore pair may just be a value object's getter and setter.
    """
    suffix = f".{save}()"
    for _, call in ctx.module.all_calls():
        if call.name in _KEEP and any(node_text(arg).replace(" ", "").endswith(suffix)
                                      for arg in call.args):
            return True
    return False


def _paired(ctx, klass, fields, snapshots):
    """The first restore that puts back every field one of the snapshots captured."""
    for restore in klass.methods:
        if is_constructor(restore) or restore.is_static:
            continue
        restored = _restored(ctx, restore, fields)
        for save, snapshot, saved, kept in snapshots:
            if restore is not save and saved <= restored:
                return Hit(klass.name_span, data={"kept": kept}, args={
                    "name": klass.name, "save": save.name, "restore": restore.name,
                    "snapshot": snapshot, "fields": ", ".join(sorted(saved)),
                })
    return None


def _snapshot(ctx, method, klass, fields, declared):
    """(method, snapshot class, captured fields, kept in a history of its own) or None."""
    if is_constructor(method) or method.is_static:
        return None
    selves = None  # read only for a method that creates another class (few do)
    python = ctx.language == "python"
    for call in method.calls:
        created = _created_class(python, call, declared)
        if created is None or created == klass.name:
            continue
        if selves is None:
            selves = receivers(method)
        saved = _fields_in(ctx, node_text(call.arguments), selves, fields)
        where = _handed_out(ctx, method, call, selves, fields) if saved else None
        if where is not None:
            return method, created, saved, where == "kept"
    return None


def _created_class(python, call, declared):
    """The class an object creation builds (`new X(..)`, `X{..}`, `X(..)` of a class)."""
    name = base_name(call.callee.lstrip("&*"))
    if call.is_new or name in declared:
        return name
    if python and name[:1].isupper() and "." not in call.callee:
        return name  # an imported class: Python spells creation as a call
    return None


def _fields_in(ctx, text, selves, fields):
    """Own fields read in a piece of code: `self.x`, `this.#x`, `e.x`, Java's bare `x`."""
    found = set()
    if any(self_name in text for self_name in selves):  # an owner is one of them as written
        found.update(member.lstrip("#") for owner, member in _MEMBER.findall(text)
                     if owner in selves)
    bare = bare_fields(ctx, fields)
    if bare:  # only Java reaches fields bare
        found.update(name for name in _BARE_NAME.findall(text) if name in bare)
    return found & fields


def _handed_out(ctx, method, call, selves, fields):
    """"returned" or "kept" (in a collection of the object's own); None otherwise."""
    created = node_text(call.node)
    if any(ret.text.strip().lstrip("&*").strip() == created for ret in method.returns):
        return "returned"
    start, end = call.span.start_byte, call.span.end_byte
    bare = bare_fields(ctx, fields)
    for assignment in method.assignments:  # Go: `e.history = append(e.history, state{..})`
        if assignment.span.start_byte <= start and end <= assignment.span.end_byte:
            path = member_path(assignment.target, selves, bare)
            if path and len(path) == 1 and path[0] in fields:
                return "kept"
    holder = call.node.parent if call.node is not None else None
    while holder is not None and holder.type in ("argument_list", "arguments", "unary_expression"):
        holder = holder.parent
    if holder is None or holder.type not in _CALL_PARENTS:
        return None
    path = member_path(node_text(holder), selves, bare)  # the arguments are dropped
    return "kept" if path and len(path) >= 2 and path[0] in fields else None


def _restored(ctx, method, fields):
    """Own fields assigned from a member of a snapshot the method was given or popped."""
    selves = receivers(method)
    bare = bare_fields(ctx, fields)
    sources = {param.name for param in method.params} - selves
    for assignment in method.assignments:  # `m = self.history.pop()`
        if ("." not in assignment.target and _LAST.search(assignment.value_text)
                and member_path(assignment.value_text, selves, bare) is not None):
            sources.add(assignment.target.split()[-1])
    if not sources:
        return set()
    restored = set()
    for assignment in method.assignments:
        path = member_path(assignment.target, selves, bare)
        if (path and len(path) == 1 and sources.intersection(_ROOT.findall(assignment.value_text))
                and _plain(ctx, assignment)):
            restored.add(path[0])
    return restored & fields


def _plain(ctx, assignment):
    """`x = m.x` puts a value back; `x += len(t.text)` only moves it along."""
    if assignment.value is None:
        return True
    head = ctx.source[assignment.span.start_byte:assignment.value.start_byte].decode(
        "utf-8", "replace").rstrip()
    return head.endswith("=") and head[-2:-1] not in ("+", "-", "*", "/", "%", "|", "&", "^")
