"""Recognize a Prototype by its roles: an object that makes copies of itself.

A method without arguments returns a copy of its own object: it asks the language to copy
it (`copy.deepcopy(self)`, `super.clone()`, `structuredClone(this)`, `*r` in Go), calls its
own class's copy constructor with itself, or builds a new instance of its own class from its
own fields, each in its place. Methods that take arguments (`with_x(v)`) or transform the
fields (`negated()`) build new values, not copies.
"""

import re

from cpt.engine.analysis import Hit
from cpt.engine.roles.creational_roles import (
    SELF_TYPE,
    compact,
    created_type,
    own_field,
    receiver_names,
    strip_parens,
)

_PROTOCOL = frozenset({"__copy__", "__deepcopy__"})
_COPY_SELF = {
    "python": r"\b(?:copy\.)?(?:deep)?copy\(\s*self\s*[,)]|__class__\.__new__\(",
    "java": r"\bsuper\.clone\(\)",
    "javascript": r"\bstructuredClone\(\s*this\s*\)"
                  r"|Object\.create\(\s*Object\.getPrototypeOf\(\s*this",
    "go": None,  # built per receiver name
}
# A word each pattern of _COPY_SELF holds (Go's: the `*` of `*r`): none in the text, no match.
_COPY_WORDS = {
    "python": ("copy", "__class__"),
    "java": ("clone",),
    "javascript": ("structuredClone", "getPrototypeOf"),
    "go": ("*",),
}
_COPY_WRAPPER = re.compile(
    r"^(?:list|dict|set|tuple|copy\.copy|copy\.deepcopy|deepcopy|new\s+\w+(?:<[^>]*>)?|Array\.from"
    r"|List\.copyOf|Map\.copyOf|Set\.copyOf|structuredClone)\(\s*(.+?)\s*\)$"
    r"|^(.+?)\.(?:copy|clone|slice)\(\)$|^\[\s*\.\.\.(.+)\]$|^\{\s*\.\.\.(.+)\}$")


def detect(ctx):
    module = ctx.module
    local_classes = frozenset(klass.name for klass in module.classes)
    for klass in module.classes:
        for method in klass.methods:
            if method.is_constructor or method.is_static or not method.returns:
                continue
            if _has_arguments(method) and method.name not in _PROTOCOL:
                continue
            if _copies_itself(ctx, method, klass, local_classes):
                yield Hit(klass.name_span, args={"name": klass.name, "method": method.name})
                break


def _has_arguments(method):
    return any(param.name not in ("self", "cls") for param in method.params)


def _copies_itself(ctx, method, klass, local_classes):
    receivers = receiver_names(method)
    if _language_copy(ctx, method, receivers):
        return True
    ctor = _constructor_params(klass)
    fields = [field.name for field in klass.fields]
    for ret in method.returns:
        value = strip_parens(compact(ret.text))
        if _is_own_instance(value, klass, ctx.language, local_classes) and _copied_arguments(
                value, receivers, ctor, fields, ctx.language):
            return True
        if _fresh_copying_self(value, klass, receivers):
            return True
        if value.isidentifier() and _filled_copy(method, value, receivers, klass, ctx.language,
                                                 local_classes):
            return True
    return False


def _language_copy(ctx, method, receivers):
    """`copy.deepcopy(self)`, `super.clone()`, `structuredClone(this)`, Go's `c := *r`."""
    if method.node is None:
        return False
    body = ctx.text(method.node)
    language = "javascript" if ctx.language == "typescript" else ctx.language
    if not any(word in body for word in _COPY_WORDS.get(language, ())):
        return False  # compacting the body costs more than these searches
    if language == "go":
        names = "|".join(re.escape(name) for name in receivers)
        return re.search(rf"(?::=|=)\s*\*({names})\s*$", body, re.MULTILINE) is not None
    pattern = _COPY_SELF.get(language)
    # The patterns are written without layout: `copy.deepcopy ( self )` is the same call.
    return bool(pattern and re.search(pattern, compact(body)))


def _is_own_instance(value, klass, language, local_classes):
    created = created_type(value, language, local_classes)
    return created in (klass.name, SELF_TYPE)


def _arguments(value):
    """The argument texts of `C(a, b)` / `new C(a, b)` / `&C{A: a}`, split at top-level commas."""
    value = re.sub(r"^type\(\s*self\s*\)", "cls", value.strip())
    open_at = min((i for i in (value.find("("), value.find("{")) if i >= 0), default=-1)
    if open_at < 0:
        return []
    inner = value[open_at + 1:-1]
    parts, depth, start = [], 0, 0
    for index, char in enumerate(inner):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(inner[start:index].strip())
            start = index + 1
    parts.append(inner[start:].strip())
    return [part for part in parts if part]


def _copied_arguments(value, receivers, ctor, fields, language):
    """`C(self)` (a copy constructor), or own fields passed each to the parameter of its name."""
    arguments = _arguments(value)
    if len(arguments) == 1 and arguments[0] in receivers:
        return True
    if not arguments:
        return False
    for position, argument in enumerate(arguments):
        name, _, expression = argument.partition(":" if language == "go" else "=")
        if not expression or "(" in name or "." in name:
            name, expression = None, argument
        field = _read_field(expression.strip(), receivers)
        if field is None:
            return False
        expected = name.strip() if name else _expected_name(position, ctor, fields)
        if expected is None or _bare(expected) != _bare(field):
            return False
    return True


def _read_field(expression, receivers):
    """The field an argument reads, directly or through a copy (`list(self.x)`, `[...this.x]`)."""
    match = _COPY_WRAPPER.match(expression)
    if match:
        expression = next(group for group in match.groups() if group)
    return own_field(expression, receivers)


def _expected_name(position, ctor, fields):
    names = ctor if ctor is not None else fields
    return names[position] if position < len(names) else None


def _bare(name):
    return name.lstrip("_#").lower()


def _constructor_params(klass):
    for method in klass.constructors:
        names = [param.name for param in method.params if param.name not in ("self", "cls")]
        if names:
            return names
    return None


# The end every `_fresh_copying_self` match has: a cheap test before the per-class expression.
_COPY_CALL_END = re.compile(r"\([^()]*\)\s*\.\s*[\w$]+\(\s*(\w+)\s*\)$")


def _fresh_copying_self(value, klass, receivers):
    """`new this.constructor().copy(this)`: a blank instance of its own class told to copy it."""
    end = _COPY_CALL_END.search(value)
    if end is None or end.group(1) not in receivers:
        return False  # most returns; compiling the expression below for each class costs more
    own = rf"(?:new\s+)?(?:this\.constructor|type\(self\)|self\.__class__|{re.escape(klass.name)})"
    match = re.match(rf"^{own}\s*\([^()]*\)\s*\.\s*[\w$]+\(\s*(\w+)\s*\)$", value)
    return match is not None and match.group(1) in receivers


def _filled_copy(method, local, receivers, klass, language, local_classes):
    """`c = C(); c.x = self.x; c.y = self.y; return c`: a blank instance given every field."""
    created = any(a.target == local and _is_own_instance(a.value_text, klass, language,
                                                          local_classes)
                  for a in method.assignments)
    if not created:
        return False
    copied = [a for a in method.assignments if a.target.startswith(local + ".")
              and _read_field(compact(a.value_text), receivers) == a.target.split(".", 1)[1]]
    return len(copied) >= 2
