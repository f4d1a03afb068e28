"""Recognize Command objects by their roles, never by names.

A command keeps the receiver of a request in a field it was given at construction, and exposes a
method without parameters that carries the request out on that receiver. Two classes of one family
(a shared base or interface) must do so, or one among parameterless peers that an invoker runs.

Neighbours told apart: a Strategy's method takes the data it works on as parameters; a State
creates its sibling states; a Template Method's hook is called by its own base class; protocol
hooks (`__enter__`) and a Composite asking the same of its parts (`self.type.serialize()`) are
not requests.
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
    result_type,
)

_MAX_OPERATIONS = 3
# Hooks a framework calls on every component (Angular, React, web components, xUnit, Android,
# resources): the framework is no invoker of requests. Names only ever rule out here.
_LIFECYCLE = re.compile(
    r"^(?:ng[A-Z]\w*|component(?:Did|Will)\w*|(?:connected|disconnected|attributeChanged)Callback"
    r"|setUp\w*|tearDown\w*|on[A-Z]\w*|[cC]lose|[dD]ispose|[dD]estroy|finalize)$")
_DATACLASS = ("dataclass", "attr.s", "attrs", "define", "frozen")


def detect(ctx):
    module = ctx.module
    if len(module.classes) < 2:
        return
    commands = {}
    for klass in module.classes:
        found = _command_role(ctx, klass)
        if found is not None:
            commands[klass.name] = (klass, *found)
    if not commands:
        return
    for family, peers in _families(ctx, module, commands):
        if not _enough(module, family, peers, commands):
            continue
        if _changes_state(family, commands) or _hook(module, family, commands):
            continue
        for name in family:
            klass, method, receiver = commands[name]
            others = sorted(set(peers) - {name})
            yield Hit(klass.name_span, args={
                "name": klass.name, "method": method.name, "receiver": receiver,
                "count": len(peers), "others": ", ".join(others[:3]),
            })


def _enough(module, family, peers, commands):
    """Two commands of one family; or one among interchangeable peers that an invoker runs."""
    if len(family) >= 2:
        return True
    return bool(family) and len(peers) >= 2 and _invoked(module, peers,
                                                          commands[family[0]][1].name)


def _invoked(module, peers, operation):
    """Somebody outside the family runs the operation on an object it holds or was given."""
    for function, call in module.all_calls():
        if function is not None and function.owner is not None and function.owner.name in peers:
            continue
        parts = call.callee.split(".")
        if len(parts) >= 2 and parts[-1] == operation and not call.args and (
                parts[0] not in ("self", "this") or len(parts) > 2):
            return True
    return False


def _command_role(ctx, klass):
    """(method, field): a parameterless method runs a request on a field given at construction."""
    if klass.kind == "interface":
        return None
    held = _injected_fields(ctx, klass)
    if not held:
        return None
    public = [method for method in klass.methods if _public_operation(method)]
    if len(public) > _MAX_OPERATIONS:
        return None  # a command is a thin request (execute, maybe undo), not a whole service
    for method in public:
        selves = receivers(method)
        if {param.name for param in method.params} - selves:
            continue  # the request's data travel with the command, not with the call
        receiver = _acts_on(ctx, method, selves, held)
        if receiver is not None:
            return method, receiver
    return None


def _public_operation(method):
    return not (is_constructor(method) or method.is_static or method.visibility == "private"
                or (method.name.startswith("__") and method.name.endswith("__"))
                or _LIFECYCLE.match(method.name))


def _acts_on(ctx, method, selves, held):
    """The held field the method acts on: a call whose answer it drops, or a field it sets.

    Asking the same operation of the field (`self.type.serialize()`) is a Composite's recursion;
    returning what the field answers is a query, except for Go's `return c.server.Start()` error.
    """
    bare = bare_fields(ctx, held)
    go_error = ctx.language == "go" and result_type(method) in ("", "error")
    for call in method.calls:
        path = member_path(call.callee, selves, bare)
        if not path or len(path) != 2 or path[0] not in held or path[1] == method.name:
            continue
        if _dropped(call) or (go_error and _returned(call)):
            return path[0]
    for assignment in method.assignments:
        path = member_path(assignment.target, selves, bare)
        if path and len(path) == 2 and path[0] in held:
            return path[0]
    return None


def _dropped(call):
    parent = call.node.parent if call.node is not None else None
    while parent is not None and parent.type in ("await_expression", "await"):
        parent = parent.parent
    return parent is not None and parent.type == "expression_statement"


def _returned(call):
    parent = call.node.parent if call.node is not None else None
    while parent is not None and parent.type == "expression_list":
        parent = parent.parent
    return parent is not None and parent.type == "return_statement"


def _injected_fields(ctx, klass):
    """Fields set from constructor parameters (or declared on a Go struct or a dataclass)."""
    fields = own_fields(klass, ctx.module)
    if ctx.language == "go":
        return fields
    if not fields:
        return set()  # what follows is kept only where it is a field
    held = set()
    if ctx.language == "python" and _is_dataclass(klass):
        held.update(field.name for field in klass.fields if field.value_kind is None)
    for constructor in klass.methods:
        if not is_constructor(constructor):
            continue
        selves = receivers(constructor)
        params = {param.name for param in constructor.params} - selves
        for assignment in constructor.assignments:
            path = member_path(assignment.target, selves, bare_fields(ctx, fields))
            if path and len(path) == 1 and assignment.value_text.strip() in params:
                held.add(path[0])
        held.update(param.name for param in constructor.params if param.name in fields
                    and _is_parameter_property(param))
    return held & fields


def _is_dataclass(klass):
    """`@dataclass` (or attrs) generates a constructor taking every annotated field."""
    parent = klass.node.parent if klass.node is not None else None
    if parent is None or parent.type != "decorated_definition":
        return False
    return any(base_name(node_text(child).lstrip("@").split("(", 1)[0].strip()) in _DATACLASS
               for child in parent.children if child.type == "decorator")


def _is_parameter_property(param):
    node = param.node
    return node is not None and any(child.type == "accessibility_modifier"
                                    or node_text(child) == "readonly" for child in node.children)


def _families(ctx, module, commands):
    """(commands, peers) sharing a base and the operation; Go: an interface declaring it.

    Peers are all the classes of the family with that parameterless operation, commands or not.
    """
    operations = {name: entry[1].name for name, entry in commands.items()}
    groups = {}
    for klass in module.classes:
        for operation in _parameterless(klass):
            for family in _family_keys(ctx, module, klass, operation):
                groups.setdefault((family, operation), []).append(klass.name)
    result = []
    for (_, operation), peers in groups.items():
        family = [name for name in peers if operations.get(name) == operation]
        if family:
            result.append((family, peers))
    return result


def _parameterless(klass):
    """Public operations without parameters of a small class (the shape of a command)."""
    if klass.kind == "interface":
        return []
    public = [method for method in klass.methods if _public_operation(method)]
    if len(public) > _MAX_OPERATIONS:
        return []
    return [method.name for method in public
            if not {param.name for param in method.params} - receivers(method)]


def _family_keys(ctx, module, klass, operation):
    if ctx.language != "go":
        return [base_name(base) for base in klass.bases]
    declares = re.compile(rf"\b{re.escape(operation)}\s*\(\s*\)")
    return [interface.name for interface in module.classes
            if interface.kind == "interface" and declares.search(node_text(interface.node))]


def _changes_state(family, commands):
    """Members that create their siblings are states switching the context, not commands."""
    names = set(family)
    for name in family:
        klass = commands[name][0]
        for method in klass.methods:
            if any(base_name(call.callee) in names - {name} for call in method.calls):
                return True
    return False


def _hook(module, family, commands):
    """The shared method is called by the base on itself: a Template Method's step."""
    method = commands[family[0]][1].name
    for klass in module.classes:
        if klass.name in family:
            continue
        for function in klass.methods:
            selves = receivers(function)
            if any(member_path(call.callee, selves, frozenset()) == [method]
                   for call in function.calls):
                return True
    return False
