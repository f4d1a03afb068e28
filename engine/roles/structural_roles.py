"""Roles shared by the structural pattern detectors (Adapter ... Proxy, Composite, Facade).

Everything is read from the code model; the tree-sitter nodes it carries fill in what the model
lacks (Go interface methods, declared types, where a call sits in its method). One index is
built per module and reused by every structural detector.

The three wrappers differ by what they hold and how they forward:

- Decorator: implements a type T, receives another T from outside and always forwards each
  operation to the same operation of it, adding behaviour.
- Proxy: implements T and forwards to the same operation of a T, but controls the access: it
  creates its subject itself (lazily) or forwards only when a guard lets it (cache, check).
- Adapter: implements T by calling differently named operations of an object that is not a T.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from cpt.engine.roles.security_roles import calls_by_name

_SELF = frozenset({"self", "this", "cls"})
_GENERIC = re.compile(r"[<\[].*$", re.S)
_COMMENTS = frozenset({"comment", "line_comment", "block_comment"})
_IF_TYPES = frozenset({"if_statement", "elif_clause", "else_clause"})
_EXITS = re.compile(r"\b(return|raise|throw)\b")
_STRUCTURAL_BASES = frozenset({"Protocol"})
_CREATION = re.compile(r"^\s*(?:new\s+|&)?([A-Za-z_][\w.]*)\s*(?:<[^>]*>\s*)?[({]")
_FALLBACK = re.compile(r"^\s*(\w+)\s*(?:or\b|\|\||\?\?)")
# Library containers and values: creating one is storage, not a collaborator or shared object.
CONTAINERS = frozenset({
    "Array", "ArrayList", "LinkedList", "HashMap", "Map", "TreeMap", "Set", "HashSet", "TreeSet",
    "WeakMap", "WeakSet", "Object", "StringBuilder", "AtomicInteger", "AtomicLong", "Promise",
    "ConcurrentHashMap", "LinkedHashMap", "Error", "Date", "Mutex", "RWMutex", "WaitGroup",
})
_NO_TYPE = frozenset({"", "Object", "object", "any", "Any", "unknown", "interface{}", "any[]"})


def text(node) -> str:
    """Source text of a node ("" for None)."""
    return node.text.decode("utf-8", "replace") if node is not None else ""


def base_name(value: str) -> str:
    """`abc.ABC` -> `ABC`, `Shape<T>` -> `Shape`, `*Store` -> `Store`."""
    value = _GENERIC.sub("", value or "").strip().lstrip("*&").strip()
    return value.rsplit(".", 1)[-1]


def is_constructor(function) -> bool:
    return function.is_constructor or function.name in ("__init__", "__new__", "constructor")


def receiver(function) -> str | None:
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
    names = set(_SELF)
    go_receiver = receiver(function)
    if go_receiver:
        names.add(go_receiver)
    return names


def body_statements(function) -> list:
    """The direct statements of a function's body, comments left out."""
    node = function.node
    body = node.child_by_field_name("body") if node is not None else None
    if body is None:
        return []
    children = body.named_children
    if len(children) == 1 and children[0].type == "statement_list":  # Go wraps its statements
        children = children[0].named_children
    return [child for child in children if child.type not in _COMMENTS]


def _go_interface_methods(klass) -> set[str]:
    node = klass.node
    if node is None or node.type != "type_spec":
        return set()
    body = node.child_by_field_name("type")
    names = set()
    for child in body.named_children if body is not None else ():
        if child.type in ("method_elem", "method_spec"):
            names.add(text(child.child_by_field_name("name")))
    return names


def operations(klass) -> set[str]:
    """Names of the methods a type declares, constructors and dunders left out."""
    names = {method.name for method in klass.methods
             if not is_constructor(method) and not method.name.startswith("__")}
    if klass.kind == "interface":
        names |= _go_interface_methods(klass)
    return names


