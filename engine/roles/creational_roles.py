"""Roles shared by the creational patterns: who creates what, who owns which storage.

Everything here reads the code model and the short texts it carries; nothing walks a tree.
"""

from __future__ import annotations

import re

_SELF_WORDS = frozenset({"self", "this", "cls"})
_IDENT = r"[A-Za-z_$][\w$]*"
_NEW = re.compile(rf"^\s*new\s+({_IDENT}(?:\.{_IDENT})*)\s*(?:<[^>]*>)?\s*\(")
_GO_LITERAL = re.compile(rf"^\s*&?\s*({_IDENT}(?:\.{_IDENT})*)\s*\{{")
_GO_NEW = re.compile(rf"^\s*new\(\s*\*?({_IDENT}(?:\.{_IDENT})*)\s*\)")
_CALL = re.compile(rf"^\s*({_IDENT}(?:\.{_IDENT})*)\s*\(")
_PY_OWN_CLASS = re.compile(
    r"^\s*(?:cls|type\(self\)|self\.__class__|super\(\)\.__(?:new|call)__|object\.__new__)\s*\(")
_JS_OWN_CLASS = re.compile(r"^\s*new\s+this(?:\.constructor)?\s*\(")
_METHOD_REF = re.compile(rf"\b({_IDENT})::new\b")
_LAMBDA_NEW = re.compile(rf"(?:->|=>)\s*\(?\s*new\s+({_IDENT})\s*(?:<[^>]*>)?\s*\(")
_NOT_TYPES = frozenset({"map", "struct", "func", "chan", "interface"})
# Spaces next to punctuation are layout (`super ().__new__ ( cls )`); words keep theirs.
_LAYOUT = re.compile(r"\s+(?=[^\w$\s])|(?<=[^\w$\s])\s+")
SELF_TYPE = "<self>"
_FIELD_NAME = re.compile(r"#?[\w$]+")


def compact(text: str) -> str:
    """`super ().__new__ ( cls )` -> `super().__new__(cls)`: one spelling per expression."""
    return _LAYOUT.sub("", text)


def created_type(text: str, language: str, local_classes=frozenset()) -> str | None:
    """The class a value expression creates, or None when it creates nothing recognizable.

    `SELF_TYPE` stands for "the class of the receiver" (`cls(...)`, `new this.constructor()`).
    """
    if not text:
        return None
    text = compact(text)
    if language == "go":
        match = _GO_LITERAL.match(text) or _GO_NEW.match(text)
        if match is None or text.lstrip().startswith(("[", "map[")):
            return None
        name = match.group(1).rsplit(".", 1)[-1]
        return None if name in _NOT_TYPES else name
    if language == "python":
        if _PY_OWN_CLASS.match(text):
            return SELF_TYPE
        match = _CALL.match(text)
        if match is None:
            return None
        name = match.group(1).rsplit(".", 1)[-1]
        if name in local_classes:
            return name
        # CapWords is how Python names classes; ALL_CAPS are constants, not constructors.
        return name if name[:1].isupper() and not name.isupper() else None
    if language in ("javascript", "typescript") and _JS_OWN_CLASS.match(text):
        return SELF_TYPE
    match = _NEW.match(text)
    if match is not None:
        return match.group(1).rsplit(".", 1)[-1]
    if language in ("javascript", "typescript"):
        match = _CALL.match(text)
        if match is not None and match.group(1) in local_classes:
            return match.group(1)
    return None


def created_in_callback(text: str) -> str | None:
    """The class a factory argument creates: `Tenant::new`, `k -> new Tenant(k)`."""
    match = _METHOD_REF.search(text) or _LAMBDA_NEW.search(text)
    return match.group(1) if match else None


def receiver_names(function) -> set[str]:
    """Names that mean "this object" inside a method (Go names its receiver freely)."""
    names = set(_SELF_WORDS)
    node = function.node
    if node is not None and node.type == "method_declaration":
        receiver = node.child_by_field_name("receiver")
        if receiver is not None:
            for declaration in receiver.named_children:
                name = declaration.child_by_field_name("name")
                if name is not None:
                    names.add(name.text.decode("utf-8", "replace"))
    return names


