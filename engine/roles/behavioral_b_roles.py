"""Roles shared by the State, Strategy, Template Method, Visitor and Null Object detectors.

A *family* is a base type declared in the file (interface, abstract or plain base class, Go
interface, Python Protocol) with the operations it declares and the classes that implement
them. Everything here reads the code model and, for the few facts the model lacks (Go
interface methods, abstract markers, method bodies), the tree-sitter nodes it carries.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import deque
from dataclasses import dataclass, field

from cpt.engine.roles.security_roles import calls_by_name

_SELF = frozenset({"self", "this", "cls"})
_GENERIC = re.compile(r"[<\[].*$", re.S)
_EMPTY_CALLS = frozenset({"empty", "emptyList", "emptyMap", "emptySet", "of", "none", "noop"})
_LITERALS = frozenset({
    "integer", "float", "number", "string", "string_literal", "interpreted_string_literal",
    "raw_string_literal", "decimal_integer_literal", "decimal_floating_point_literal",
    "int_literal", "float_literal", "boolean_literal", "false",
})
_COMMENTS = frozenset({"comment", "line_comment", "block_comment"})
_STRUCTURAL_BASES = frozenset({"Protocol"})
# Per-module results shared by the five detectors, which run one after another on one module.
_CACHE: dict[str, tuple[object, list]] = {}


@dataclass
class Family:
    """A base type, the operations it declares, and its implementations in this file."""

    base: object
    operations: set[str]
    members: list = field(default_factory=list)
    returns_sibling: bool | None = None  # computed on first use
    wrappers: set[int] | None = None  # ids of members that wrap another member
    reaches: list | None = None  # (label, name) each member method writes or calls elsewhere

    @property
    def concrete(self) -> list:
        return [member for member in self.members if not member.is_abstract]


@dataclass
class _Member:
    """One implementation in a family, and whether it is itself abstract."""

    klass: object
    is_abstract: bool

    @property
    def name(self) -> str:
        return self.klass.name


@dataclass
class _Info:
    """Facts about one class computed once per module."""

    klass: object
    operations: set[str]
    is_abstract: bool | None  # None until asked (see `_is_abstract`)


def base_name(text: str) -> str:
    """`abc.ABC` -> `ABC`, `Shape<T>` -> `Shape`, `Generic[T]` -> `Generic`."""
    text = _GENERIC.sub("", text or "").strip()
    return text.rsplit(".", 1)[-1]


def is_constructor(function) -> bool:
    return function.is_constructor or function.name in ("__init__", "__new__", "constructor")


def operations(klass) -> set[str]:
    """The names of the methods a type declares (Go interfaces: read from the node)."""
    names = {method.name for method in klass.methods
             if not is_constructor(method) and not method.name.startswith(("__", "<"))}
    if klass.kind == "interface" and klass.node is not None and klass.node.type == "type_spec":
        body = klass.node.child_by_field_name("type")
        for child in body.named_children if body is not None else ():
            if child.type in ("method_elem", "method_spec"):
                name = child.child_by_field_name("name")
                if name is not None:
                    names.add(name.text.decode("utf-8", "replace"))
    return names


def _decorators(function) -> list[str]:
    parent = function.node.parent if function.node is not None else None
    if parent is None or parent.type != "decorated_definition":
        return []
    return [child.text.decode("utf-8", "replace") for child in parent.named_children
            if child.type == "decorator"]


def body_statements(function, limit: int | None = None) -> list | None:
    """The direct statements of a function's body, comments left out (None: no body).

    With `limit`, only the first few, read one by one (asked of every method, most are longer).
    """
    node = function.node
    if node is None:
        return None
    body = node.child_by_field_name("body")
    if body is None:
        return None
    if body.named_child_count == 1 and body.named_children[0].type == "statement_list":
        body = body.named_children[0]  # Go wraps its statements
    if limit is None:
        return [child for child in body.named_children if child.type not in _COMMENTS]
    found = []
    for index in range(body.named_child_count):
        child = body.named_child(index)
        if child.type not in _COMMENTS:
            found.append(child)
            if len(found) == limit:
                break
    return found


def is_abstract_method(function) -> bool:
    """Declared without a body, decorated abstract, or only raising "not implemented"."""
    node = function.node
    if node is None:
        return False
    if node.type in ("abstract_method_signature", "method_signature"):
        return True
    if node.type == "method_declaration" and node.child_by_field_name("body") is None:
        return function.owner is None or function.owner.kind == "interface" or (
            "abstract" in _modifier_text(node))
    if any("abstractmethod" in text for text in _decorators(function)):
        return True
    statements = body_statements(function, limit=2)
    if not statements:
        return False
    first = statements[0]
    if first.type == "expression_statement" and len(statements) > 1 and (
            first.named_child_count == 1 and first.named_children[0].type == "string"):
        first = statements[1]  # a docstring
    if first.type in ("raise_statement", "throw_statement"):
        text = first.text.decode("utf-8", "replace")
        return "NotImplemented" in text or "abstract" in text.lower() or (
            "implement" in text.lower() or "override" in text.lower())
    return False


def _modifier_text(node) -> str:
    for child in node.children:
        if child.type == "modifiers":
            return child.text.decode("utf-8", "replace")
    return ""


def is_abstract_type(klass) -> bool:
    """An interface, an abstract class, a Protocol, or a class with abstract methods."""
    if klass.kind == "interface":
        return True
    node = klass.node
    if node is not None and (node.type == "abstract_class_declaration"
                             or "abstract" in _modifier_text(node)):
        return True
    if _direct_bases(klass) & {"ABC", "ABCMeta", "Protocol"}:
        return True
    return any(is_abstract_method(method) for method in klass.methods)


def _direct_bases(klass) -> set[str]:
    names = {base_name(base) for base in klass.bases}
    node = klass.node
    if node is not None and node.type == "class_definition":
        # The model keeps plain names only; `Protocol[T]`, `Generic[T]` are subscripts.
        for argument in _named_children(node.child_by_field_name("superclasses")):
            if argument.type == "subscript":
                names.add(base_name(node_text(argument)))
            elif argument.type == "keyword_argument":  # `metaclass=ABCMeta`
                names.add(base_name(node_text(argument.child_by_field_name("value"))))
    return names


def _named_children(node) -> list:
    return node.named_children if node is not None else []


def families(module) -> list[Family]:
    """Every base type of the file with its implementations (computed once per module)."""
    cached = _CACHE.get("families")
    if cached is not None and cached[0] is module:
        return cached[1]
    result = _families(module)
    _CACHE["families"] = (module, result)
    return result


def _families(module) -> list[Family]:
    classes = module.classes
    info = {id(klass): _Info(klass, operations(klass), None) for klass in classes}
    bases = {id(klass): _direct_bases(klass) for klass in classes}
    # Classes declared inside a function (test scaffolding, mostly) only relate to classes
    # of the same function: two tests may each declare their own `class A` and `class B(A)`.
    scopes = {id(klass): _scope(klass) for klass in classes}
    names = {(scopes[id(klass)], klass.name) for klass in classes}
    children: dict[tuple[int, str], list] = {}
    implementers: dict[tuple[int, str], list] = {}  # (scope, operation) -> classes defining it
    for klass in classes:
        scope = scopes[id(klass)]
        for base in bases[id(klass)]:
            if (scope, base) in names and base != klass.name:
                children.setdefault((scope, base), []).append(klass)
        if klass.kind != "interface":
            for name in info[id(klass)].operations:
                implementers.setdefault((scope, name), []).append(klass)
    found = []
    for base in classes:
        ops = info[id(base)].operations
        if not ops:
            continue
        scope = scopes[id(base)]
        if _structural(base, bases[id(base)]):
            # Go interfaces and Python Protocols are satisfied by method names alone.
            rarest = min(ops, key=lambda name: len(implementers.get((scope, name), ())))
            members = [klass for klass in implementers.get((scope, rarest), ())
                       if klass is not base and ops <= info[id(klass)].operations]
            members += [klass for klass in children.get((scope, base.name), ())
                        if not any(klass is member for member in members)]
        else:
            members = _descendants(scope, base.name, children)
        if members:
            found.append(Family(base, ops, [_Member(klass, _is_abstract(info[id(klass)]))
                                            for klass in members]))
    return found


def _is_abstract(info: _Info) -> bool:
    """`is_abstract_type`, asked of family members only (most classes are in no family)."""
    if info.is_abstract is None:
        info.is_abstract = is_abstract_type(info.klass)
    return info.is_abstract


_FUNCTION_NODES = frozenset({
    "function_definition", "function_declaration", "method_definition", "method_declaration",
    "constructor_declaration", "arrow_function", "function_expression", "func_literal",
    "lambda_expression", "generator_function_declaration", "generator_function",
})


def _scope(klass) -> int:
    """The node id of the function a class is declared in (0 at module or class level)."""
    node = klass.node.parent if klass.node is not None else None
    depth = 0
    while node is not None and depth < 100:
        if node.type in _FUNCTION_NODES:
            return node.id
        node = node.parent
        depth += 1
    return 0


def _structural(base, bases: set[str]) -> bool:
    is_go_interface = base.kind == "interface" and base.node is not None and (
        base.node.type == "type_spec")
    return is_go_interface or bool(bases & _STRUCTURAL_BASES)


def _descendants(scope: int, name: str, children: dict[tuple[int, str], list]) -> list:
    seen: list = []
    seen_ids: set[int] = set()
    pending = deque(children.get((scope, name), ()))
    while pending and len(seen) < 200:
        klass = pending.popleft()
        if id(klass) in seen_ids:
            continue
        seen_ids.add(id(klass))
        seen.append(klass)
        pending.extend(children.get((scope, klass.name), ()))
    return seen


def receiver(function) -> str | None:
    """The name a method uses for its own object: self/this, or a Go receiver's name."""
    node = function.node
    if node is not None and node.type == "method_declaration":
        params = node.child_by_field_name("receiver")
        for declaration in params.named_children if params is not None else ():
            name = declaration.child_by_field_name("name")
            if name is not None:
                return name.text.decode("utf-8", "replace")
    return None


