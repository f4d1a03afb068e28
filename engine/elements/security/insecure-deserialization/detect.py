"""Report deserializers that can build arbitrary objects (and so run code) from their input."""

from cpt.engine.analysis import Hit
from cpt.engine.extract import node_text
from cpt.engine.roles.security_roles import (
    calls_named,
    declared_type,
    is_true,
    js_bindings,
    keyword,
    positional,
    python_aliases,
    qualified,
)
from cpt.engine.values import resolve

# Python loaders that execute whatever the stream says (pickle's __reduce__, marshal's code).
_PY_ALWAYS = {
    f"{module}.{name}"
    for module in ("pickle", "cPickle", "_pickle", "dill", "cloudpickle", "joblib", "marshal")
    for name in ("load", "loads", "Unpickler")
} | {"shelve.open", "shelve.DbfilenameShelf", "jsonpickle.decode", "jsonpickle.unpickler.decode",
     "pandas.read_pickle", "yaml.unsafe_load", "yaml.unsafe_load_all", "yaml.full_load",
     "yaml.full_load_all"}
_YAML_LOADS = {"yaml.load": "yaml.safe_load", "yaml.load_all": "yaml.safe_load_all"}
_YAML_SAFE_BY_NAME = {"yaml.unsafe_load": "safe_load", "yaml.unsafe_load_all": "safe_load_all",
                      "yaml.full_load": "safe_load", "yaml.full_load_all": "safe_load_all"}
_SAFE_LOADERS = ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader")
_JS_SAFE_SCHEMAS = ("SAFE_SCHEMA", "JSON_SCHEMA", "CORE_SCHEMA", "FAILSAFE_SCHEMA")
_JAVA_STREAMS = ("ObjectInputStream", "XMLDecoder")
_JAVA_HOOKS = {"readObject", "readExternal", "readResolve", "readObjectNoData"}
_NAMES = ({name.rsplit(".", 1)[-1] for name in _PY_ALWAYS | set(_YAML_LOADS)}
          | {"torch.load", "load", "numpy.load"})

# Every name `_python_call` may report.
_PY_LOADERS = frozenset(_PY_ALWAYS | set(_YAML_LOADS) | {"torch.load", "numpy.load", "np.load"})


def detect(ctx):
    language = ctx.language
    if language == "python":
        yield from _python(ctx)
    elif language in ("javascript", "typescript"):
        yield from _javascript(ctx)
    elif language == "java":
        yield from _java(ctx)


def _python(ctx):
    aliases = python_aliases(ctx)
    imported = {local for local, full in aliases.items()
                if full in _PY_ALWAYS or full in _YAML_LOADS}
    modules = {item.module.split(".")[0] for item in ctx.module.imports}
    names = _NAMES | {local.rsplit(".", 1)[-1] for local in imported}
    for function, call in calls_named(ctx.module, names):
        if call.name not in _NAMES and call.callee not in imported:
            continue
        full = qualified(call.callee, aliases)
        if full not in _PY_LOADERS:
            continue  # `json.load(...)`: `_python_call` reports none other (asked first)
        if full.split(".")[0] not in modules or _rebound(ctx, function, call):
            continue  # `yaml = YAML(); yaml.load(...)` is ruamel's loader, not PyYAML's
        if _round_trip(function, call):
            continue
        hit = _python_call(call, full)
        if hit is not None:
            yield hit


def _round_trip(function, call):
    """`pickle.loads(pickle.dumps(obj))` reads back bytes the program has just written."""
    args = positional(call)
    if not args:
        return False
    value = args[0]
    if value.type == "identifier" and function is not None:
        value = resolve(value, function) or value
    if value.type != "call":
        return False
    callee = value.child_by_field_name("function")
    return callee is not None and node_text(callee).endswith(("dumps", "dump"))