# --- The index: types, what they declare, who implements whom ----------------------------


@dataclass
class Index:
    """Facts about the types of one module, computed once."""

    module: object
    by_name: dict = field(default_factory=dict)
    ops: dict = field(default_factory=dict)  # id(class) -> operations
    supers: dict = field(default_factory=dict)  # id(class) -> in-file supertypes (transitive)
    subs: dict = field(default_factory=dict)  # class name -> direct in-file subclasses
    implementers: dict | None = None  # id(type) -> concrete classes, built on first use

    def contract(self, klass) -> set[str]:
        """The operations a class promises through its in-file supertypes."""
        names: set[str] = set()
        for parent in self.supers.get(id(klass), ()):
            names |= self.ops.get(id(parent), set())
        return names

    def supertypes_with(self, klass, operation: str) -> list:
        return [parent for parent in self.supers.get(id(klass), ())
                if operation in self.ops.get(id(parent), ())]

    def implementations(self, base) -> list:
        """Concrete classes that implement an in-file type."""
        if self.implementers is None:
            self.implementers = {}
            for klass in self.module.classes:
                if klass.kind != "interface":
                    for parent in self.supers.get(id(klass), ()):
                        self.implementers.setdefault(id(parent), []).append(klass)
        return self.implementers.get(id(base), [])


# Facts about the module analyzed last, shared by the structural detectors that run on it.
# Only one module is kept: a new module replaces everything (no growth in a long-lived server).
_CACHE: dict[object, object] = {"module": None}
_MISSING = object()


def _cached(module, key, build):
    if _CACHE["module"] is not module:
        _CACHE.clear()
        _CACHE["module"] = module
    value = _CACHE.get(key, _MISSING)  # one look-up: asked some 100 times per file
    if value is _MISSING:
        value = _CACHE[key] = build()
    return value


def index(module) -> Index:
    """The type index of a module (built once, shared by all structural detectors)."""
    return _cached(module, "index", lambda: _build_index(module))


def _build_index(module) -> Index:
    result = Index(module)
    classes = module.classes
    for klass in classes:
        result.by_name.setdefault(klass.name, klass)
        result.ops[id(klass)] = operations(klass)
    structural = [klass for klass in classes if result.ops[id(klass)] and (
        (klass.kind == "interface" and klass.node is not None and klass.node.type == "type_spec")
        or {base_name(base) for base in klass.bases} & _STRUCTURAL_BASES)]
    for klass in classes:
        for base in klass.bases:
            parent = result.by_name.get(base_name(base))
            if parent is not None and parent is not klass:
                result.subs.setdefault(parent.name, []).append(klass)
    for klass in classes:
        found = _ancestors(klass, result)
        if klass.kind != "interface":
            own = result.ops[id(klass)]
            found.extend(base for base in structural
                         if base is not klass and result.ops[id(base)] <= own
                         and not any(base is item for item in found))
        result.supers[id(klass)] = found
    return result


def _ancestors(klass, result: Index) -> list:
    seen: list = []
    pending = [base_name(base) for base in klass.bases]
    while pending and len(seen) < 50:
        parent = result.by_name.get(pending.pop(0))
        if parent is None or parent is klass or any(parent is item for item in seen):
            continue
        seen.append(parent)
        pending.extend(base_name(base) for base in parent.bases)
    return seen


# --- Held objects: a field of the class that its methods call through ---------------------


@dataclass
class Use:
    """One call through a held field: `self.inner.op(...)` inside `method`."""

    method: object
    call: object
    operation: str


_ORIGIN_FACTS = frozenset({"origin", "nullable", "declared_type", "created"})


