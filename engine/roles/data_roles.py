"""Roles shared by the data-access and wiring detectors.

Registry, Service Locator, Repository, Data Mapper, Active Record, DTO, Dependency Injection.

Everything is read from the code model and the tree-sitter nodes it carries; names of the
user's classes and methods are never evidence. What is read instead:

- keyed stores: `store[key] = value`, `store.set/put(key, value)` and the matching reads;
- own state: `self.x` / `this.x` / a Go receiver's `r.x` / a bare Java field;
- SQL text in string literals (statement keywords are data, not identifiers);
- object creation of a class declared in the same file.
"""

from __future__ import annotations

import re

SELF = frozenset({"self", "this", "cls"})
_STORE_WRITES = frozenset({"set", "put", "Store", "__setitem__"})
_STORE_WRITE_CALL = re.compile(r"\.(?:" + "|".join(sorted(_STORE_WRITES)) + r")\n")
_STORE_READS = frozenset({"get", "getOrDefault", "Load", "__getitem__"})
_SUBSCRIPT = re.compile(r"^\s*([\w.#$]+)\s*\[\s*([^\]\[]+?)\s*\]\s*$")
_SUBSCRIPTS = re.compile(r"([\w.#$]+)\s*\[\s*([\w.]+)\s*\]")  # `m[k]`, `m [ k ]`
_SQL_WRITE = re.compile(r"\b(INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+[\w\"`.]+\s+SET|DELETE\s+FROM|"
                        r"REPLACE\s+INTO)\b", re.I)
_SQL_READ = re.compile(r"\bSELECT\b[\s\S]*\bFROM\b", re.I)
_STRINGS = frozenset({"string", "string_literal", "interpreted_string_literal",
                      "raw_string_literal", "template_string", "text_block",
                      "concatenated_string", "formatted_string"})
_CONCATENATIONS = frozenset({"binary_expression", "binary_operator"})
_CREATION = re.compile(r"^\s*(?:new\s+|&)?([A-Za-z_][\w.]*)\s*(?:<[^>]*>\s*)?[({]")
_GENERIC = re.compile(r"[<\[].*$", re.S)


def text(node) -> str:
    """Source text of a node ("" for None)."""
    if node is None:
        return ""
    return node.text.decode("utf-8", "replace")


def base_name(value: str) -> str:
    """`abc.ABC` -> `ABC`, `List<T>` -> `List`, `*Store` -> `Store`."""
    value = _GENERIC.sub("", value or "").strip().lstrip("*&").strip()
    return value.rsplit(".", 1)[-1]


def is_constructor(function) -> bool:
    return function.is_constructor or function.name in ("__init__", "constructor")


def go_receiver(function) -> str | None:
    """The name a Go method gives its receiver."""
    node = function.node
    if node is None or node.type != "method_declaration":
        return None
    params = node.child_by_field_name("receiver")
    for declaration in params.named_children if params is not None else ():
        name = declaration.child_by_field_name("name")
        if name is not None:
            return text(name)
    return None


def self_names(function) -> set[str]:
    """Every name a method may use for its own object."""
    names = set(SELF)
    receiver = go_receiver(function)
    if receiver:
        names.add(receiver)
    return names


def own_member(expression: str, function, fields: set[str] | None = None) -> str | None:
    """`self.x` / `this.#x` / Go `r.x` / a bare Java field `x` -> `x`; else None."""
    expression = expression.strip()
    head, _, rest = expression.partition(".")
    if rest and (head in SELF or head == go_receiver(function)):
        member = rest.split(".", 1)[0].split("(", 1)[0].lstrip("#")
        return member or None
    if fields and not rest and expression in fields:
        return expression
    return None


def params(function) -> list:
    """Parameters other than the receiver (`self`, `cls`)."""
    return [param for param in function.params if param.name not in ("self", "cls")]


def param_names(function) -> set[str]:
    return {param.name for param in params(function)}


def param_type(param) -> str:
    """The declared type of a parameter as written ("" when untyped)."""
    node = param.node
    if node is None:
        return ""
    kind = node.child_by_field_name("type")
    if kind is None and node.parent is not None and node.type == "identifier":
        kind = node.parent.child_by_field_name("type")  # Go: `a, b int` shares one type
    if kind is None:
        return ""
    return text(kind).lstrip(":").strip()


def class_fields(klass) -> set[str]:
    """Names of a class's fields, without subscripts (`_items[key]` is a write, not a field)."""
    return {field.name.lstrip("#") for field in klass.fields if "[" not in field.name}


def is_string(node) -> bool:
    return node is not None and node.type in _STRINGS


def string_args(call) -> list[str]:
    """Texts of the string literals among a call's arguments (`"..." + x` included)."""
    return [text(arg) for arg in call.args if is_string(arg) or (
        arg.type in _CONCATENATIONS and arg.named_children and is_string(arg.named_children[0]))]