def _rebound(ctx, function, call):
    """Whether the name a call starts from is assigned in the file, hiding the module."""
    head = call.callee.split(".")[0]
    assignments = function.assignments if function is not None else ()
    return any(item.target == head for item in (*assignments, *ctx.module.assignments))


def _python_call(call, full):
    if full in _PY_ALWAYS:
        safe_name = _YAML_SAFE_BY_NAME.get(full)
        return _hit(call, full, _rename(call, safe_name) if safe_name else None)
    if full in _YAML_LOADS:
        loader = keyword(call, "Loader")
        if loader is None and len(positional(call)) > 1:
            loader = positional(call)[1]
        if loader is not None and node_text(loader).endswith(_SAFE_LOADERS):
            return None
        return _hit(call, full, _yaml_fix(call, full, loader))
    if full == "torch.load":
        return None if is_true(keyword(call, "weights_only")) else _hit(call, full)
    if full in ("numpy.load", "np.load"):
        return _hit(call, full) if is_true(keyword(call, "allow_pickle")) else None
    return None


def _rename(call, new_name):
    """Edits that give `module.name(...)` another attribute name, when written that way."""
    function = call.node.child_by_field_name("function")
    attribute = function.child_by_field_name("attribute") if function is not None else None
    if function is None or function.type != "attribute" or attribute is None:
        return None
    return [[attribute.start_byte, attribute.end_byte, new_name]]


def _yaml_fix(call, full, loader):
    edits = _rename(call, _YAML_LOADS[full].rsplit(".", 1)[-1])
    if edits is None or loader is None:
        return edits
    argument = loader.parent if loader.parent.type == "keyword_argument" else loader
    args = call.arguments
    comma = argument.prev_sibling
    if comma is None or comma.type != ",":
        return None
    if any(child.type == "comment" for child in args.children):
        return None
    return edits + [[comma.start_byte, argument.end_byte, ""]]


def _javascript(ctx):
    yaml_modules, yaml_named = js_bindings(ctx, "js-yaml", "yaml-js")
    serialize_modules, serialize_named = js_bindings(
        ctx, "node-serialize", "serialize-to-js", "funcster")
    if not (yaml_modules or yaml_named or serialize_modules or serialize_named):
        return
    for _, call in ctx.module.all_calls():
        head, _, name = call.callee.rpartition(".")
        exported = yaml_named.get(call.callee) if not head else None
        if (head in yaml_modules and name in ("load", "loadAll")) or exported in (
                "load", "loadAll"):
            if not _js_safe_schema(call):
                yield _hit(call, f"js-yaml {name or exported}")
            continue
        exported = serialize_named.get(call.callee) if not head else None
        if (head in serialize_modules and name in ("unserialize", "deserialize",
                                                    "deepDeserialize")) or exported in (
                "unserialize", "deserialize", "deepDeserialize"):
            yield _hit(call, call.callee)


def _js_safe_schema(call):
    return len(call.args) > 1 and any(
        schema in node_text(call.args[1]) for schema in _JS_SAFE_SCHEMAS)


def _java(ctx):
    source = None
    for function, call in calls_named(ctx.module, ("readObject", "readUnshared")):
        if call.is_new or call.name not in ("readObject", "readUnshared"):
            continue
        if function is not None and function.name in _JAVA_HOOKS:
            continue  # a class's own serialization hook reads from a stream it was given
        receiver = call.callee.rpartition(".")[0]
        if receiver.replace(" ", "").startswith(tuple(f"new{name}(" for name in _JAVA_STREAMS)):
            yield _hit(call, call.callee)
            continue
        source = source if source is not None else ctx.source.decode("utf-8", "replace")
        if not receiver or not declared_type(source, receiver, _JAVA_STREAMS):
            continue
        if f"{receiver.removeprefix('this.')}.setObjectInputFilter(" in source:
            continue
        yield _hit(call, call.callee)


def _hit(call, what, edits=None):
    return Hit(call.span, args={"callee": what}, data={"edits": edits} if edits else {})