@dataclass
class Held:
    """An object a class keeps in a field, how it got there, and the calls made through it.

    Where it comes from is read from the class on first use (`fill_origin`): most held objects
    are never asked. The facts: `origin` (param, setter, created, lazy; None: unknown),
    `nullable` (compared with null somewhere: an optional link, a chain), `declared_type`,
    `created` (the class it creates, when the class creates the object).
    """

    klass: object
    field: str
    uses: list = field(default_factory=list)

    def __getattr__(self, name: str):
        """Fill the origin facts when one is first read (only called for missing attributes)."""
        module = self.__dict__.get("_module")
        if name not in _ORIGIN_FACTS or module is None:
            raise AttributeError(name)
        fill_origin(module, self)
        return self.__dict__[name]

    def operations(self) -> set[str]:
        return {use.operation for use in self.uses}

    def forwards(self) -> list:
        """Uses that call the same operation as the method they are in."""
        return [use for use in self.uses if use.operation == use.method.name
                and not use.operation.startswith(("_", "#"))]  # private helpers are no interface


def held_objects(module, klass) -> list[Held]:
    """Every field of a class that its methods call methods on (computed once per class)."""
    return _cached(module, ("held", id(klass)), lambda: _held_objects(module, klass))


def _held_objects(module, klass) -> list[Held]:
    java = module.language == "java"
    fields = {item.name for item in klass.fields}
    if java:  # inherited fields are reached without `this.` too
        for parent in index(module).supers.get(id(klass), ()):
            fields.update(item.name for item in parent.fields)
    found: dict[str, Held] = {}
    for method in klass.methods:
        if is_constructor(method):
            continue
        own = params = None  # computed for the first call that needs them
        for call in calls_within(module, method):
            callee = call.callee
            dots = callee.count(".")  # runs over every call of every class: no split for most
            if dots != 2 and (dots != 1 or not java):
                continue
            parts = callee.split(".")
            if len(parts) == 3:
                own = own or self_names(method)
                if parts[0] not in own:
                    continue
                name = parts[1]
            elif len(parts) == 2 and java and parts[0] in fields:
                params = params if params is not None else {param.name for param in method.params}
                if parts[0] in params:
                    continue
                name = parts[0]  # Java reaches its fields without `this.`
            else:
                continue
            held = found.get(name)
            if held is None:
                held = found[name] = Held(klass, name)
                held._module = module  # its origin is filled on first read
            held.uses.append(Use(method, call, parts[2] if len(parts) == 3 else parts[1]))
    return list(found.values())


def lambdas(module) -> tuple[list, list]:
    """The anonymous functions of a module in source order, and where each starts."""
    def build():
        found = sorted((function for function in module.functions
                        if function.name in ("", "<lambda>")),
                       key=lambda function: function.span.start_byte)
        return found, [function.span.start_byte for function in found]
    return _cached(module, "lambdas", build)


def calls_within(module, method) -> list:
    """The calls of a method and of the lambdas written inside it (callers must not change it)."""
    span = method.span
    anonymous, starts = lambdas(module)
    first = bisect.bisect_left(starts, span.start_byte)
    if first == len(starts) or starts[first] >= span.end_byte:
        return method.calls  # no lambda inside (most methods): no copy
    calls = list(method.calls)
    for other in anonymous[first:]:
        if other.span.start_byte >= span.end_byte:
            break
        if other is not method and other.span.end_byte <= span.end_byte:
            calls.extend(other.calls)
    return calls


# What follows a field name in a test of it against null (see `_tests_null`).
_NULL_COMPARISON = re.compile(r"\s*(?:is\s+(?:not\s+)?None|[!=]==?\s*(?:null|nil|undefined|None))")
_CONDITION_END = re.compile(r"\s*[:)]")
_OPTIONAL_USE = re.compile(r"\?\.|\s*(?:\?(?![.?])|&&|\band\b)")
_BOUNDARY = re.compile(r"\b")