def sql_kind(call, function=None) -> str | None:
    """'write' or 'read' when a call passes SQL text (directly or through a local name)."""
    texts = string_args(call)
    if function is not None and not texts:
        names = {text(arg) for arg in call.args if arg.type == "identifier"}
        texts = [assignment.value_text for assignment in function.assignments
                 if assignment.target in names and assignment.value_kind in ("string", "template",
                                                                             "expression")]
    for value in texts:
        if _SQL_WRITE.search(value):
            return "write"
        if _SQL_READ.search(value):
            return "read"
    return None


# A string that starts with an SQL statement: a quote, blanks, then this (lower-cased text).
_SQL_STATEMENT = re.compile(
    rb"(insert\s+(or\s+\w+\s+)?into|update\s+\S+\s+set|delete\s+from|select\s|"
    rb"replace\s+into)\b")
_SQL_WORDS = (b"select", b"insert", b"update", b"delete", b"replace")
_QUOTE_BYTES = frozenset(b"\"'`")
_BLANK_BYTES = frozenset(b" \t\n\r\f\v")  # `\s` of a bytes pattern
_LAST_GATE: list = [None, False]  # the last source asked about: the three SQL elements share it


def mentions_sql(source: bytes) -> bool:
    """Cheap file-level gate: no string starting with an SQL statement, no persistence pattern."""
    if _LAST_GATE[0] is source:
        return _LAST_GATE[1]
    lowered = source.lower()
    found = any(_starts_a_string_with_sql(lowered, word) for word in _SQL_WORDS)
    _LAST_GATE[0], _LAST_GATE[1] = source, found
    return found


def _starts_a_string_with_sql(lowered: bytes, word: bytes) -> bool:
    r"""`["'\`]\s*` + `_SQL_STATEMENT` where `word` occurs: each occurrence read, not every byte."""
    at = lowered.find(word)
    while at >= 0:
        before = at
        while before > 0 and lowered[before - 1] in _BLANK_BYTES:
            before -= 1
        if before > 0 and lowered[before - 1] in _QUOTE_BYTES and _SQL_STATEMENT.match(lowered, at):
            return True
        at = lowered.find(word, at + 1)
    return False


def sql_calls(function) -> list[tuple[str, object]]:
    """(kind, call) for each call of a function that runs SQL text."""
    found = []
    for call in function.calls:
        kind = sql_kind(call, function)
        if kind is not None:
            found.append((kind, call))
    return found


def created_class(value_text: str, names: set[str]) -> str | None:
    """The in-file class a value creates: `Q(...)`, `new Q(...)`, `&Q{...}`, `cls(...)`."""
    match = _CREATION.match(value_text or "")
    if match is None:
        return None
    name = match.group(1).rsplit(".", 1)[-1]
    return name if name in names or name == "cls" else None


def creations(function, names: set[str]) -> set[str]:
    """In-file classes a function creates (in calls, assignments and returns)."""
    found = set()
    for call in function.calls:
        if call.is_new or call.name in names or call.callee == "cls":
            name = base_name(call.callee)
            if name in names or name == "cls":
                found.add(name)
    for assignment in function.assignments:
        name = created_class(assignment.value_text, names)
        if name:
            found.add(name)
    for ret in function.returns:
        name = created_class(ret.text, names)
        if name:
            found.add(name)
    return found


# --- Keyed stores --------------------------------------------------------------------------


def keyed_writes(function) -> list[tuple[str, str, str]]:
    """(store, key, value) for `store[key] = value` and `store.set(key, value)` in a function."""
    found = []
    for assignment in function.assignments:
        match = _SUBSCRIPT.match(assignment.target) if "[" in assignment.target else None
        if match:
            found.append((match.group(1), match.group(2), assignment.value_text.strip()))
    calls = function.calls
    # Asked of every function by several detectors: one search over the joined callees finds
    # most functions without a store write (a callee spanning lines only lets the loop run).
    if not calls or _STORE_WRITE_CALL.search("\n".join([call.callee for call in calls]) + "\n") \
            is None:
        return found
    for call in calls:
        store, dot, name = call.callee.rpartition(".")  # `Call.name` without the property
        if name in _STORE_WRITES and dot and len(call.args) == 2:
            found.append((store, text(call.args[0]).strip(), text(call.args[1]).strip()))
    return found


def keyed_reads(function) -> list[tuple[str, str]]:
    """(store, key) for `store[key]` and `store.get(key)` read in a function."""
    found = []
    for call in function.calls:
        if call.name in _STORE_READS and "." in call.callee and 1 <= len(call.args) <= 2:
            found.append((call.callee.rsplit(".", 1)[0], text(call.args[0]).strip()))
    values = [assignment.value_text for assignment in function.assignments]
    values.extend(ret.text for ret in function.returns if ret.text)
    values.extend(call.callee for call in function.calls if "[" in call.callee)
    for value in values:
        found.extend(_SUBSCRIPTS.findall(value))
    return found