def self_names(function) -> set[str]:
    """Every way a method may refer to its own object."""
    names = set(_SELF)
    go_receiver = receiver(function)
    if go_receiver:
        names.add(go_receiver)
    return names


def method_calls(module, method) -> list:
    """The calls of a method and of the lambdas and closures written inside it."""
    starts = _function_starts(module)
    span = method.span
    low = bisect_left(starts, span.start_byte)
    high = bisect_right(starts, span.end_byte)
    calls = []
    for function in module.functions[low:high]:
        if function is method or function.span.end_byte <= span.end_byte:
            calls.extend(function.calls)
    return calls


def _function_starts(module) -> list[int]:
    cached = _CACHE.get("starts")
    if cached is not None and cached[0] is module:
        return cached[1]
    starts = [function.span.start_byte for function in module.functions]
    _CACHE["starts"] = (module, starts)
    return starts


def node_text(node) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def is_inert(function, strict: bool = False) -> bool:
    """A body that does nothing: empty, `pass`, a docstring, or returns a neutral value.

    Neutral: null, false, zero, empty text or collection; `strict` admits only null and
    empty results, so that a method answering `0` or `false` on purpose is not taken for one
    that does nothing.
    """
    statements = body_statements(function)
    if statements is None:
        body = function.node.child_by_field_name("body") if function.node is not None else None
        # An arrow function with an expression body: inert when that is a neutral value.
        return body is not None and _neutral(body, strict)
    return all(_inert_statement(statement, strict) for statement in statements)


