"""Filter the number literals of comparisons and arithmetic down to the unexplained ones.

The queries capture every number operand of a comparison or a binary arithmetic expression;
this check drops the values everyone reads at sight, bit manipulation, HTTP status codes,
Go durations, test files, and literals whose context already names them (constant
definitions, defaults, subscripts, enum members, annotations).
"""

import re

from cpt.engine.analysis import Hit
from cpt.engine.roles.smell_roles import constant_name, is_test_path, is_upper_name, words_of

# Values read at sight: identities, halves, powers of ten, clock and angle units, kibi.
_WELL_KNOWN = frozenset(
    {0, 1, 2, 0.5, 24, 60, 180, 360, 3600, 86400, 1024}
    | {10 ** power for power in range(1, 10)}
    | {10.0 ** -power for power in range(1, 7)}
)
_ORDERING = frozenset({"<", "<=", ">", ">="})
_EQUALITY = frozenset({"==", "!=", "===", "!==", "is", "is not"})
_ARITHMETIC = {"*": "factor", "/": "factor", "//": "factor", "+": "offset", "-": "offset",
               "%": "divisor", "**": "exponent"}
_HTTP_STATUSES = range(100, 600)
_STATUS_OPERAND = re.compile(r"(?i)status|code")
# Operands that say what the number is: a version or year, an argument count, a character code.
_SELF_EXPLAINING_OPERAND = re.compile(
    r"(?i)version|year|\b(arguments|args|argv|os\.Args)\b|charCodeAt|codePointAt|\bord\("
    r"|port\b")
# Calendar units read at sight next to a calendar name: `weekday % 7`, `month > 12`.
_CALENDAR_UNITS = frozenset({7, 12, 23, 28, 29, 30, 31, 52, 59, 365, 366})
_CALENDAR_OPERAND = re.compile(r"(?i)day|week|month|hour|minute|second|wday|mday")
_GO_DURATION = re.compile(r"^time\.(Nanosecond|Microsecond|Millisecond|Second|Minute|Hour)$")
_INDEXING_CALLS = frozenset({"get", "charAt", "codePointAt", "substring", "subList", "at",
                             "slice", "substr", "splice", "remove"})
_NOT_DECIMAL = re.compile(r"^0[xXoObB]|^0[0-7]")

# Contexts that give the literal its meaning: index, default, annotation, enum, constant.
_EXEMPT = frozenset({
    "subscript", "slice", "subscript_expression", "array_access", "index_expression",
    "slice_expression", "array_type", "dimensions_expr", "default_parameter",
    "typed_default_parameter", "assignment_pattern", "required_parameter", "optional_parameter",
    "decorator", "annotation", "marker_annotation", "enum_body", "enum_assignment",
    "enum_constant", "const_declaration", "const_spec",
})
# Where the walk up from the literal stops: the statement's block or a function boundary.
_STOP = frozenset({
    "block", "module", "statement_block", "program", "class_body", "source_file",
    "statement_list", "function_definition", "class_definition", "lambda", "arrow_function",
    "function_expression", "function_declaration", "method_declaration", "method_definition",
    "func_literal", "lambda_expression", "constructor_body", "switch_body",
})
_MAX_DEPTH = 24
_SKIPPED_WORDS = frozenset({
    "self", "this", "len", "size", "length", "count", "math", "abs", "int", "float", "round",
    "str", "number", "parse", "floor", "ceil", "min", "max", "time", "os", "none", "null",
    "nil", "true", "false", "not", "and", "or", "new", "get", "to", "as", "of", "is",
})
_MAX_OPERAND = 200  # bytes of the other operand read for names and rules
_WHERE = {"limit": "a comparison", "expected": "a comparison", "factor": "a calculation",
          "offset": "a calculation", "divisor": "a calculation", "exponent": "a calculation"}


def check(ctx, captures):
    literal = captures["match"][0]
    if ctx.module.memo(("magic-number", "data file"), lambda: is_test_path(ctx.module.path)
                       or ".min." in ctx.module.path):
        return None  # test inputs and expected values are data; minified code is generated
    text = ctx.text(literal)
    value = number_value(text)
    if value is None or value in _WELL_KNOWN:
        return None
    operator, other = _operator_and_operand(literal)
    role = _role(operator)
    if role is None or other is None:
        return None
    other_text = ctx.source[other.start_byte:min(other.end_byte, other.start_byte + _MAX_OPERAND)
                            ].decode("utf-8", "replace")
    if role in ("limit", "expected") and value in _HTTP_STATUSES and (
            _STATUS_OPERAND.search(other_text)):
        return None  # `response.status == 404` reads as well as any name
    if value in _CALENDAR_UNITS and _CALENDAR_OPERAND.search(other_text):
        return None
    if _SELF_EXPLAINING_OPERAND.search(other_text):
        return None  # `ecmaVersion >= 2015`, `arguments.length < 3`, `charCodeAt(i) === 46`
    if role == "exponent" and number_value(other_text) in _WELL_KNOWN:
        return None  # `2**31`, `10**9`: the power is the point
    if ctx.language == "go" and _scales_a_duration(literal):
        return None  # `30 * time.Second` says what it is
    if _named_by_context(literal.parent):
        return None
    name = _suggested_name(other_text, role, ctx.language)
    return Hit(literal, args={"value": text, "where": _WHERE[role], "name": name},
               data={"name": name, "value": text})