def _tests_null(source: str, name: str) -> bool:
    """Whether the field `name` is tested against null (`x is None`, `this.x != null`, `this.x?.`).

    The search of one expression per field name, read at each occurrence of the name instead:
    compiling an expression per name cost more than the rest of the structural roles.
    """
    start = source.find(name)
    while start >= 0:
        end = start + len(name)
        dotted = start > 0 and source[start - 1] == "."
        if _BOUNDARY.match(source, start) and _NULL_COMPARISON.match(source, end):
            return True  # `x is None`, `x == null`
        if dotted and _OPTIONAL_USE.match(source, end):
            return True  # `this.x?.y`, `this.x ? a : b`, `this.x && ...`, `self.x and ...`
        if dotted and _CONDITION_END.match(source, end) and _if_before(source, start - 1):
            return True  # `if self.x:`, `if (this.x)`
        start = source.find(name, start + 1)
    return False


def _if_before(source: str, dot: int) -> bool:
    r"""`if\s*\(?\s*!?\s*\w+` ends right before `dot` (read backwards, the same test)."""
    word = dot
    while word > 0 and (source[word - 1].isalnum() or source[word - 1] == "_"):
        word -= 1
    if word == dot:
        return False
    if "if" in source[word:dot - 1]:
        return True  # `ifx.name`: the word may start right after an `if`
    index = word

    def blanks(index: int) -> int:
        while index > 0 and source[index - 1].isspace():
            index -= 1
        return index

    index = blanks(index)
    if index > 0 and source[index - 1] == "!":
        index = blanks(index - 1)
    if index > 0 and source[index - 1] == "(":
        index = blanks(index - 1)
    return source.startswith("if", index - 2) and index >= 2


def _method_text(module, method) -> str:
    """The source text of a method, decoded once per module."""
    return _cached(module, ("text", id(method)), lambda: text(method.node))


def _assigned_fields(module, klass) -> dict[int, dict[str, list]]:
    """Per method (by id), the assignments to each field of its own object, in order.

    `self.x = ...` (any name the method has for itself); Java's bare `x = ...` too. Read for
    every held object of the class, so indexed once per class.
    """
    def build() -> dict[int, dict[str, list]]:
        java = module.language == "java"
        found: dict[int, dict[str, list]] = {}
        for method in klass.methods:
            own = self_names(method)
            by_field: dict[str, list] = {}
            for assignment in method.assignments:
                owner, dot, rest = assignment.target.partition(".")
                if dot and owner in own and "." not in rest:
                    by_field.setdefault(rest, []).append(assignment)
                elif java and not dot:
                    by_field.setdefault(owner, []).append(assignment)
            found[id(method)] = by_field
        return found
    return _cached(module, ("assigned", id(klass)), build)


def fill_origin(module, held: Held) -> None:
    """Where the held object comes from, whether it may be missing, and its declared type."""
    held.origin, held.nullable, held.declared_type, held.created = None, False, "", None
    klass, name = held.klass, held.field
    assigned_fields = _assigned_fields(module, klass)
    for method in klass.methods:
        assigned = assigned_fields[id(method)].get(name, ())
        params = {param.name: param for param in method.params} if assigned else {}
        for assignment in assigned:
            value = assignment.value_text.strip()
            fallback = _FALLBACK.match(value)
            if fallback and fallback.group(1) in params:
                value = fallback.group(1)  # `inner or Default()`: still handed in
                held.created = held.created or _fallback_class(module, assignment.value)
            if value in params:
                _set_origin(held, "param" if is_constructor(method) else "setter")
                held.declared_type = held.declared_type or param_type(params[value])
            elif assignment.value_kind == "null":
                held.nullable = True
            elif creates(module, assignment.value):
                _set_origin(held, "created" if is_constructor(method) else "lazy")
                held.created = creates(module, assignment.value)
        if is_constructor(method):
            for param in method.params:
                if param.name == name and _parameter_property(param):
                    _set_origin(held, "param")
                    held.declared_type = held.declared_type or param_type(param)
        if method.node is not None and not held.nullable:
            source = _method_text(module, method)
            if _tests_null(source, name):
                held.nullable = True
    if held.origin == "lazy":
        held.nullable = False  # `if self._real is None: self._real = Real()` creates on demand
    declared = klass.field_named(name)
    if held.origin is None and declared is not None and declared.value_kind == "new":
        held.origin = "created"  # `private final T t = new T();`
        held.created = _initializer_class(module, klass, name)
    if module.language == "go" and held.origin is None:
        held.origin = "param"  # Go structs are filled by literals wherever they are built
    if not held.declared_type:
        held.declared_type = field_type(klass, name)


