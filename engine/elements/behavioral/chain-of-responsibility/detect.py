"""Recognize a Chain of Responsibility handler by its roles, never by names.

A handler keeps an optional successor of its own family in a field it is given, and one of its
methods either answers the request it received or passes that request on to the successor's
operation (one of the handler's own), after checking that there is one. The checks tell it apart
from its neighbours: a Decorator always forwards to the object it wraps, a lazy Proxy creates its
subject itself, a Composite writes itself and its children into one shared sink, and a
linked-list node recursing into `next` is one class with no family.
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

_TRIVIAL_BASES = frozenset({"object", "ABC", "Generic", "Protocol", "Object"})
# Wrappers a forwarded call may sit in on its way to `return` or a bare statement.
_PASS_THROUGH = frozenset({
    "await_expression", "await", "expression_list", "boolean_operator", "conditional_expression",
    "ternary_expression", "parenthesized_expression", "optional_chain", "binary_expression",
})
_ENDS = frozenset({"return_statement", "expression_statement"})
_LOGICAL = frozenset({"&&", "||", "??", "and", "or"})
_NAME = r"(?:[\w$]+\.)?#?([\w$]+)"
_PRESENCE = (
    re.compile(_NAME + r"\s*(?:is\s+(?:not\s+)?None|[!=]==?\s*(?:null|undefined|nil|None)"
               r"|\?\.|\s(?:and|or)\s|&&|\|\|)"),
    re.compile(r"(?:null|undefined|nil|None)\s*[!=]==?\s*" + _NAME + r"\b"),
    re.compile(r"\bif\s*\(?\s*(?:not\s+|!)?" + _NAME + r"\s*\)?\s*[:{]"),
)
_NULLS = frozenset({"None", "null", "nil", "undefined"})


def detect(ctx):
    module = ctx.module
    extended = {base_name(base) for klass in module.classes for base in klass.bases}
    for klass in module.classes:
        if klass.kind == "interface" or not _may_pass_on(klass):
            continue
        fields = own_fields(klass, ctx.module)
        if not fields:
            continue
        found = _handler(ctx, module, klass, fields, extended)
        if found is not None:
            method, successor = found
            yield Hit(klass.name_span, args={
                "name": klass.name, "method": method.name, "field": successor})


def _may_pass_on(klass):
    """Some method may call one of the class's own operations on a successor.

    Reads call texts only: most classes fail it before their fields are collected.
    """
    operations = {method.name for method in klass.methods}
    return any(_calls_operation(method, operations) for method in klass.methods)


def _calls_operation(method, operations):
    """What `_forwarded_to` needs first: a dotted call naming one of `operations`."""
    if is_constructor(method) or method.is_static:
        return False
    for call in method.calls:
        callee = call.callee
        if "." not in callee:
            continue
        if "(" in callee or "[" in callee:
            return True  # `member_path` drops brackets first: leave it to the full test
        if callee.rpartition(".")[2].lstrip("#").strip() in operations:
            return True
    return False


def _handler(ctx, module, klass, fields, extended):
    """(method, successor field) of the first method that handles or passes on."""
    operations = {method.name for method in klass.methods}
    for method in klass.methods:
        if not _calls_operation(method, operations):
            continue
        forwarded = _forwarded_to(ctx, klass, method, operations, fields)
        if forwarded is None:
            continue
        successor, operation, request = forwarded
        if _takes_in_only(ctx, klass, successor, fields) is False:
            continue
        if _shared_sink(ctx, method, successor, fields, request):
            continue
        if not (_handles(ctx, method, successor, fields)
                or _fallback_of(module, klass, method, operation)):
            continue
        if _family(ctx, module, klass, successor, extended):
            return method, successor
    return None


def _forwarded_to(ctx, klass, method, operations, fields):
    """(field, operation, request) this method passes on to a successor that is optional.

    Optional: checked before use, or linked in later through a setter (`setNext(h)`).
    """
    if is_constructor(method) or method.is_static:
        return None
    selves = receivers(method)
    bare = bare_fields(ctx, fields)
    params = {param.name for param in method.params} - selves
    if not params:
        return None  # a handler is handed a request
    targets = set()
    found = None
    for call in method.calls:
        path = member_path(call.callee, selves, bare)
        if not path or len(path) != 2 or path[0] not in fields or path[1] not in operations:
            continue
        targets.add(path[0])
        passed = {node_text(arg) for arg in call.args} & params
        if found is None and passed and _result_passed_back(call):
            found = (path[0], path[1], passed)
    if found is None or len(targets) > 1:  # left and right: walking a tree
        return None
    if _checks_presence(ctx, method, found[0]) or _linked_later(ctx, klass, found[0], fields):
        return found
    return None


def _result_passed_back(call):
    """The successor's answer is returned as is or dropped, never combined with more."""
    node = call.node
    parent = node.parent if node is not None else None
    while parent is not None and parent.type in _PASS_THROUGH:
        if parent.type == "binary_expression":
            operator = parent.child_by_field_name("operator")
            if operator is None or node_text(operator) not in _LOGICAL:
                return False
        parent = parent.parent
    return parent is not None and parent.type in _ENDS