def own_field(text: str, receivers: set[str]) -> str | None:
    """`self.items` / `this.#free` / `p.conns` -> the field name; anything else -> None."""
    parts = text.strip().split(".")
    if len(parts) == 2 and parts[0] in receivers and _FIELD_NAME.fullmatch(parts[1]):
        return parts[1]
    return None


def strip_parens(text: str) -> str:
    """`(this._x)` -> `this._x`; a return written in parentheses is the same value."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text


class _ModuleIndex:
    """Per-file facts computed once and reused by every function of the file."""

    def __init__(self, module):
        self.module = module
        self.functions = sorted(module.functions, key=lambda item: item.span.start_byte)
        self.position = {id(function): index for index, function in enumerate(self.functions)}
        self.by_span = {(item.span.start_byte, item.span.end_byte): item for item in self.functions}
        instance_fields = {field.name for klass in module.classes for field in klass.fields
                           if not field.static}
        self.globals = {assignment.target for assignment in module.assignments
                        if "." not in assignment.target and not (
                            assignment.target in instance_fields
                            and _instance_field(assignment, module))}


_last_index: list = [None]


def _index(module) -> _ModuleIndex:
    """The index of the file being analyzed (one file at a time per analyzer)."""
    index = _last_index[0]
    if index is None or index.module is not module:
        index = _last_index[0] = _ModuleIndex(module)
    return index


def nested_functions(function, module) -> list:
    """The function and the functions written inside it (callbacks, `sync.Once` bodies)."""
    index = _index(module)
    position = index.position.get(id(function))
    if position is None:
        return [function]
    end = function.span.end_byte
    found = [function]
    functions = index.functions
    position += 1  # walked by index: a slice to the end of the file per function is quadratic
    while position < len(functions) and functions[position].span.start_byte < end:
        found.append(functions[position])
        position += 1
    return found


def enclosing_functions(function, module) -> list:
    """Functions whose body holds this one (closures keep their variables alive)."""
    by_span = _index(module).by_span
    found = []
    node = function.node.parent if function.node is not None else None
    while node is not None:
        outer = by_span.get((node.start_byte, node.end_byte))
        if outer is not None and outer is not function:
            found.append(outer)
        node = node.parent
    return found


def persistent_names(function, module) -> set[str]:
    """Variables that outlive one call: module-level, static fields of the owner, closure state."""
    names = set(_index(module).globals)
    if function.owner is not None:
        names.update(field.name for field in function.owner.fields if field.static)
    if function.owner is None or not function.is_method:
        for outer in enclosing_functions(function, module):
            names.update(assignment.target for assignment in outer.assignments)
            if outer.owner is not None:
                names.update(field.name for field in outer.owner.fields if field.static)
    return names


def _instance_field(assignment, module) -> bool:
    """A field initializer inside a class body (`private Map m = ...`) that is not static."""
    start = assignment.span.start_byte
    for klass in module.classes:
        if klass.span.start_byte <= start < klass.span.end_byte:
            field = klass.field_named(assignment.target)
            if field is not None and not field.static:
                return True
    return False


def storage_root(text: str) -> tuple[str, str]:
    """Split `cls._pool[key]` into (`_pool`, `cls`); `byId` into (`byId`, ``)."""
    head = text.split("[", 1)[0].strip()
    parts = head.split(".")
    if len(parts) == 1:
        return parts[0], ""
    prefix = ".".join(parts[:-1])
    return parts[-1], prefix


def is_static_storage(text: str, function, persistent: set[str]) -> bool:
    """Storage shared by every call: a module variable, a closure variable, a class-level field."""
    name, prefix = storage_root(text)
    if name not in persistent:
        return False
    if not prefix:
        return True
    owner = function.owner
    static_owner = owner is not None and name in {f.name for f in owner.fields if f.static}
    if prefix == "cls" or (owner is not None and prefix == owner.name):
        return static_owner
    if prefix in ("self", "this"):
        # `self._pool` reads the class attribute; `this` in a static method is the class.
        return static_owner and (prefix == "self" or function.is_static)
    return False