def _fallback_class(module, node) -> str | None:
    """`device or Probe()` -> `Probe`: the class of the default."""
    if node is None or node.named_child_count < 2:
        return None
    return creates(module, node.named_children[-1])


def _initializer_class(module, klass, name: str) -> str | None:
    span = klass.span
    for assignment in module.assignments:
        if assignment.target == name and (
                span.start_byte <= assignment.span.start_byte < span.end_byte):
            return creates(module, assignment.value)
    return None


def _set_origin(held: Held, origin: str) -> None:
    # A setter that swaps the object wins over the constructor: the link is not fixed.
    if held.origin is None or origin in ("setter", "lazy"):
        held.origin = origin


def _parameter_property(param) -> bool:
    """TypeScript `constructor(private inner: T)` declares and assigns a field."""
    node = param.node
    return node is not None and any(child.type in ("accessibility_modifier", "readonly")
                                    for child in node.children)


def param_type(param) -> str:
    """The declared type of a parameter, as written ("" when untyped)."""
    node = param.node
    if node is None:
        return ""
    kind = node.child_by_field_name("type")
    value = text(kind).lstrip(":").strip()
    return "" if value in _NO_TYPE else value


def field_type(klass, name: str) -> str:
    """The declared type of a field (Java, TypeScript, Go), read from the class body."""
    node = klass.node
    if node is None:
        return ""
    body = node.child_by_field_name("body") or node.child_by_field_name("type")
    for child in body.named_children if body is not None else ():
        if child.type == "field_declaration_list":  # Go: struct_type -> field list
            return _go_field_type(child, name)
        if child.type == "field_declaration":
            declarator = child.child_by_field_name("declarator")
            if declarator is not None and text(declarator.child_by_field_name("name")) == name:
                return text(child.child_by_field_name("type"))
        if child.type == "public_field_definition" and text(
                child.child_by_field_name("name")).lstrip("#") == name:
            return text(child.child_by_field_name("type")).lstrip(":").strip()
    return ""


def _go_field_type(fields, name: str) -> str:
    for child in fields.named_children:
        if child.type != "field_declaration":
            continue
        names = [text(item) for item in child.children_by_field_name("name")]
        kind = child.child_by_field_name("type")
        if name in names or (not names and base_name(text(kind)) == name):
            return text(kind)
    return ""


def creates(module, node) -> str | None:
    """The class a value creates (`new X()`, `&X{}`, `X()` of an in-file class), or None."""
    if node is None:
        return None
    value = text(node)
    match = _CREATION.match(value)
    if match is None:
        return None
    name = match.group(1).rsplit(".", 1)[-1]
    if node.type in ("new_expression", "object_creation_expression", "composite_literal") or (
            value.lstrip().startswith("&")):
        return name
    if node.type in ("call", "call_expression") and name in index(module).by_name:
        return name
    return None


# --- Where a call sits in its method ---------------------------------------------------------


def guarded(use: Use) -> bool:
    """The call runs only when a condition lets it: inside a branch, or after an early exit."""
    node, stop = use.call.node, use.method.node
    if node is None or stop is None:
        return False
    child, parent = node, node.parent
    while parent is not None and parent != stop:
        if parent.type in _IF_TYPES and child not in (
                parent.child_by_field_name("condition"), parent.child_by_field_name("initializer")):
            return True
        child, parent = parent, parent.parent
    return _early_exit_before(use)