def store_name(store: str, function, fields: set[str] | None = None) -> str | None:
    """The field or module name behind a store expression (`self._x` -> `_x`, `m` -> `m`)."""
    member = own_member(store, function, fields)
    if member is not None:
        return member
    if "." not in store:
        return store
    head, _, rest = store.partition(".")
    owner = function.owner
    if owner is not None and head == owner.name and "." not in rest:  # `Q.items`: static
        return rest.lstrip("#")
    return None


# --- Registries ----------------------------------------------------------------------------

_PRIMITIVES = frozenset({
    "str", "int", "float", "bool", "bytes", "string", "number", "boolean", "String", "Integer",
    "Long", "Double", "Boolean", "int64", "int32", "float64", "uint", "byte", "rune", "char",
    "long", "double", "short",
})
_MAPPING_PROTOCOL = frozenset({"__setitem__", "__getitem__"})
_DUNDERS = _MAPPING_PROTOCOL | {"__init__", "__new__", "__call__"}


class Registration:
    """A function that files a value it was given under a key it was given."""

    def __init__(self, function, store: str, key: str, value: str, span):
        self.function = function
        self.store = store
        self.key = key
        self.value = value
        self.span = span


def _visible_params(function, module) -> set[str]:
    """Parameters of a function and of the functions it is written in (decorator factories)."""
    names = param_names(function)
    span = function.span
    for other in module.functions:
        if other is not function and other.span.start_byte <= span.start_byte \
                and other.span.end_byte >= span.end_byte:
            names |= param_names(other)
    return names


def _value_is_data(function, value: str) -> bool:
    """A value declared as a primitive is configuration, not a registered object."""
    for param in params(function):
        if param.name == value:
            declared = param_type(param)
            return base_name(declared.removeprefix("[]")) in _PRIMITIVES
    return False


def registrations(functions, module, fields=None) -> list[Registration]:
    """Functions that store a parameter under another parameter as key."""
    found = []
    for function in functions:
        if function.name in _DUNDERS or is_constructor(function):
            continue
        writes = keyed_writes(function)
        if not writes:
            continue
        own = param_names(function)
        visible = None  # the enclosing functions are searched only when needed
        for store, key, value in writes:
            if value not in own or key == value or key.startswith(value + "."):
                continue
            if key not in own:
                visible = visible if visible is not None else _visible_params(function, module)
                if key not in visible:
                    continue
            if _value_is_data(function, value):
                continue
            name = store_name(store, function, fields)
            if name is not None:
                found.append(Registration(function, name, key, value, function.name_span))
    return found


def lookups(functions, store: str, fields=None, exclude=None) -> list:
    """Functions (other than `exclude`) that read `store` by one of their parameters."""
    found = []
    for function in functions:
        if function is exclude or function.name in _MAPPING_PROTOCOL:
            continue
        own = param_names(function)
        for read_store, key in keyed_reads(function):
            if key in own and store_name(read_store, function, fields) == store:
                found.append(function)
                break
    return found


_CONTAINER_KINDS = frozenset({"dict", "new", "call", "list"})
_CONTAINERS = re.compile(
    r"^\s*(?:new\s+)?(?:[\w.]+\.)?(?:\w*(?:Map|List|Set|Array|Deque|Queue|Dictionary)|dict|list|"
    r"set|defaultdict|OrderedDict|deque|make|create)\b|^\s*(?:map|\[\])\[?")


def is_container(kind: str | None, value_text: str) -> bool:
    """A map, list or set literal, or a standard map constructor (`new Map()`, `dict()`)."""
    if kind in ("dict", "list", "set"):
        return True
    return kind in _CONTAINER_KINDS and _CONTAINERS.match(value_text or "") is not None


def owned_stores(klass, module) -> set[str]:
    """Fields the class fills with a container it creates (not a collaborator it was given)."""
    return module.memo(("owned_stores", id(klass)), lambda: _owned_stores(klass, module))


def _owned_stores(klass, module) -> set[str]:
    owned = {field.name.lstrip("#") for field in klass.fields if field.value_kind in (
        "dict", "list", "set")}
    for assignment in module.assignments:  # field initializers: `items = new Map()`
        if klass.span.start_byte <= assignment.span.start_byte < klass.span.end_byte and \
                is_container(assignment.value_kind, assignment.value_text):
            owned.add(assignment.target.lstrip("#"))
    for method in class_methods(klass, module):
        for assignment in method.assignments:
            if is_container(assignment.value_kind, assignment.value_text) and \
                    assignment.target.count(".") == 1:
                member = own_member(assignment.target, method)
                if member is not None:
                    owned.add(member)
    if module.language == "go":
        owned |= _go_map_fields(klass)
    return owned


def _go_map_fields(klass) -> set[str]:
    node = klass.node.child_by_field_name("type") if klass.node is not None else None
    fields = node.named_children[0] if node is not None and node.named_children else None
    names = set()
    for declaration in fields.named_children if fields is not None else ():
        kind = declaration.child_by_field_name("type")
        if kind is not None and (kind.type == "map_type" or text(kind).endswith("sync.Map")):
            names.update(text(child) for child in declaration.children_by_field_name("name"))
    return names


