"""Recognize a Data Transfer Object by its roles: a type that carries fields and nothing else.

Data members are counted (declared fields, fields set by the constructor, record components);
every method must be plumbing: a constructor that only stores its parameters, getters that
return a field, setters that store a parameter. A type that extends another (whose behaviour is
unknown here) is left out, except the data bases of Python (`NamedTuple`, `TypedDict`,
pydantic's `BaseModel`). Go structs count only when their fields carry serialization tags, since
every Go struct is otherwise plain data.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.data_roles import (
    class_fields,
    is_constructor,
    own_member,
    param_names,
    text,
)

_DATA_BASES = frozenset({"NamedTuple", "typing.NamedTuple", "TypedDict", "typing.TypedDict",
                         "BaseModel", "pydantic.BaseModel", "object"})
_BOILERPLATE = frozenset({"equals", "hashCode", "toString", "__repr__", "__eq__", "__hash__",
                          "__str__"})
_PLAIN_VALUES = frozenset({"string", "number", "bool", "null", "list", "dict", "name"})


def detect(ctx):
    module = ctx.module
    owners = {}
    for function in module.functions:
        if function.owner is not None:
            owners.setdefault(function.owner.name, []).append(function)
    for klass in module.classes:
        if klass.node is None or klass.kind == "interface":
            continue
        count = _data_fields(klass, module, owners.get(klass.name, []))
        if count >= 2:
            yield Hit(klass.name_span, args={"name": klass.name, "count": count})


def _data_fields(klass, module, methods):
    """Number of data members when the type is data only, else 0."""
    language = module.language
    if language == "go":
        return _go_fields(klass, methods)
    node = klass.node
    if node.type == "record_declaration":
        return _record_components(node, methods)
    if node.type not in ("class_definition", "class_declaration", "class"):
        return 0  # enums, interfaces, object literals
    if _extends(klass, language):
        return 0
    fields = class_fields(klass)
    if not all(_is_plumbing(method, fields) for method in methods):
        return 0
    count = _instance_field_count(klass, language, methods)
    if language == "python" and not _python_data_class(klass, methods):
        return 0
    return count


def _extends(klass, language):
    if language == "python":
        return any(base not in _DATA_BASES for base in klass.bases)
    if language == "java":
        modifiers = next((item for item in klass.node.children if item.type == "modifiers"), None)
        return klass.node.child_by_field_name("superclass") is not None or (
            "abstract" in text(modifiers).split())
    return any(child.type == "class_heritage" and "extends" in text(child).split()
               for child in klass.node.children)


def _instance_field_count(klass, language, methods):
    names = {field.name for field in klass.fields if "[" not in field.name
             and (not field.static or language == "python")}
    for method in methods:
        if is_constructor(method):
            names |= {param.name for param in method.params
                      if param.node is not None and text(param.node).split()[0] in (
                          "private", "public", "protected", "readonly")}
    if language == "python":
        constants = _python_constants(klass)
        names -= constants
    return len(names)


def _python_constants(klass):
    """Class attributes without a type annotation: constants, not dataclass fields."""
    body = klass.node.child_by_field_name("body")
    constants = set()
    for statement in body.named_children if body is not None else ():
        if statement.type != "expression_statement" or not statement.named_children:
            continue
        assignment = statement.named_children[0]
        if assignment.type == "assignment" and assignment.child_by_field_name("type") is None:
            constants.add(text(assignment.child_by_field_name("left")))
    return constants


def _python_data_class(klass, methods):
    """Decorated (`@dataclass`, `@attrs.define`), a data base, or a storing constructor."""
    decorated = klass.node.parent is not None and klass.node.parent.type == "decorated_definition"
    return decorated or bool(klass.bases) or any(is_constructor(method) for method in methods)


def _is_plumbing(method, fields):
    """Constructor storing values, getter, setter, or the equality/printing boilerplate."""
    if method.name in _BOILERPLATE:
        return True
    if method.calls or method.control_count or method.handlers:
        return False
    if is_constructor(method):
        return all(own_member(item.target, method, fields) is not None
                   and item.value_kind in _PLAIN_VALUES for item in method.assignments)
    if not method.assignments and len(method.returns) == 1:
        returned = method.returns[0].text
        return own_member(returned, method, fields) is not None
    if not method.returns and len(method.assignments) == 1:
        item = method.assignments[0]
        return own_member(item.target, method, fields) is not None and \
            item.value_text.strip() in param_names(method)
    return False


def _record_components(node, methods):
    """A Java record: its components are its fields; extra methods must be accessors."""
    components = node.child_by_field_name("parameters")
    if components is None:
        return 0
    names = {text(param.child_by_field_name("name")) for param in components.named_children
             if param.type == "formal_parameter"}
    for method in methods:
        if method.is_constructor or method.name == text(node.child_by_field_name("name")):
            continue  # a compact constructor validates the components
        if not _is_plumbing(method, names):
            return 0
    return len(names)


def _go_fields(klass, methods):
    """A Go struct whose fields carry serialization tags and that has no methods."""
    if klass.kind != "struct" or methods:
        return 0
    body = klass.node.child_by_field_name("type")
    fields = body.named_children[0] if body is not None and body.named_children else None
    if fields is None:
        return 0
    declarations = [child for child in fields.named_children if child.type == "field_declaration"]
    tagged = [item for item in declarations if item.child_by_field_name("tag") is not None]
    return len(declarations) if tagged else 0