def controls_access(forwards: list) -> bool:
    """Half or more of the forwarding operations run only behind a guard.

    One conditional forward among many (`if self.owns_handle: self.handle.close()`) is a
    setting of a Decorator, not access control.
    """
    methods = {id(use.method): use.method for use in forwards}
    guarded_methods = {id(use.method) for use in forwards if guarded(use)}
    return bool(guarded_methods) and 2 * len(guarded_methods) >= len(methods)


def _early_exit_before(use: Use) -> bool:
    start = use.call.node.start_byte
    for item in body_statements(use.method):
        if item.end_byte >= start:
            return False
        if item.type == "if_statement" and _EXITS.search(text(item)):
            return True
    return False


def adds_behaviour(use: Use) -> bool:
    """The method does more than hand the call on (`return self.inner.op(x)` alone)."""
    statements = body_statements(use.method)
    if len(statements) != 1:
        return bool(statements)
    params = {param.name for param in use.method.params} - _SELF
    if any(text(arg) not in params for arg in use.call.args):
        return True  # the arguments are changed on the way
    only = text(statements[0]).strip().rstrip(";").strip()
    if only.startswith("return"):
        only = only[len("return"):].strip()
    return only != text(use.call.node).strip()


# --- Wrappers: the same type around the same type --------------------------------------------


@dataclass
class Wrapper:
    """A class that implements a type and forwards its operations to a held object of it."""

    klass: object
    held: Held
    type_name: str
    forwards: list


def same_type_wrappers(module) -> list[Wrapper]:
    """Classes that hold an object of their own type and forward operations to it."""
    return _cached(module, "wrappers", lambda: [
        wrapper for klass in module.classes if klass.kind != "interface"
        for wrapper in [_same_type_wrapper(module, klass)] if wrapper is not None])


def _same_type_wrapper(module, klass) -> Wrapper | None:
    if not _calls_own_name(module, klass):
        return None  # cheap first: no held object can forward (most classes)
    found = [wrapper for held in held_objects(module, klass)
             for wrapper in [_wrapping(module, klass, held)] if wrapper is not None]
    # Two held objects of the wrapped type are combined (a splice, a fallback), not wrapped.
    return found[0] if len(found) == 1 else None


def _calls_own_name(module, klass) -> bool:
    """A method calls an operation of its own name on something (`Held.forwards` needs one)."""
    return any(may_call_own_name(module, method) for method in klass.methods
               if not is_constructor(method))


def may_call_own_name(module, method) -> bool:
    """A call of the method (or of its lambdas) may end with `.<the method's name>`.

    One substring search instead of a test per call: never False when one does, but a callee
    spanning lines may give True where none ends so (callers then run their full test).
    """
    name = method.name
    if "." not in name and name not in called_names(module):
        return False  # no call of the file ends so (most methods): no text joined
    return _cached(module, ("own-name", id(method)), lambda: _may_call_own_name(module, method))


def called_names(module):
    """The last segments of the file's callees (`Call.name`), from the shared call index."""
    return calls_by_name(module)[1]


def _may_call_own_name(module, method) -> bool:
    calls = calls_within(module, method)
    return bool(calls) and f".{method.name}\n" in "\n".join(
        [call.callee for call in calls]) + "\n"


