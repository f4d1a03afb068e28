"""Recognize a Singleton by its roles, never by its names.

Storage for one instance, and an accessor that creates it at most once and hands it out.
Renaming everything finds the same.
"""

import re

from cpt.engine.analysis import Hit

_SELF = ("cls", "self", "this")


def detect(ctx):
    module = ctx.module
    reported = set()
    for klass in module.classes:
        found = _class_singleton(klass, module)
        if found is not None:
            reported.add(klass.name)
            field, accessor, confidence = found
            yield Hit(klass.name_span, confidence=confidence,
                      args={"name": klass.name, "field": field, "accessor": accessor})
    # The storage is a name assigned in the file: a function returning none of them is skipped.
    targets = {assignment.target for assignment in module.assignments}
    targets.update(assignment.target for function in module.functions
                   for assignment in function.assignments)
    for function in module.functions:
        found = _function_singleton(function, module, targets)
        if found is None:
            continue
        storage, created = found
        klass = module.class_named(created)
        if klass is not None:
            if klass.name in reported:
                continue
            reported.add(klass.name)
            span, name = klass.name_span, klass.name
        else:
            span, name = function.name_span, function.qualified_name
        yield Hit(span, confidence=0.85,
                  args={"name": name, "field": storage, "accessor": function.qualified_name})


def _root(text):
    """`cls._instance[cls]` -> `_instance`; `Config.instance` -> `instance`."""
    text = text.split("[", 1)[0]
    parts = text.split(".")
    return parts[-1] if len(parts) > 1 else parts[0]


def _nested(function, module):
    """The function itself and the functions written inside it (callbacks, sync.Once bodies)."""
    span = function.span
    return [other for other in module.functions
            if other is function or (other.span.start_byte >= span.start_byte
                                     and other.span.end_byte <= span.end_byte)]


def _creates(value_text, klass_name):
    return bool(re.search(
        rf"(\b{re.escape(klass_name)}\s*[({{]|\bcls\s*\(|\bsuper\b|new\s+(this|{re.escape(klass_name)})\b"
        rf"|&{re.escape(klass_name)}\s*{{|__new__|__call__)", value_text))


def _class_singleton(klass, module):
    static_fields = {field.name for field in klass.fields if field.static}
    if not static_fields:
        return None
    for method in klass.methods:
        returned = {_root(ret.text) for ret in method.returns if ret.text}
        candidates = returned & static_fields
        if not candidates:
            continue
        # Lazy: the accessor (or a callback inside it) assigns the storage a new instance.
        for inner in _nested(method, module):
            for assignment in inner.assignments:
                if _root(assignment.target) in candidates and assignment.value_kind in (
                        "new", "call", "expression", "other") and _creates(
                        assignment.value_text, klass.name):
                    if "[" in assignment.target and _keyed_by_param(assignment.target, method):
                        continue  # a cache per argument: Multiton, not Singleton
                    return _root(assignment.target), method.name, 0.9
        # Eager: a static field initialized with an instance of the class itself.
        for assignment in module.assignments:
            if (_root(assignment.target) in candidates
                    and klass.span.start_byte <= assignment.span.start_byte < klass.span.end_byte
                    and _creates(assignment.value_text, klass.name)
                    and not _creates(assignment.value_text, "cls")):
                return _root(assignment.target), method.name, 0.9
    return None


def _keyed_by_param(target, function):
    """A cache keyed by an argument is a Multiton, not a Singleton.

    Keyed by the receiver (a metaclass caching one instance per class in `_instances[cls]`)
    it is still one instance per class.
    """
    key = target.split("[", 1)[1].rstrip("]").strip()
    return key not in _SELF and key in {param.name for param in function.params}


def _function_singleton(function, module, targets):
    """A module-level or closure variable lazily given an instance and returned by a function."""
    if function.owner is not None or not function.returns:
        return None
    returned = {ret.text.split("[", 1)[0] for ret in function.returns if ret.text}
    if returned.isdisjoint(targets):
        return None  # the storage is returned and assigned as it is named
    outer_names = {assignment.target for assignment in module.assignments}
    enclosing = [other for other in module.functions if other is not function
                 and other.span.start_byte < function.span.start_byte
                 and other.span.end_byte >= function.span.end_byte]
    for other in enclosing:
        outer_names.update(assignment.target for assignment in other.assignments)
    class_names = {klass.name for klass in module.classes}
    outer_params = {param.name for other in enclosing for param in other.params}
    for inner in _nested(function, module):
        for assignment in inner.assignments:
            storage = assignment.target.split("[", 1)[0]
            if storage not in returned or storage not in outer_names:
                continue
            if "[" in assignment.target and _keyed_by_param(assignment.target, function):
                continue
            created = _created_class(assignment.value_text, class_names | outer_params)
            if created is not None:
                return storage, created
    return None


def _created_class(value_text, names):
    match = re.match(r"^\s*(?:new\s+|&)?([A-Za-z_][\w.]*)\s*[({]", value_text)
    if match and match.group(1).rsplit(".", 1)[-1] in names:
        return match.group(1).rsplit(".", 1)[-1]
    return None