def class_registry(klass, module) -> tuple[Registration, object] | None:
    """(registration, lookup) when a class files objects by key and hands them back by key."""
    # Asked by Registry and Service Locator for every class of a file.
    return module.memo(("class_registry", id(klass)), lambda: _class_registry(klass, module))


def _class_registry(klass, module) -> tuple[Registration, object] | None:
    fields = class_fields(klass)
    found = registrations(klass.methods, module, fields)
    if not found:
        return None  # most classes; their stores are not needed
    owned = owned_stores(klass, module)
    for registration in found:
        if registration.store not in owned:
            continue
        found = lookups(klass.methods, registration.store, fields, registration.function)
        if found:
            return registration, found[0]
    return None


def module_registries(module) -> list[tuple[Registration, object]]:
    """Registries kept in a module-level store by free functions."""
    return module.memo("module_registries", lambda: _module_registries(module))


def _module_registries(module) -> list[tuple[Registration, object]]:
    free = [function for function in module.functions if function.owner is None]
    if not free:
        return []
    globals_ = {assignment.target: (assignment.value_kind, assignment.value_text)
                for assignment in module.assignments}
    found = []
    seen = set()
    for registration in registrations(free, module):
        if registration.store in seen or not _module_store(registration.store, globals_, module):
            continue
        readers = lookups(module.functions, registration.store, None, registration.function)
        if readers:
            seen.add(registration.store)
            found.append((registration, readers[0]))
    return found


def _module_store(name: str, globals_: dict, module) -> bool:
    """A container declared at module level (or a Go package `var` without a value)."""
    if name in globals_:
        return is_container(*globals_[name])
    return module.language == "go" and not any(
        assignment.target.split(",")[0].strip() == name
        for function in module.functions for assignment in function.assignments)


def store_span(module, store: str, fallback):
    """Where a module-level store is declared (the registration function if unknown)."""
    for assignment in module.assignments:
        if assignment.target == store:
            return assignment.span
    return fallback


# --- Service Locator: a registry the whole program reaches for its services -----------------

_TYPE_KEYS = re.compile(r"^(Class\b|type\b|Type\b|reflect\.Type\b|new\s*\(|abstract\s+new\b|"
                        r"Constructor\b|Function\b)")


_FACTORY_CALLS = frozenset({"get", "call", "apply", "invoke"})  # Supplier, Callable, Function


def _type_keyed(function, key: str) -> bool:
    """The lookup key is declared as a type (`Class<T>`, `type[T]`, `new () => T`, ...)."""
    for param in params(function):
        if param.name == key:
            return bool(_TYPE_KEYS.match(param_type(param)))
    return False


def _calls_stored_value(function) -> bool:
    """The lookup invokes what it found: the store holds factories of services."""
    reads = {f"{store}[{key}]" for store, key in keyed_reads(function)}
    reads |= {f"{store}.{verb}({key})" for store, key in keyed_reads(function)
              for verb in _STORE_READS}
    locals_ = {assignment.target for assignment in function.assignments
               if _SUBSCRIPT.match(assignment.value_text) or any(
                   f".{verb}(" in _squeeze(assignment.value_text) for verb in _STORE_READS)}
    for call in function.calls:
        callee = _squeeze(call.callee)
        target, _, verb = callee.rpartition(".")
        if callee in reads or callee in locals_ or (
                verb in _FACTORY_CALLS and (target in reads or target in locals_)):
            return True
    return False


def _squeeze(expression: str) -> str:
    """`cls._f [ kind ]` -> `cls._f[kind]`: stores and keys are names, spacing is not evidence."""
    return "".join(expression.split())


def _lookup_key(function, store: str, fields) -> str:
    for read_store, key in keyed_reads(function):
        if store_name(read_store, function, fields) == store:
            return key
    return ""


def locator_traits(registration, lookup, fields) -> bool:
    """A registry of services: keyed by type, or holding factories it calls on lookup."""
    key = _lookup_key(lookup, registration.store, fields)
    return (_type_keyed(lookup, key) or _type_keyed(registration.function, registration.key)
            or _calls_stored_value(lookup))


def _static_store(klass, store: str) -> bool:
    return any(field.name.lstrip("#") == store and field.static for field in klass.fields)


def pulled_from(module, owner_names: set[str], heads: set[str], lookup_name: str) -> list:
    """Functions of other classes that fetch a field's value from the locator.

    `heads` are what the lookup is called on (the class, a module-level instance); empty for a
    module-level lookup function called bare.
    """
    found = []
    for function in module.functions:
        if function.owner is not None and function.owner.name in owner_names:
            continue
        for assignment in function.assignments:
            if own_member(assignment.target, function) is None:
                continue
            match = _CREATION.match(assignment.value_text)
            if match is None:
                continue
            head, _, name = match.group(1).rpartition(".")
            if name == lookup_name and (head in heads if heads else not head):
                found.append(function)
                break
    return found