def _wrapping(module, klass, held: Held) -> Wrapper | None:
    """The held object as a wrapped object of the class's own type, if it is one."""
    if not held.forwards():
        return None  # nothing forwarded by name (duck forwards are a subset of these)
    if held.nullable:
        return None  # an optional next link: a chain, not a wrapper
    types = index(module)
    declared = {base_name(base) for base in klass.bases}
    held_type = base_name(held.declared_type)
    forwards = []
    type_name = ""
    for use in held.forwards():
        parents = types.supertypes_with(klass, use.operation)
        if parents:
            forwards.append(use)
            type_name = type_name or parents[0].name
        elif held_type and held_type in declared:
            forwards.append(use)  # `class Timed implements Runnable { Timed(Runnable r) }`
            type_name = type_name or held_type
    if any(_extends_itself(use) for use in forwards):
        return None  # it does the work itself (super) and copies to the held object: a tee
    if not forwards and module.language in ("python", "javascript"):
        forwards, type_name = _duck_forwards(module, types, klass, held)
    if forwards and _holds_same_type(types, klass, held, type_name) and _mostly_forwarded(
            types, klass, forwards):
        return Wrapper(klass, held, type_name, forwards)
    return None


def _mostly_forwarded(types: Index, klass, forwards: list) -> bool:
    """A wrapper hands on most of the operations it offers.

    A tree node that serializes one same-typed part among many operations of its own
    (`self.fallback.serialize()`) is a part, not a wrapped object.
    """
    contract = types.contract(klass)
    offered = {method.name for method in klass.methods
               if not is_constructor(method) and not method.name.startswith(("_", "#"))
               and (not contract or method.name in contract)}
    forwarded = {use.operation for use in forwards}
    return 2 * len(forwarded & offered) >= len(offered)


def _params(method) -> list[str]:
    return [param.name for param in method.params]


def _extends_itself(use: Use) -> bool:
    """The method also runs the inherited version of the operation."""
    return any(call.callee.split(".")[0].startswith("super") and call.name == use.operation
               for call in use.method.calls)


def _duck_forwards(module, types: Index, klass, held: Held) -> tuple[list, str]:
    """Untyped code: two or more operations handed on by name, and another class has them all."""
    own = types.ops.get(id(klass), set())
    forwards = held.forwards()
    if len(own) < 2 or {use.operation for use in forwards} != own or any(
            len(use.call.args) != len(set(_params(use.method)) - _SELF) for use in forwards):
        return [], ""  # not the same operations, or not called the way they are offered
    for other in module.classes:
        if other is not klass and own <= types.ops.get(id(other), set()) and (
                held.created in (None, other.name)):
            return forwards, other.name
    return [], ""


def _holds_same_type(types: Index, klass, held: Held, type_name: str) -> bool:
    """A declared or created type of the held object, when known, must be the wrapped type."""
    if held.origin in ("created", "lazy"):
        created = types.by_name.get(held.created or "")
        return created is not None and (created.name == type_name or any(
            parent.name == type_name for parent in types.supers.get(id(created), ())))
    held_type = base_name(held.declared_type)
    if not held_type or held_type == type_name:
        return True
    other = types.by_name.get(held_type)
    return other is not None and any(parent.name == type_name
                                     for parent in types.supers.get(id(other), ()))


def translates(use: Use) -> bool:
    """A call that hands over the method's own arguments or whose answer the method uses."""
    params = {param.name for param in use.method.params} - _SELF
    if any(text(arg) in params for arg in use.call.args):
        return True
    node = use.call.node
    parent = node.parent if node is not None else None
    while parent is not None and parent.type in ("await_expression", "await"):
        parent = parent.parent
    return parent is not None and parent.type != "expression_statement"


# --- Collections of children -------------------------------------------------------------------

_ADDERS = frozenset({
    "append", "push", "add", "extend", "addAll", "insert", "unshift", "set", "put"})
_LIST_TYPE = re.compile(r"^\[\]|\[\]$|\b(?:List|ArrayList|LinkedList|Set|HashSet|Collection|"
                        r"Iterable|Array|ReadonlyArray|list|set|Sequence)\b")
_LIST_VALUE = re.compile(r"^\s*(?:\[|new\s+(?:\w+\.)*(?:Array|ArrayList|LinkedList|Set|HashSet|"
                         r"CopyOnWriteArrayList)\b|make\(\s*\[\]|\[\]\w|list\(|set\(|List\.of|"
                         r"Arrays\.asList|\(\s*\))")