def _inert_statement(node, strict: bool) -> bool:
    kind = node.type
    if kind in ("pass_statement", "empty_statement"):
        return True
    if kind == "expression_statement":
        return node.named_child_count == 1 and node.named_children[0].type in (
            "string", "ellipsis")
    if kind == "return_statement":
        values = node.named_children
        if len(values) == 1 and values[0].type == "expression_list":
            values = values[0].named_children
        return all(_neutral(value, strict) for value in values)
    return False


_NULLS = frozenset({"none", "null", "nil", "undefined", "null_literal"})
_FALSE = frozenset({"false", "False"})
_ZERO = re.compile(r"^0+(?:\.0*)?[fFdDlL]?$")


def _neutral(node, strict: bool) -> bool:
    kind = node.type
    if kind == "parenthesized_expression" and node.named_child_count == 1:
        return _neutral(node.named_children[0], strict)
    if kind in _NULLS:
        return True
    if kind in ("list", "array", "dictionary", "object", "tuple", "array_initializer"):
        return node.named_child_count == 0
    if kind == "composite_literal":  # Go: `[]string{}`
        body = node.child_by_field_name("body")
        return body is not None and body.named_child_count == 0
    if kind in ("call", "call_expression", "method_invocation"):
        # `Collections.emptyList()`, `Optional.empty()`, `List.of()`
        args = node.child_by_field_name("arguments")
        name = node.child_by_field_name("name") or node.child_by_field_name("function")
        last = node_text(name).rsplit(".", 1)[-1]
        return args is not None and args.named_child_count == 0 and last in _EMPTY_CALLS
    text = node_text(node)
    if kind in _LITERALS and text.strip("\"'`") == "" and "string" in kind:
        return True  # empty text
    if strict:
        return False
    return text in _FALSE or (kind in _LITERALS and bool(_ZERO.match(text)))