def _instances(module, klass) -> set[str]:
    """Module-level variables holding an instance of the class that everyone can reach."""
    return {assignment.target for assignment in module.assignments
            if created_class(assignment.value_text, {klass.name}) == klass.name and not (
                klass.span.start_byte <= assignment.span.start_byte < klass.span.end_byte)}


def class_locator(klass, module) -> tuple[Registration, object, float] | None:
    """(registration, lookup, confidence) when a class is a globally reachable service registry."""
    found = class_registry(klass, module)
    if found is None:
        return None
    registration, lookup = found
    fields = class_fields(klass)
    instances = _instances(module, klass)
    static = _static_store(klass, registration.store)
    pulled = pulled_from(module, {klass.name}, instances | ({klass.name} if static else set()),
                         lookup.name)
    is_global = static or bool(instances)
    if pulled and is_global:
        return registration, lookup, 0.9
    if is_global and locator_traits(registration, lookup, fields):
        return registration, lookup, 0.8
    return None


def module_locator(module, registration, lookup) -> float | None:
    """Confidence that a module-level registry is a service locator (None when it is not)."""
    pulled = pulled_from(module, set(), set(), lookup.name)
    keyed_by_type = _type_keyed(lookup, _lookup_key(lookup, registration.store, None)) or \
        _type_keyed(registration.function, registration.key)
    if keyed_by_type:
        return 0.9 if pulled else 0.75
    if _calls_stored_value(lookup) and pulled:
        return 0.85
    return None  # a module-level table read by classes (level names, codecs) is a Registry


# --- Constructor injection -----------------------------------------------------------------

_OPTIONAL = re.compile(r"^\s*([A-Za-z_$][\w$]*)\s*(?:or\b|\|\||\?\?)")
_REQUIRE = re.compile(r"^\s*(?:\w+\.)?requireNonNull\(\s*(\w+)\s*[,)]")
_PARAMETER_PROPERTY = re.compile(
    r"^\s*(?:@\w+\s*(?:\([^)]*\))?\s*)*(private|public|protected|readonly)\b")
_KEYED_PAIR = re.compile(r"(\w+)\s*:\s*(\w+)\s*(?=[,}\n])")
_LITERAL_DEFAULTS = frozenset({"string", "number", "bool", "list", "dict", "set", "template"})
_COLLECTIONS = frozenset({
    "list", "dict", "set", "tuple", "List", "Dict", "Set", "Map", "Array", "Record", "Optional",
    "Collection", "Iterable", "Sequence", "Mapping", "any", "object", "Object", "unknown",
    "ArrayList", "HashMap", "error", "Duration", "time.Duration", "Date", "LocalDate", "BigDecimal",
})
_VALUE_METHODS = frozenset({
    "upper", "lower", "strip", "split", "join", "append", "extend", "items", "keys", "values",
    "format", "startswith", "endswith", "replace", "encode", "decode", "copy", "pop", "update",
    "push", "map", "filter", "forEach", "slice", "toString", "toUpperCase", "toLowerCase",
    "trim", "includes", "indexOf", "concat", "sort", "equals", "hashCode", "length", "size",
    "isEmpty", "stream", "contains", "Add", "Sub", "String", "Error",
})


def injectable(param) -> bool:
    """A parameter that can carry a collaborator: not a value, not a literal default."""
    if param.default_kind in _LITERAL_DEFAULTS:
        return False
    return _injectable_type(param_type(param))


def _injectable_type(declared: str) -> bool:
    """`injectable` once the parameter's declared type is read (it costs a tree look-up)."""
    if declared.startswith(("[]", "map[", "func(", "chan ", "...")):
        return False
    kind = base_name(declared)
    return kind not in _PRIMITIVES and kind not in _COLLECTIONS and not kind.endswith("[]")


def _assigned_param(value_text: str, names: set[str]) -> str | None:
    value_text = value_text.strip()
    if value_text in names:
        return value_text
    for pattern in (_OPTIONAL, _REQUIRE):
        match = pattern.match(value_text)
        if match and match.group(1) in names:
            return match.group(1)
    return None


def injected_fields(constructor, fields) -> dict[str, object]:
    """Map each field to the constructor parameter stored in it (collaborators only)."""
    candidates = {param.name: param for param in params(constructor) if injectable(param)}
    found = {}
    for param in candidates.values():
        if param.node is not None and _PARAMETER_PROPERTY.match(text(param.node)):
            found[param.name] = param  # TypeScript parameter property
    for assignment in constructor.assignments:
        field = own_member(assignment.target, constructor, fields)
        if field is None or assignment.target.count(".") > 1:
            continue
        name = _assigned_param(assignment.value_text, set(candidates))
        if name is not None:
            found[field] = candidates[name]
    return found


