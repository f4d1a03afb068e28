"""Default the parameter to None and create the container at the top of the body, on each call."""

from cpt.engine.fixes import Edit, line_indent, node_at

TITLE = "Default `{param}` to None and create the value in the body"

_DEFAULTS = ("default_parameter", "typed_default_parameter")


def fix(analysis, finding):
    if analysis.spec.name != "python":
        return None
    span = finding.span
    parameter = node_at(analysis, span.start_byte, span.end_byte, *_DEFAULTS)
    if parameter is None:
        return None
    name = parameter.child_by_field_name("name")
    value = parameter.child_by_field_name("value")
    function = node_at(analysis, parameter.start_byte, parameter.end_byte,
                       "function_definition", "lambda")
    if name is None or value is None or function is None or function.type == "lambda":
        return None  # a lambda has no body to create the value in
    body = function.child_by_field_name("body")
    statements = [child for child in body.named_children if child.type != "comment"]
    if not statements or statements[0].start_point[0] == function.start_point[0]:
        return None  # `def f(x=[]): return x` has no line to insert before
    source = analysis.source
    param = name.text.decode("utf-8")
    old = value.text.decode("utf-8")
    indent = line_indent(source, statements[0].start_byte)
    outer = line_indent(source, function.start_byte)
    unit = indent[len(outer):] if indent.startswith(outer) and indent != outer else "    "
    guard = f"if {param} is None:\n{indent}{unit}{param} = {old}"
    edits = [Edit(value.start_byte, value.end_byte, "None")]
    annotation = parameter.child_by_field_name("type")
    if annotation is not None and not _allows_none(annotation.text.decode("utf-8")):
        # A quoted annotation is not evaluated: `"list[int]" | None` would fail at import time.
        quoted = annotation.text[:1] in (b'"', b"'") and annotation.text[-1:] == annotation.text[:1]
        end = annotation.end_byte - 1 if quoted else annotation.end_byte
        edits.append(Edit(end, end, " | None"))
    if _is_docstring(statements[0]):
        if len(statements) == 1:
            edits.append(Edit(statements[0].end_byte, statements[0].end_byte,
                              f"\n{indent}{guard}"))
            return edits
        statements = statements[1:]
    edits.append(Edit(statements[0].start_byte, statements[0].start_byte,
                      f"{guard}\n{indent}"))
    return edits


def _is_docstring(statement):
    return (statement.type == "expression_statement" and statement.named_child_count == 1
            and statement.named_children[0].type in ("string", "concatenated_string"))


def _allows_none(annotation):
    return "None" in annotation or "Optional" in annotation or annotation in ("Any", "object")