def _checks_presence(ctx, method, field):
    """`if self.next`, `next != null`, `h.next != nil`, `this.next?.handle(...)`."""
    text = ctx.text(method.span)
    if field not in text:
        return False  # the patterns capture the field as written: they would find nothing
    return any(field in pattern.findall(text) for pattern in _PRESENCE)


def _linked_later(ctx, klass, field, fields):
    """A method other than the constructor sets the successor from its parameter."""
    for method in klass.methods:
        if is_constructor(method) or method.is_static:
            continue
        selves = receivers(method)
        params = {param.name for param in method.params} - selves
        for assignment in method.assignments:
            if (assignment.value_text.strip() in params and member_path(
                    assignment.target, selves, bare_fields(ctx, fields)) == [field]):
                return True
    return False


def _takes_in_only(ctx, klass, field, fields):
    """False when the class ever sets the successor to something it made (a lazy Proxy)."""
    for method in klass.methods:
        selves = receivers(method)
        params = {param.name for param in method.params}
        for assignment in method.assignments:
            path = member_path(assignment.target, selves, bare_fields(ctx, fields))
            value = assignment.value_text.strip()
            if path == [field] and value not in params and value not in _NULLS:
                return False
    return True


def _shared_sink(ctx, method, successor, fields, request):
    """The request goes to several other calls too: a writer or buffer shared by a Composite."""
    selves = receivers(method)
    bare = bare_fields(ctx, fields)
    others = 0
    for call in method.calls:
        path = member_path(call.callee, selves, bare)
        if path and path[0] == successor:
            continue
        if any(node_text(arg) in request for arg in call.args):
            others += 1
    return others >= 2


def _handles(ctx, method, successor, fields):
    """Besides passing on, the handler can answer itself: another call or a real result.

    A wrapper whose method only forwards when it has something to forward to is a Proxy.
    """
    selves = receivers(method)
    bare = bare_fields(ctx, fields)
    forwards = set()
    for call in method.calls:
        path = member_path(call.callee, selves, bare)
        if path and path[0] == successor:
            forwards.add(node_text(call.node))
        else:
            return True
    return any(ret.kind not in (None, "null") and ret.text.strip() not in forwards
               and ret.text.strip().removeprefix("await ") not in forwards
               for ret in method.returns)


def _fallback_of(module, klass, method, operation):
    """Subclasses override the operation and fall back on the base's forwarding.

    `handle` calling `super().handle(req)`; Java's `check` calling the base's `checkNext`.
    """
    pattern = re.compile(rf"(?:\bsuper\(?\)?\.|\b(?:self|this)\.|^){re.escape(method.name)}$")
    for other in module.classes:
        if other is klass or klass.name not in {base_name(base) for base in other.bases}:
            continue
        if any(function.name == operation and any(pattern.search(call.callee)
                                                  for call in function.calls)
               for function in other.methods):
            return True
    return False


def _family(ctx, module, klass, field, extended):
    """Handlers come in kinds, and the successor is one of them.

    A declared successor type must be the handler's own class, one of its bases, or (Go) an
    interface of this file with the operation; untyped, the class needs a base or subclasses.
    """
    declared = _field_type(ctx, klass, field)
    if declared:
        if declared == klass.name or declared in {base_name(base) for base in klass.bases}:
            return declared != klass.name or klass.name in extended or _is_abstract(klass)
        interface = module.class_named(declared)
        return ctx.language == "go" and interface is not None and interface.kind == "interface"
    if klass.name in extended or _is_abstract(klass):
        return True
    return any(base_name(base) not in _TRIVIAL_BASES for base in klass.bases)


def _is_abstract(klass):
    node = klass.node
    if node is None:
        return False
    head = node_text(node).split("{", 1)[0].split(klass.name, 1)[0]
    return node.type == "abstract_class_declaration" or re.search(r"\babstract\b", head) is not None


def _field_type(ctx, klass, field):
    """The declared type of a field ('' when unknown): Java, TypeScript, Go, Python hints."""
    text = node_text(klass.node)
    name = re.escape(field)
    patterns = {
        "java": rf"\b([A-Z]\w*)(?:<[^>]*>)?\s+{name}\s*[;=]",
        "typescript": rf"\b#?{name}\s*[?!]?\s*:\s*([A-Za-z_]\w*)",
        "go": rf"\b{name}\s+\*?([A-Za-z_][\w.]*)",
        "python": rf"^\s*(?:self\.)?{name}\s*:\s*(?:Optional\[)?['\"]?([A-Za-z_][\w.]*)",
    }
    pattern = patterns.get(ctx.language)
    match = re.search(pattern, text, re.M) if pattern else None
    return base_name(match.group(1)) if match else ""