# --- A context that holds one implementation of a family and delegates to it ---------------


@dataclass
class Delegation:
    """A class that keeps an implementation of a family in a field and calls through it."""

    context: object
    field: str
    family: Family
    operation: str
    call: object
    same_kind: bool = False  # the context itself implements the family's operations


def delegations(module) -> list[Delegation]:
    """Every (class, field) that forwards a family operation to the object in the field."""
    cached = _CACHE.get("delegations")
    if cached is not None and cached[0] is module:
        return cached[1]
    result = _delegations(module)
    _CACHE["delegations"] = (module, result)
    return result


def _delegations(module) -> list[Delegation]:
    known = families(module)
    if not known:
        return []
    by_operation: dict[str, list[Family]] = {}
    for family in known:
        for name in family.operations:
            by_operation.setdefault(name, []).append(family)
    if by_operation.keys().isdisjoint(calls_by_name(module)[1]):
        return []  # no call of the file names a family operation: no method to read
    lines = _lineages(module.classes)
    found: dict[tuple[int, str], Delegation] = {}
    for klass in module.classes:
        if klass.kind == "interface":
            continue
        fields = {item.name for item in klass.fields}
        for method in klass.methods:
            names = params = None  # read for the first call that names a family operation
            for call in method_calls(module, method):
                callee = call.callee
                if "." not in callee or callee.rpartition(".")[2] not in by_operation:
                    continue  # string tests first: most calls name no family operation
                if names is None:
                    names = self_names(method)
                    params = {param.name for param in method.params}
                parts = callee.split(".")
                if len(parts) == 3 and parts[0] in names:
                    held = parts[1]
                elif len(parts) == 2 and module.language == "java" and parts[0] in fields and (
                        parts[0] not in params):
                    held = parts[0]  # Java reaches its fields without `this.`
                else:
                    continue
                # A class of the family's own hierarchy that holds one of its kind wraps it
                # (Decorator, Proxy, Composite, Chain, a linked node); satisfying a Go
                # interface or a Protocol by its method names alone is only noted.
                candidates = [family for family in by_operation.get(parts[-1], ())
                              if not lines[id(family.base)] & lines[id(klass)]]
                if not candidates or (id(klass), held) in found:
                    continue
                family = max(candidates, key=lambda item: len(item.members))
                found[(id(klass), held)] = Delegation(
                    klass, held, family, parts[-1], call,
                    any(member.klass is klass for member in family.members))
    return list(found.values())


def _lineages(classes) -> dict[int, set[str]]:
    """Each class's own name and the names of its ancestors declared in the file."""
    by_name = {klass.name: klass for klass in classes}
    lines = {}
    for klass in classes:
        line = {klass.name}
        pending = list(_direct_bases(klass))
        while pending and len(line) < 50:
            name = pending.pop()
            parent = by_name.get(name)
            # Only the file's own classes: sharing `object` or `ABC` relates nothing.
            if parent is None or name in line:
                continue
            line.add(name)
            pending.extend(_direct_bases(parent))
        lines[id(klass)] = line
    return lines


def field_targets(method, name: str) -> set[str]:
    """How a method writes the field `name` of its own object (Java may leave out `this`)."""
    targets = {f"{owner}.{name}" for owner in self_names(method)}
    node = method.node
    if node is not None and node.type in _JAVA_METHODS and (
            node.child_by_field_name("receiver") is None):  # Go methods have a receiver
        targets.add(name)
    return targets