def go_injected_fields(module) -> dict[str, dict[str, object]]:
    """Go: struct name -> the fields constructor functions fill from their parameters.

    `return &T{field: param}`; one pass over the package-level functions of the file.
    """
    structs = {klass.name for klass in module.classes if klass.kind == "struct"}
    found: dict[str, dict[str, object]] = {}
    for function in module.functions:
        if function.owner is not None or not function.params or not function.returns:
            continue
        candidates = {param.name: param for param in function.params if injectable(param)}
        if not candidates:
            continue
        for ret in function.returns:
            created = created_class(ret.text, structs)
            if created is None or created == "cls":
                continue
            fields = found.setdefault(created, {})
            for field, value in _KEYED_PAIR.findall(ret.text):
                if value in candidates:
                    fields[field] = candidates[value]
    return found


def uses_collaborator(method, field: str, fields) -> bool:
    """The method calls an operation of the object kept in `field` (or calls it)."""
    own = self_names(method)
    for call in method.calls:
        target, _, verb = call.callee.rpartition(".")
        if target in own and verb.lstrip("#") == field:
            return True  # self.clock(): an injected function
        if target and own_member(target, method, fields) == field and verb not in _VALUE_METHODS:
            return True
    return False


# --- Persistence: Active Record and Data Mapper --------------------------------------------

_MEMBER_OF = re.compile(r"(?<![\w.])([A-Za-z_$][\w$]*)\s*\.\s*#?([A-Za-z_$][\w$]*)")
_WORDS = re.compile(r"[A-Za-z_$][\w$]*")
_ROW_ARG = re.compile(r"^(?:\w+\s*=\s*)?\w+\s*(?:\[[^\]]+\]|\.\s*get\w*\s*\(.*\))$", re.S)
_LOCAL_FIELD = re.compile(r"^(?:\w+\s*=\s*)?(\w+)\s*\.\s*\w+$")
_SCAN_ARG = re.compile(r"^&\s*\w+\s*\.\s*\w+$")


def _arg_texts(call) -> list[str]:
    return [text(arg).strip() for arg in call.args]


def passes_own_state(function, fields) -> bool:
    """A call of the function hands over the object's own data fields (`self.name`, Java `name`).

    Calls on the object itself (`self.assertEqual(...)`) do not count: the data must leave it;
    through a collaborator it holds (`self.db.execute(...)`, Go `a.db.Exec(...)`) it does.
    """
    own = self_names(function) - {"cls"}
    locals_ = {assignment.target for assignment in function.assignments}
    for call in function.calls:
        head, _, member = call.callee.partition(".")
        if (head in own and "." not in member) or ("." not in call.callee
                                                   and call.callee in fields):
            continue
        for value in _arg_texts(call):
            if any(head in own and member in fields
                   for head, member in _MEMBER_OF.findall(value)):
                return True
            if not _is_quoted(value) and any(
                    word in fields and word not in locals_ for word in _WORDS.findall(value)):
                return True
    return False


def data_fields(klass, module, methods) -> set[str]:
    """Fields holding the object's data: declared or set by the constructor, never a collaborator.

    `self.conn.execute(...)` makes `conn` a collaborator.
    """
    if module.language == "python":
        names = {field.name for field in klass.fields if field.static}
        for method in methods:
            if is_constructor(method):
                names |= {member for member in (own_member(item.target, method)
                                                 for item in method.assignments) if member}
    else:
        names = {field.name.lstrip("#") for field in klass.fields if not field.static}
        for method in methods:
            if is_constructor(method):
                names |= {param.name for param in method.params if param.node is not None
                          and _PARAMETER_PROPERTY.match(text(param.node))}
                names |= {member for member in (own_member(item.target, method)
                                                 for item in method.assignments) if member}
    for method in methods:
        for call in method.calls:
            target = call.callee.rpartition(".")[0]
            member = own_member(target, method, names) if target else None
            names.discard(member)
    return names


def _is_quoted(value: str) -> bool:
    return value[:1] in "\"'`" or value[:2] in ("f\"", "f'")


def passes_fields_of(function, name: str) -> bool:
    """Some call of the function hands over fields of the object `name` (`user.email`)."""
    for call in function.calls:
        for value in _arg_texts(call):
            if any(head == name for head, _ in _MEMBER_OF.findall(value)):
                return True
    return False


def maps_row(function, names: set[str]) -> bool:
    """The function builds an object from a result row.

    `Q(**row)`, `Q(row[0], row["b"])`, `new Q(rs.getLong("id"), ...)`, or Go's
    `rows.Scan(&q.A, &q.B)` into the fields of a struct.
    """
    for call in function.calls:
        args = _arg_texts(call)
        if call.name == "Scan" and sum(1 for arg in args if _SCAN_ARG.match(arg)) >= 2:
            return True
        if not (call.is_new or base_name(call.callee) in names or call.callee == "cls"):
            continue
        if any(arg.startswith("**") for arg in args):
            return True
        if sum(1 for arg in args if _ROW_ARG.match(arg)) >= 2:
            return True
        if _fields_of_one_local(args, function):
            return True
    return False


