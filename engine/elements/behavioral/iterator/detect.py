"""Recognize an Iterator: a class that hands out its own elements through the iteration protocol.

The protocol is the language's, never a chosen name: Python's `__iter__`/`__next__`, JavaScript's
`[Symbol.iterator]` and `next()` answering `{value, done}`, Java's `Iterator`/`Iterable`, Go's
`iter.Seq` and cursor types whose bool-returning step advances a field that another method reads.
"""

import re

from cpt.engine.analysis import Hit
from cpt.engine.roles.behavioral_a_roles import base_name, node_text, receivers, result_type

_PY_PROTOCOL = ("__next__", "__anext__", "__iter__", "__aiter__")
_JS_PROTOCOL = ("[Symbol.iterator]", "[Symbol.asyncIterator]")
_JAVA_PROTOCOL = {
    "Iterator": ("hasNext", "next"), "ListIterator": ("hasNext", "next"),
    "PrimitiveIterator": ("hasNext", "next"), "OfInt": ("hasNext", "nextInt"),
    "Enumeration": ("hasMoreElements", "nextElement"), "Iterable": ("iterator",),
    "Spliterator": ("tryAdvance",), "AbstractIterator": ("computeNext",),
}
_HANDS_ITSELF = re.compile(r"^(?:new\s+)?[A-Za-z_$][\w$.]*\s*\((?:[^()]*,\s*)?(\w+)\s*[,)]")
_DONE = re.compile(r"\bdone\s*[:,}]")
_GO_SEQ = re.compile(r"\biter\.Seq2?\b")
_GO_YIELD = re.compile(r"^func\s*\(\s*\w+\s+func\s*\([^()]*\)\s*bool\s*\)\s*$")


def detect(ctx):
    language = ctx.language
    for klass in ctx.module.classes:
        if klass.kind == "interface":
            continue  # declares the protocol, implements nothing
        protocol = _PROTOCOLS[language](ctx, klass) if language in _PROTOCOLS else None
        if protocol is not None:
            yield Hit(klass.name_span, args={"name": klass.name, "protocol": protocol})
    if language == "java":
        yield from _java_anonymous(ctx)
    if language == "go":
        yield from _go_sequences(ctx)


def _python(ctx, klass):
    """`__next__` or `__iter__` that reads the object's own state (not a bare `return self`)."""
    for name in _PY_PROTOCOL:
        method = next((item for item in klass.methods if item.name == name), None)
        if method is not None and _reads_own_state(ctx, klass, method):
            return name
    return None


def _reads_own_state(ctx, klass, method):
    """`self.items`, `this.#pages` (not one of its methods), or `return ListIterator(self)`."""
    text = ctx.text(method.span)
    behaviour = {item.name for item in klass.methods}
    selves = receivers(method)
    for ret in method.returns:
        match = _HANDS_ITSELF.match(ret.text)
        if match and match.group(1) in selves:
            return True
    for name in selves:
        for attribute in re.findall(rf"\b{re.escape(name)}\.([\w#$]+)\b(?!\s*\()", text):
            if attribute not in behaviour:
                return True
    return False


def _javascript(ctx, klass):
    """`[Symbol.iterator]` over the object's state, or `next()` answering `{value, done}`."""
    for method in klass.methods:
        if method.name in _JS_PROTOCOL and _reads_own_state(ctx, klass, method):
            return method.name
    for method in klass.methods:
        if method.name == "next" and any(ret.text.lstrip().startswith("{")
                                         and _DONE.search(ret.text) for ret in method.returns):
            return "next()"
    return None


def _java(ctx, klass):
    """Implements Iterator/Iterable (or kin) and writes the protocol's methods."""
    names = {method.name for method in klass.methods}
    for base in klass.bases:
        needed = _JAVA_PROTOCOL.get(base_name(base))
        if needed and all(name in names for name in needed):
            return base_name(base)
    return None


def _java_anonymous(ctx):
    """`new Iterator<T>() { hasNext() ... next() ... }` written inside a method."""
    for function, call in ctx.module.all_calls():
        if not call.is_new or function is None:
            continue
        needed = _JAVA_PROTOCOL.get(base_name(call.callee))
        node = call.node
        body = next((child for child in node.children if child.type == "class_body"),
                    None) if (needed and node is not None) else None
        if body is None:
            continue
        declared = {node_text(child.child_by_field_name("name"))
                    for child in body.named_children if child.type == "method_declaration"}
        if all(name in declared for name in needed):
            yield Hit(call.span, args={"name": f"anonymous {base_name(call.callee)} in "
                                               f"{function.qualified_name}",
                                       "protocol": base_name(call.callee)})


def _go_cursor(ctx, klass):
    """A bool-returning step that advances the receiver, and an accessor reading what it moved."""
    steps = [method for method in klass.methods
             if not method.params and result_type(method) == "bool"]
    for step in steps:
        moved, delegate = _advanced(ctx, step)
        if not moved and not delegate:
            continue
        for reader in klass.methods:
            if reader is step or reader.params or result_type(reader) in ("", "bool", "error"):
                continue
            if _reads_cursor(ctx, reader, moved, delegate):
                return f"{step.name}()/{reader.name}()"
    return None


def _advanced(ctx, step):
    """Receiver fields the step changes (or fills through `&r.f`), and the field it steps."""
    text = ctx.text(step.span)
    moved, delegate = set(), None
    for name in receivers(step) - {"self", "this"}:
        own = re.escape(name)
        moved.update(re.findall(rf"\b{own}\.(\w+)\s*(?:\+\+|--|[-+]=|=(?!=))", text))
        moved.update(re.findall(rf"&{own}\.(\w+)", text))
        for ret in step.returns:
            match = re.match(rf"^{own}\.(\w+)\.\w+\(", ret.text)
            delegate = delegate or (match.group(1) if match else None)
    return moved, delegate


def _reads_cursor(ctx, reader, moved, delegate):
    """The accessor indexes by the cursor, returns what the step filled or asks the stepped one."""
    text = ctx.text(reader.span)
    for name in receivers(reader) - {"self", "this"}:
        own = re.escape(name)
        for field in moved:
            if re.search(rf"\[\s*{own}\.{re.escape(field)}\b[^\]:]*\]", text) or any(
                    ret.text.strip() == f"{name}.{field}" for ret in reader.returns):
                return True
        if delegate and re.search(rf"\b{own}\.{re.escape(delegate)}\.\w+\(", text):
            return True
    return False


def _go_sequences(ctx):
    """Functions returning an `iter.Seq` (or the bare `func(yield func(T) bool)` behind it)."""
    for function in ctx.module.functions:
        if function.node is None or function.node.type == "func_literal":
            continue
        declared = result_type(function)
        if _GO_SEQ.search(declared) or _GO_YIELD.match(declared):
            yield Hit(function.name_span, args={"name": function.qualified_name,
                                                "protocol": declared})


_PROTOCOLS = {
    "python": _python, "javascript": _javascript, "typescript": _javascript, "java": _java,
    "go": _go_cursor,
}