_JAVA_METHODS = frozenset({"method_declaration", "constructor_declaration"})


_FALLBACK = re.compile(r"^\s*(\w+)\s*(?:or\b|\|\||\?\?)")
_CHECKED = re.compile(r"^\s*(?:[\w.]*\.)?(?:requireNonNull|checkNotNull)\(\s*(\w+)\s*[,)]")


def injection(module, delegation: Delegation) -> str | None:
    """Where the held object comes from outside: "constructor", "setter" or None."""
    klass, name = delegation.context, delegation.field
    for method in klass.methods:
        params = {param.name for param in method.params}
        targets = field_targets(method, name)
        for assignment in method.assignments:
            if assignment.target not in targets:
                continue
            given = _FALLBACK.match(assignment.value_text) or _CHECKED.match(
                assignment.value_text)
            if assignment.value_text in params or (given and given.group(1) in params):
                return "constructor" if is_constructor(method) else "setter"
        if is_constructor(method) and any(
                param.name == name and _parameter_property(param) for param in method.params):
            return "constructor"
    if module.language == "go":
        return _go_literal_injection(module, klass, name)
    if _dataclass(klass) and klass.field_named(name) is not None:
        return "constructor"  # `@dataclass` turns annotated class fields into parameters
    return None


def _dataclass(klass) -> bool:
    parent = klass.node.parent if klass.node is not None else None
    if parent is None or parent.type != "decorated_definition":
        return False
    return any(child.type == "decorator" and re.search(
        r"\b(?:dataclass|define|frozen|attr\.s|attrs)\b", node_text(child))
        for child in parent.named_children)


def _parameter_property(param) -> bool:
    """TypeScript `constructor(private strategy: S)` declares and assigns a field."""
    node = param.node
    return node is not None and any(child.type in ("accessibility_modifier", "readonly")
                                    for child in node.children)


def _go_literal_injection(module, klass, name: str) -> str | None:
    """Go: `&Context{strategy: s}` built from a parameter `s` of the enclosing function."""
    for function, call in module.all_calls():
        if not call.is_new or call.callee != klass.name or function is None:
            continue
        params = {param.name for param in function.params}
        for element in call.args:
            key, _, value = node_text(element).partition(":")
            if key.strip() == name and value.strip() in params:
                return "constructor"
    return None


def setters(delegation: Delegation) -> set[str]:
    """Methods of the context that store their argument in the held field."""
    names = set()
    for method in delegation.context.methods:
        if is_constructor(method):
            continue
        params = {param.name for param in method.params}
        targets = field_targets(method, delegation.field)
        if any(assignment.target in targets and assignment.value_text in params
               for assignment in method.assignments):
            names.add(method.name)
    return names


def transition(delegation: Delegation) -> str | None:
    """How the held object is replaced from within: the mark of State, not Strategy."""
    return _context_transition(delegation) or _state_transition(delegation)


def _context_transition(delegation: Delegation) -> str | None:
    """The context stores the state its current one returns, or moves on after forwarding.

    `self.state = self.state.next(event)`, or a handler that forwards to the current state
    and then stores a new instance of another one. Choosing an instance without forwarding
    (`use_fast(): self.algorithm = Fast()`) is a caller's choice, not a transition.
    """
    klass, name = delegation.context, delegation.field
    members = {member.name for member in delegation.family.members}
    for method in klass.methods:
        if is_constructor(method):
            continue
        targets = field_targets(method, name)
        reads = tuple(f"{target}." for target in targets)
        stores = [assignment for assignment in method.assignments if assignment.target in targets]
        if not stores:
            continue
        for assignment in stores:
            if assignment.value_text.startswith(reads) and _returns_sibling(delegation.family):
                return f"`{method.name}` stores the state the current one returns"
        created = any(_created(assignment.value_text) in members for assignment in stores)
        if created and any(call.callee.startswith(reads) for call in method.calls):
            return f"`{method.name}` forwards to the current state and then replaces it"
    return None