def _fields_of_one_local(args: list[str], function) -> bool:
    """`Q(row.id, row.name)`: two or more fields of the same local variable (a result row)."""
    locals_ = {assignment.target for assignment in function.assignments}
    heads = [match.group(1) for match in map(_LOCAL_FIELD.match, args) if match]
    return any(heads.count(head) >= 2 and head in locals_ for head in set(heads))


def persistence_methods(klass, methods, fields) -> tuple[list, list]:
    """(methods writing their own state with SQL, other methods running SQL)."""
    writes, others = [], []
    for method in methods:
        kinds = {kind for kind, _ in sql_calls(method)}
        if not kinds:
            continue
        if "write" in kinds and not method.is_static and passes_own_state(method, fields):
            writes.append(method)
        else:
            others.append(method)
    return writes, others


def class_methods(klass, module) -> list:
    """The methods of a class, and for Go the methods declared on it outside the struct."""
    if module.language == "go":
        return [function for function in module.functions if function.owner is klass]
    return list(klass.methods)


def active_record(klass, module) -> tuple[object, object | None] | None:
    """(write method, finder or second persistence method) when a class persists itself."""
    methods = class_methods(klass, module)
    fields = data_fields(klass, module, methods)
    if not fields:
        return None
    writes, others = persistence_methods(klass, methods, fields)
    if not writes:
        return None
    for function in others + writes[1:]:
        return writes[0], function
    names = {klass.name}
    for function in module.functions:
        if function.owner is None and sql_calls(function) and klass.name in creations(
                function, names):
            return writes[0], function  # Go: a package-level finder building the struct
    return None


def data_mapper(klass, module) -> tuple[object, object] | None:
    """(write method, read method) when a class moves other objects to and from SQL."""
    methods = class_methods(klass, module)
    others = {item.name for item in module.classes if item is not klass}
    writer = reader = None
    for method in methods:
        kinds = {kind for kind, _ in sql_calls(method)}
        if "write" in kinds and writer is None and any(
                passes_fields_of(method, param.name) for param in params(method)):
            writer = method
        if "read" in kinds and reader is None and maps_row(method, others):
            reader = method
    if writer is None or reader is None:
        return None
    return writer, reader


# --- Repository: a collection-like home for domain objects ---------------------------------


_APPEND = re.compile(r"^\s*append\s*\(\s*([\w.]+)\s*,\s*(\w+)\s*\)\s*$")
_COMPARISON = re.compile(
    r"(?<![.\w])(\w+)\s*\.\s*\w+(?:\s*\(\s*\))?\s*(?:===?\s*(\w+)\b(?!\s*[.\[(])"
    r"|\.equals\s*\(\s*(\w+)\s*\))"
    r"|(?<![.\w])(\w+)\s*===?\s*(\w+)\s*\.\s*\w+")
_ADD_VERBS = frozenset({"append", "push", "add", "insert", "unshift", "appendleft", "Add", "Push"})
_VALUE_RETURNS = frozenset({"bool", "number", "string", "null", "template"})


def _entity_stores(method, entities: dict, fields, owned: set[str]) -> list[tuple]:
    """(store, kind, param) for each store the method puts a whole parameter object into.

    kind is 'keyed' (`store[e.id] = e`), 'list' (`items.append(e)` on a container the class
    owns, Go `append`) or 'session' (`session.add(e)` on a collaborator).
    """
    owners = self_names(method)
    entities = {name: param for name, param in entities.items() if not any(
        item.target.startswith(name + ".") and item.value_text.strip() in owners
        for item in method.assignments)}  # `child.parent = this`: a tree, not a repository
    found = []
    for store, key, value in keyed_writes(method):
        if value in entities and key.startswith(value + "."):
            name = own_member(store, method, fields)
            if name is not None:
                found.append((name, "keyed", entities[value]))
    for assignment in method.assignments:  # Go: items = append(items, entity)
        match = _APPEND.match(assignment.value_text)
        if match and match.group(1) == assignment.target and match.group(2) in entities:
            name = own_member(assignment.target, method, fields)
            if name is not None:
                found.append((name, "list", entities[match.group(2)]))
    for call in method.calls:
        if call.arguments is None or call.arguments.named_child_count != 1:
            continue
        argument = text(call.args[0]).strip()
        target, _, verb = call.callee.rpartition(".")
        if argument not in entities or not target:
            continue
        name = own_member(target, method, fields)
        if name is None:
            continue
        if name not in owned:
            found.append((name, "session", entities[argument]))
        elif verb in _ADD_VERBS:
            found.append((name, "list", entities[argument]))
    return found