def number_value(text):
    """The value of a decimal literal; None for hex/octal/binary, complex and unreadable ones."""
    cleaned = text.replace("_", "").rstrip("lLfFdD")
    if not cleaned or _NOT_DECIMAL.match(cleaned) or cleaned[-1] in "jJi":
        return None
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _operator_and_operand(literal):
    parent = literal.parent
    if parent is None:
        return None, None
    if parent.type == "comparison_operator":  # Python chains: `0 < x < 37`
        token = literal.prev_sibling
        other = literal.prev_named_sibling
        if token is None or token.is_named:
            token, other = literal.next_sibling, literal.next_named_sibling
        return (token.type if token is not None else None), other
    operator = parent.child_by_field_name("operator")
    left, right = parent.child_by_field_name("left"), parent.child_by_field_name("right")
    other = right if left is not None and left.id == literal.id else left
    return (operator.type if operator is not None else None), other


def _role(operator):
    if operator in _ORDERING:
        return "limit"
    if operator in _EQUALITY:
        return "expected"
    return _ARITHMETIC.get(operator)  # bitwise, shifts, `in`: None


def _scales_a_duration(literal):
    """`30 * time.Second`, `time.Duration(n) * 30 * time.Second`: the unit names the value."""
    node = literal.parent
    while node is not None and node.type == "binary_expression":
        operator = node.child_by_field_name("operator")
        if operator is None or operator.type != "*":
            return False
        for side in ("left", "right"):
            operand = node.child_by_field_name(side)
            if operand is not None and _GO_DURATION.match(operand.text.decode("utf-8", "replace")):
                return True
        node = node.parent
    return False


def _named_by_context(node):
    depth = 0
    while node is not None and depth < _MAX_DEPTH and node.type not in _STOP:
        if node.type in _EXEMPT or _defines_constant(node) or _is_index_argument(node):
            return True
        node = node.parent
        depth += 1
    return False


def _is_index_argument(node):
    """`list.get(size - 3)`, `text.charAt(n - 5)`: positions, like a subscript."""
    if node.type not in ("argument_list", "arguments") or node.parent is None:
        return False
    call = node.parent
    name = call.child_by_field_name("name") or call.child_by_field_name("function")
    if name is None:
        return False
    return name.text.decode("utf-8", "replace").rsplit(".", 1)[-1] in _INDEXING_CALLS


def _defines_constant(node):
    """An UPPER_CASE binding, a `final` Java variable, or a `const`/`readonly` declaration."""
    kind = node.type
    if kind in ("assignment", "assignment_expression"):
        target = node.child_by_field_name("left")
        annotation = node.child_by_field_name("type")
        if annotation is not None and b"Final" in annotation.text:
            return True
        return target is not None and _upper_target(target)
    if kind in ("variable_declarator", "public_field_definition", "field_definition"):
        name = node.child_by_field_name("name") or node.child_by_field_name("property")
        if name is not None and _upper_target(name):
            return True
        return any(child.type == "readonly" for child in node.children)
    if kind == "lexical_declaration":  # a module-level `const` is a constant in JS and TS
        parent = node.parent
        return (node.child(0) is not None and node.child(0).type == "const" and parent is not None
                and parent.type in ("program", "export_statement"))
    if kind in ("field_declaration", "local_variable_declaration", "constant_declaration"):
        return any(child.type == "modifiers" and b"final" in child.text
                   for child in node.children) or kind == "constant_declaration"
    return False


def _upper_target(node):
    name = node.text.decode("utf-8", "replace").rsplit(".", 1)[-1]
    return is_upper_name(name)


def _suggested_name(other_text, role, language):
    identifiers = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", other_text)
    subject = []
    for identifier in reversed(identifiers):
        words = [word for word in words_of(identifier) if word not in _SKIPPED_WORDS]
        if words:
            subject = words
            break
    if role == "expected":
        return constant_name(["expected", *(subject or ["value"])], language)
    return constant_name([*subject, role], language)