def _state_transition(delegation: Delegation) -> str | None:
    """A state object sets the context's next state itself."""
    name = delegation.field
    setter_names = None
    for label, kind, last in _reaches(delegation.family):
        if kind == "assign" and last == name:
            return f"{label} sets `{name}` of its context"
        if kind == "call":
            if setter_names is None:
                setter_names = setters(delegation)
            if last in setter_names:
                return f"{label} calls `{last}` of its context"
    return None


def _reaches(family: Family) -> list[tuple[str, str, str]]:
    """What the members' methods write or call on objects other than themselves."""
    if family.reaches is None:
        family.reaches = []
        for member in family.members:
            for method in member.klass.methods:
                if not method.assignments and not method.calls:
                    continue
                own = self_names(method)
                label = f"{member.name}.{method.name}"
                for assignment in method.assignments:
                    head, _, last = assignment.target.rpartition(".")
                    if head and head not in own:
                        family.reaches.append((label, "assign", last))
                for call in method.calls:
                    head, _, last = call.callee.rpartition(".")
                    if head and head not in own:
                        family.reaches.append((label, "call", last))
    return family.reaches


def _created(text: str) -> str | None:
    """The class a `Name(...)`, `new Name(...)` or `&Name{...}` creates."""
    match = _CREATED.match(text)
    return match.group(1).rsplit(".", 1)[-1] if match else None


_CREATED = re.compile(r"^\s*(?:new\s+|&)?([A-Za-z_][\w.]*)\s*[({]")


def _returns_sibling(family: Family) -> bool:
    """A member hands back a new instance of another member: the next state.

    Immutable values return a new instance of their own class instead.
    """
    if family.returns_sibling is None:
        family.returns_sibling = _find_sibling_return(family)
    return family.returns_sibling


def _find_sibling_return(family: Family) -> bool:
    names = {member.name for member in family.members}
    for member in family.members:
        for method in member.klass.methods:
            for ret in method.returns:
                for text in ret.text.replace("?", " : ").split(" : ") + ret.text.split(" else "):
                    created = _created(text.split(" if ")[0])
                    if created in names - {member.name}:
                        return True
    return False


def implementations(delegation: Delegation) -> list[str]:
    """Concrete members that implement the delegated operation themselves.

    Wrappers and the context are left out: what counts is how many real alternatives the
    context can be given for the call it makes.
    """
    family = delegation.family
    if family.wrappers is None:
        family.wrappers = {id(member.klass) for member in family.members
                           if _wraps(member.klass, family)}
    names = []
    for member in family.concrete:
        if member.klass is delegation.context or id(member.klass) in family.wrappers:
            continue
        if family.base.kind == "interface" or any(
                method.name == delegation.operation for method in member.klass.methods):
            names.append(member.name)
    return names


def _wraps(klass, family: Family) -> bool:
    """A member that forwards the family's operations to another member it holds."""
    fields = {item.name for item in klass.fields}
    for method in klass.methods:
        for call in method.calls:
            parts = call.callee.split(".")
            if parts[-1] in family.operations and len(parts) >= 2 and parts[-2] in fields:
                return True
    return False


def holds_family(module, delegation: Delegation) -> bool:
    """Evidence that the held object is of the family, beyond a shared method name.

    The context names the type or one of its implementations (a type annotation, a default,
    an initial state), or code in the file builds the context with one of them. Without it, a
    generic call such as `self.table.bind(db)` could belong to any class with that method.
    """
    names = {delegation.family.base.name} | {member.name for member in delegation.family.members}
    alternatives = "|".join(re.escape(name) for name in names)
    pattern = re.compile(rf"\b(?:{alternatives})\b")
    context = delegation.context
    if context.node is not None and pattern.search(node_text(context.node)):
        return True
    calls = _calls_by_name(module)
    for name in {context.name} | setters(delegation):
        for call in calls.get(name, ()):
            if call.arguments is not None and pattern.search(node_text(call.arguments)):
                return True
    return False


def _calls_by_name(module) -> dict[str, list]:
    cached = _CACHE.get("calls")
    if cached is not None and cached[0] is module:
        return cached[1]
    index: dict[str, list] = {}
    for _, call in module.all_calls():
        index.setdefault(call.callee.rsplit(".", 1)[-1], []).append(call)
    _CACHE["calls"] = (module, index)
    return index