def _compares_with(source: str, keys: set[str], owners: set[str]) -> bool:
    """An element's attribute is compared with the key: `x.id == key`, `x.getId().equals(key)`."""
    for match in _COMPARISON.finditer(source):
        head, key = (match.group(1), match.group(2) or match.group(3)) if match.group(1) else (
            match.group(5), match.group(4))
        if key in keys and head not in owners and head not in keys:
            return True  # the compared object is an element, not the receiver or a parameter
    return False


def _touches(source: str, store: str, method, bare: bool) -> bool:
    """The method's text uses the store through its own object (or bare, in Java)."""
    for owner in self_names(method):
        for prefix in (f"{owner}.{store}", f"{owner}.#{store}"):
            if _word_at(source, prefix):
                return True
    return bare and _word_at(source, store)


def _word_at(source: str, word: str) -> bool:
    """`word` occurs in `source` as a whole word (a substring search, no regex)."""
    start = source.find(word)
    while start >= 0:
        end = start + len(word)
        before = source[start - 1] if start else " "
        after = source[end] if end < len(source) else " "
        if not (before.isalnum() or before in "_$.") and not (after.isalnum() or after in "_$"):
            return True
        start = source.find(word, start + 1)
    return False


def _is_java(method) -> bool:
    """Java methods may name their fields bare (Go methods are `method_declaration` too)."""
    node = method.node
    return node is not None and node.type in ("method_declaration", "constructor_declaration") \
        and node.child_by_field_name("receiver") is None


def _finds_by_key(method, store: str, kind: str, entity, fields, source: str) -> bool:
    """The method takes a key and returns the stored object that has it."""
    keys = param_names(method)
    owners = self_names(method)
    if not keys or not any(ret.kind and ret.kind not in _VALUE_RETURNS and ret.text not in owners
                           for ret in method.returns):
        return False
    if kind == "keyed":
        for read_store, key in keyed_reads(method):
            if key in keys and own_member(read_store, method, fields) == store:
                return True
    if kind == "session":
        entity_type = base_name(param_type(entity))
        for call in method.calls:
            if entity_type and len(call.args) >= 2 and _names_type(call.args[0], entity_type):
                target = call.callee.rpartition(".")[0]
                if target and own_member(target, method, fields) == store and \
                        keys & set(_WORDS.findall(" ".join(_arg_texts(call)[1:]))):
                    return True  # session.get(User, id), em.find(Order.class, id)
        return False
    return _touches(source, store, method, _is_java(method)) and _compares_with(
        source, keys, owners)


def _names_type(node, type_name: str) -> bool:
    """`User` or `User.class`: the argument names the stored objects' type."""
    value = text(node).strip()
    return value == type_name or value == f"{type_name}.class"


def repository(klass, module, source_of) -> tuple[object, object, str] | None:
    """(add, find, store) when a class keeps domain objects and finds them again by key.

    `source_of(function)` returns a function's text; a third method must also use the store.
    """
    fields = class_fields(klass)
    methods = [method for method in class_methods(klass, module)
               if not is_constructor(method) and not method.name.startswith("__")]
    if len(methods) < 3 or not any(_may_find(method) for method in methods):
        return None  # cheap first: no method takes a key and answers an object
    candidates: dict[tuple[str, str], tuple] = {}  # (store, kind) -> (add method, entity)
    for add in methods:
        entities = {}
        for param in params(add):
            if param.default_kind in _LITERAL_DEFAULTS:
                continue
            declared = param_type(param)  # read once: `injectable` and the own-type test
            if _injectable_type(declared) and base_name(declared) != klass.name:
                entities[param.name] = param  # of its own type: a Composite
        if entities:
            owned = owned_stores(klass, module)
            for store, kind, entity in _entity_stores(add, entities, fields, owned):
                candidates.setdefault((store, kind), (add, entity))
    if not candidates:
        return None
    sources: dict[int, str] = {}
    for (store, kind), (add, entity) in candidates.items():
        found = _repository_with(methods, add, store, kind, entity, fields,
                                 lambda method: _cached_source(sources, method, source_of))
        if found is not None:
            return add, found, store
    return None


def _may_find(method) -> bool:
    """What `_finds_by_key` asks first, without the receiver's names: keys and an object result."""
    return any(ret.kind and ret.kind not in _VALUE_RETURNS for ret in method.returns) and any(
        param.name not in ("self", "cls") for param in method.params)


def _cached_source(sources: dict[int, str], method, source_of) -> str:
    source = sources.get(id(method))
    if source is None:
        source = sources[id(method)] = source_of(method)
    return source


def _repository_with(methods, add, store, kind, entity, fields, source_of):
    finder = None
    others = 0
    for method in methods:
        if method is add:
            continue
        source = source_of(method)
        if store not in source:
            continue  # cheap substring test before the regular expressions
        if finder is None and _finds_by_key(method, store, kind, entity, fields, source):
            finder = method
        elif _touches(source, store, method, _is_java(method)):
            others += 1
        if finder is not None and others:
            return finder
    return None