def collection_fields(module, klass) -> set[str]:
    """Fields of a class that hold a list of objects: filled by an adder or typed as a list.

    Computed once per class of the module (callers must not change the set).
    """
    return module.memo(("structural_roles.collection_fields", id(klass)),
                       lambda: _collection_fields(module, klass))


def _collection_fields(module, klass) -> set[str]:
    found: set[str] = set()
    fields = {item.name for item in klass.fields}
    for method in klass.methods:
        own = self_names(method)
        for call in method.calls:
            parts = call.callee.split(".")
            if parts[-1] not in _ADDERS or not call.args:
                continue
            if len(parts) == 3 and parts[0] in own:
                found.add(parts[1])
            elif len(parts) == 2 and module.language == "java" and parts[0] in fields:
                found.add(parts[0])
        for assignment in method.assignments:
            parts = assignment.target.split(".")
            name = parts[1] if len(parts) == 2 and parts[0] in own else (
                parts[0] if len(parts) == 1 and parts[0] in fields else None)
            if name is None:
                continue
            value = assignment.value_text
            if assignment.value_kind == "list" or _LIST_VALUE.match(value) or value.startswith(
                    "append("):
                found.add(name)
    typed = module.language not in ("python", "javascript")
    for item in klass.fields:
        if item.value_kind == "list" or typed and _LIST_TYPE.search(field_type(klass, item.name)):
            found.add(item.name)
    for method in klass.constructors or [m for m in klass.methods if is_constructor(m)]:
        found |= _list_parameters_kept(method)
    return found


def _list_parameters_kept(constructor) -> set[str]:
    """Fields given a list (or rest) parameter of the constructor: `Sum(private terms: Expr[])`."""
    lists = {param.name for param in constructor.params
             if _LIST_TYPE.search(param_type(param)) or text(param.node).lstrip().startswith(
                 ("...", "*")) and not text(param.node).lstrip().startswith("**")}
    lists |= _splat_parameters(constructor)
    kept = {param.name for param in constructor.params
            if param.name in lists and _parameter_property(param)}
    for assignment in constructor.assignments:
        target = assignment.target.split(".")
        if len(target) == 2 and set(re.findall(r"\w+", assignment.value_text)) & lists:
            kept.add(target[1])
    return kept


def _splat_parameters(function) -> set[str]:
    """`*items` in Python, which the model does not list as a parameter."""
    node = function.node
    params = node.child_by_field_name("parameters") if node is not None else None
    found = set()
    for child in params.named_children if params is not None else ():
        if child.type == "typed_parameter" and child.named_child_count:
            child = child.named_children[0]  # `*shapes: Shape`
        if child.type == "list_splat_pattern" and child.named_child_count:
            found.add(text(child.named_children[0]))
    return found


def children_from_outside(module, klass) -> set[str]:
    """List fields filled with objects the callers hand over (`add(child)`, `Group(*shapes)`)."""
    found: set[str] = set()
    fields = {item.name for item in klass.fields}
    for method in klass.methods:
        own = self_names(method)
        params = set(_params(method)) - _SELF
        if is_constructor(method):
            found |= _list_parameters_kept(method)
        for call in method.calls:
            parts = call.callee.split(".")
            if parts[-1] not in _ADDERS or not any(text(arg).lstrip("*.") in params
                                                   for arg in call.args):
                continue
            if len(parts) == 3 and parts[0] in own:
                found.add(parts[1])
            elif len(parts) == 2 and module.language == "java" and parts[0] in fields:
                found.add(parts[0])
        for assignment in method.assignments:  # Go: `d.children = append(d.children, c)`
            parts = assignment.target.split(".")
            if len(parts) == 2 and parts[0] in own and assignment.value_text.startswith(
                    "append(") and set(re.findall(r"\w+", assignment.value_text)) & params:
                found.add(parts[1])
    return found
