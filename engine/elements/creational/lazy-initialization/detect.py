"""Recognize Lazy Initialization by its roles: a value computed on first use, then kept.

A function returns a field (or a module/closure variable), assigns it a computed value, and
guards that assignment with a test for "not set yet" (None/null/nil/undefined, `??=`, `||=`,
`sync.Once`). Caches keyed by an argument and a class's own single instance are left to
Multiton and Singleton.
"""

import re

from cpt.engine.analysis import Hit
from cpt.engine.roles.creational_roles import (
    SELF_TYPE,
    created_type,
    nested_functions,
    own_field,
    persistent_names,
    receiver_names,
    strip_parens,
)

_COMPUTED = frozenset({"call", "new", "expression", "other", "member", "dict", "list", "set"})
_CACHED_DECORATOR = re.compile(r"@(?:functools\.)?(?:cached_property|cache|lru_cache)\b")
_NULL = r"(?:None|null|nil|undefined)"


def detect(ctx):
    module = ctx.module
    local_classes = frozenset(klass.name for klass in module.classes)
    # Every caching decorator spells `cache`: a file without it has no decorator to read.
    decorated = ctx.language == "python" and b"cache" in ctx.source
    for function in module.functions:
        if function.is_constructor:
            continue
        field = _cached_by_decorator(function, ctx.language) if decorated else None
        if field is None and function.returns:
            field = _guarded_storage(ctx, function, module, local_classes)
        if field is not None:
            yield Hit(function.name_span, args={"name": function.qualified_name, "field": field})


def _cached_by_decorator(function, language):
    """`@cached_property`, or `@cache` on a function without arguments: computed once."""
    if language != "python" or function.node is None:
        return None
    parent = function.node.parent
    if parent is None or parent.type != "decorated_definition":
        return None
    decorators = " ".join(child.text.decode("utf-8", "replace")
                          for child in parent.named_children if child.type == "decorator")
    match = _CACHED_DECORATOR.search(decorators)
    if match is None:
        return None
    if "cached_property" in match.group(0):
        return function.name
    arguments = [param for param in function.params if param.name not in ("self", "cls")]
    return function.name if not arguments and function.owner is None else None


def _guarded_storage(ctx, function, module, local_classes):
    """The storage a function fills on first use and returns, or None."""
    returned = {strip_parens(ret.text) for ret in function.returns if ret.text}
    for text in returned:
        match = re.match(r"^([\w$.#]+)\s*(?:\?\?=|\|\|=)", text)
        if match and _is_storage(match.group(1), function, module):
            return match.group(1)
    candidates = [text for text in returned if "[" not in text]
    if not candidates:
        return None
    body = None
    bodies = [function]
    if any(call.name == "Do" for call in function.calls):  # sync.Once runs a closure
        bodies = nested_functions(function, module)
    for inner in bodies:
        for assignment in inner.assignments:
            target = assignment.target
            if target not in candidates or assignment.value_kind not in _COMPUTED:
                continue
            if next(_occurrences(assignment.value_text, target), None) is not None:
                continue  # `x = !x`, `n = n + 1`: an update, not a first fill
            if body is None:
                body = ctx.text(function.node) if function.node is not None else ""
            if "." not in target and not _outer_variable(target, function, body, ctx.language):
                continue
            if not (_is_storage(target, function, module) or _is_outer_js(target, function, body,
                                                                            ctx.language)):
                continue
            if _creates_own_instance(assignment.value_text, target, function, module,
                                     ctx.language, local_classes):
                continue
            if _guarded(body, target):
                return target
    return None


def _is_storage(target, function, module):
    """A field of the receiver, or a variable that outlives the call."""
    if own_field(target, receiver_names(function)) is not None:
        return True
    name = target.rsplit(".", 1)[-1]
    if "." not in target and function.owner is not None and function.owner.field_named(name):
        return True  # Java reads its fields without `this.`
    return name in persistent_names(function, module)


_DECLARATIONS = frozenset({"variable_declarator", "short_var_declaration", "var_spec",
                           "local_variable_declaration", "lexical_declaration"})


def _outer_variable(name, function, body, language):
    """A bare name is storage only when it is not a local of this function."""
    if language == "python":
        if "global" not in body and "nonlocal" not in body:
            return False  # the usual case, without compiling an expression for the name
        return re.search(rf"\b(?:global|nonlocal)\b[^\n]*\b{re.escape(name)}\b", body) is not None
    return not any(assignment.target == name and assignment.value is not None
                   and assignment.value.parent is not None
                   and assignment.value.parent.type in _DECLARATIONS
                   for assignment in function.assignments)


def _is_outer_js(target, function, body, language):
    """A JavaScript variable declared outside the function (`let parser;` has no value)."""
    if language not in ("javascript", "typescript") or not target.isidentifier():
        return False
    if target in {param.name for param in function.params}:
        return False
    parameters = function.node.child_by_field_name("parameters") if function.node else None
    if parameters is not None and next(
            _occurrences(parameters.text.decode("utf-8", "replace"), target), None) is not None:
        return False  # destructured: `({ path, result = null }) => ...`
    return re.search(rf"\b(?:let|const|var)\s+{re.escape(target)}\b", body) is None


def _creates_own_instance(value, target, function, module, language, local_classes):
    """A class storing an instance of itself, or a global holding a local class: Singleton."""
    created = created_type(value, language, local_classes)
    if created is None:
        return False
    if created == SELF_TYPE or (function.owner is not None and created == function.owner.name):
        return True
    is_field = own_field(target, receiver_names(function)) is not None
    static_target = not is_field or target.split(".", 1)[0] in ("cls",)
    return static_target and created in local_classes


_ONCE_DO = re.compile(r"\.Do\s*\(")  # `once.Do(`, respaced `once.Do (`
_NULL_AFTER = re.compile(rf"^\s*(?:is(?:\s+not)?|[!=]==?)\s*{_NULL}\b|^\s*(?:\?\?=|\|\|=)")
_NULL_BEFORE = re.compile(rf"(?:\b{_NULL}\s*[!=]==?|\bnot|!|\bif\s*\(?)\s*$")


def _guarded(body, target):
    """The body tests the storage for "not set yet" (or runs the assignment through a Once)."""
    if ".Do" in body and _ONCE_DO.search(body):  # Go: sync.Once runs the assignment once
        return True
    field = target.rsplit(".", 1)[-1]
    if "hasattr" in body and re.search(
            rf"hasattr\s*\(\s*\w+\s*,\s*['\"]{re.escape(field)}['\"]", body):
        return True
    for start in _occurrences(body, target):
        end = start + len(target)
        before, after = body[max(0, start - 16):start], body[end:end + 24]
        if _NULL_AFTER.match(after):
            return True
        match = _NULL_BEFORE.search(before)
        if match and (not match.group(0).lstrip().startswith("if") or after.lstrip()[:1] in "):"):
            return True
    return False


def _occurrences(text, name):
    """Start offsets of `name` as a whole word (not `x.name`, not `name_2`)."""
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        if (start == 0 or not _word_char(text[start - 1])) and (
                end >= len(text) or not _word_char(text[end])):
            yield start
        start = text.find(name, end)


def _word_char(char):
    return char.isalnum() or char in "_$#."
