"""Recognize a Multiton by its roles: one shared instance per key, created on first request.

A function keeps instances in storage that outlives the call (a static field, a module or
closure variable), stores a newly created instance under a key that is one of its parameters,
and hands it out. Memoized results (not instances), per-object caches and caches keyed by the
class itself (a Singleton) are not Multitons.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.creational_roles import (
    SELF_TYPE,
    created_in_callback,
    created_type,
    enclosing_functions,
    is_static_storage,
    nested_functions,
    persistent_names,
    receiver_names,
)

_CONTAINERS = frozenset({"ArrayList", "LinkedList", "HashMap", "TreeMap", "LinkedHashMap",
                         "HashSet", "TreeSet", "ArrayDeque", "Map", "Set", "WeakMap", "Array",
                         "Object", "OrderedDict", "Counter", "AtomicInteger", "AtomicLong"})
_STORE_CALLS = frozenset({"put", "set", "setdefault", "putIfAbsent", "computeIfAbsent",
                          "LoadOrStore", "Store"})


def detect(ctx):
    module = ctx.module
    local_classes = frozenset(klass.name for klass in module.classes)
    reported = set()
    for function in module.functions:
        if not function.params or not function.returns:
            continue
        found = _keyed_creation(function, module, ctx.language, local_classes)
        if found is None:
            continue
        storage, key, created = found
        owner = function.owner
        if created in _CONTAINERS or created.endswith("Array") or _shared_flyweight(
                module, created, owner):
            continue
        if owner is not None and created in (owner.name, SELF_TYPE):
            span, name = owner.name_span, owner.name
        else:
            span, name = function.name_span, function.qualified_name
        if name in reported:
            continue
        reported.add(name)
        yield Hit(span, args={"name": name, "accessor": function.qualified_name,
                              "storage": storage, "key": key})


def _keyed_creation(function, module, language, local_classes):
    """(storage, key, created class) when the function caches a new instance per parameter."""
    keys = None  # read for the first keyed write (most functions have none)
    persistent = None
    for inner in nested_functions(function, module):
        for storage, key, value in _keyed_writes(inner):
            if keys is None:
                keys = {param.name for param in function.params} - receiver_names(function)
            if key not in keys:
                continue
            created = _created(value, function, language, local_classes)
            if created is None:
                continue
            if persistent is None:
                persistent = _lasting_names(function, module)
            if is_static_storage(storage, function, persistent):
                return storage.split("[", 1)[0], key, created
    return None


def _lasting_names(function, module):
    """Storage that outlives every call: module variables, static fields, handed-out closures.

    Closure state counts only when the outer function returns the closure (a decorator). A map
    local to an outer call (a helper inside `parse()`) or to one object built by a constructor
    function lives and dies with that call or object.
    """
    names = persistent_names(function, module)
    for outer in enclosing_functions(function, module):
        if not _hands_out(outer, function):
            names -= {assignment.target for assignment in outer.assignments}
    return names


def _hands_out(outer, inner):
    returned = {ret.text.strip() for ret in outer.returns}
    return inner.name in returned or any(ret.kind == "lambda" for ret in outer.returns)


def _keyed_writes(function):
    """Every `storage[key] = value` and `storage.put(key, value)` in a function."""
    for assignment in function.assignments:
        target = assignment.target
        if target.endswith("]") and "[" in target:
            key = target.split("[", 1)[1][:-1].strip()
            yield target, key, assignment.value_text
    for call in function.calls:
        if call.name not in _STORE_CALLS or "." not in call.callee or len(call.args) < 2:
            continue
        key = call.args[0].text.decode("utf-8", "replace").strip()
        value = call.args[1].text.decode("utf-8", "replace").strip()
        yield call.callee.rsplit(".", 1)[0], key, value


def _created(value, function, language, local_classes):
    """The class a stored value creates, following one local variable if needed."""
    created = created_type(value, language, local_classes) or created_in_callback(value)
    if created is not None:
        return created
    for assignment in function.assignments:
        if assignment.target == value:
            created = created_type(assignment.value_text, language, local_classes)
            if created is not None:
                return created
    return None


def _shared_flyweight(module, created, owner):
    """Immutable objects of another class that take the rest as arguments: a Flyweight pool.

    Shared intrinsic state is the Flyweight's business; a registry of mutable objects, of
    plain records or of the class's own instances is a Multiton.
    """
    if created == SELF_TYPE or (owner is not None and created == owner.name):
        return False
    klass = module.class_named(created)
    if klass is None:
        return False
    takes_state = False
    for method in klass.methods:
        if method.is_constructor:
            continue
        receivers = receiver_names(method)
        if any("." in a.target and a.target.split(".", 1)[0] in receivers
               for a in method.assignments):
            return False
        if {param.name for param in method.params} - receivers:
            takes_state = True
    return takes_state
