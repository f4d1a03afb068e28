"""Extract a named constant: define it once at module level (class level in Java) and use it.

Every magic number of the file gets its name in one pass, so two fixes applied together never
define one name twice: the same name and value share one definition (the edits are equal and
merged), a different value under the same name gets a numbered name.
"""

import re

from cpt.engine.fixes import Edit, line_indent, node_at

TITLE = "Extract the constant `{name}`"

_LITERALS = ("integer", "float", "number", "decimal_integer_literal",
             "decimal_floating_point_literal", "int_literal", "float_literal")
_PY_HEADER = frozenset({"import_statement", "import_from_statement", "future_import_statement"})
_JS_HEADER = frozenset({"import_statement"})
_GO_HEADER = frozenset({"package_clause", "import_declaration"})


def fix(analysis, finding):
    literal = node_at(analysis, finding.span.start_byte, finding.span.end_byte, *_LITERALS)
    if literal is None or (literal.start_byte, literal.end_byte) != (
            finding.span.start_byte, finding.span.end_byte):
        return None
    name = _names(analysis).get(finding.span.start_byte)
    if name is None:
        return None
    value = finding.data.get("value") or literal.text.decode("utf-8")
    language = analysis.spec.name
    if language == "java":
        definition = _java_definition(analysis, literal, name, value)
    elif language == "python":
        definition = _module_definition(analysis, f"{name} = {value}", _PY_HEADER, _py_constant)
    elif language == "go":
        definition = _module_definition(analysis, f"const {name} = {value}", _GO_HEADER,
                                        lambda node: node.type == "const_declaration")
    else:
        definition = _module_definition(analysis, f"const {name} = {value};", _JS_HEADER,
                                        _js_constant)
    if definition is None:
        return None
    return [*definition, Edit(literal.start_byte, literal.end_byte, name)]


def _names(analysis):
    """The constant name of every magic number of the file, by the literal's start byte."""
    taken = {}  # name -> value
    names = {}
    findings = sorted((f for f in analysis.findings if f.element == "magic-number"),
                      key=lambda f: f.span.start_byte)
    for item in findings:
        base, value = item.data.get("name"), item.data.get("value")
        if not base:
            continue
        name, number = base, 2
        while (taken.get(name, value) != value
               or (name not in taken and _word_in(name, analysis.source))):
            name, number = f"{base}_{number}", number + 1
        taken[name] = value
        names[item.span.start_byte] = name
    return names


def _word_in(name, source):
    return re.search(rb"\b" + re.escape(name.encode()) + rb"\b", source) is not None


def _module_definition(analysis, text, header_types, is_constant):
    """Insert after the imports (and constants) that come before the first magic number."""
    root = analysis.tree.root_node
    first_use = min(f.span.start_byte for f in analysis.findings if f.element == "magic-number")
    header = None
    for node in root.named_children:
        if node.end_byte > first_use:
            break
        if node.type in header_types or is_constant(node) or _is_docstring(node):
            header = node
        elif node.type != "comment":
            break
    if header is None:
        first = next((node for node in root.named_children if node.type != "comment"), None)
        if first is None:
            return None
        gap = _gap_before(analysis, first)
        if gap is None:
            return [Edit(first.start_byte, first.start_byte, f"{text}\n\n")]
        return [Edit(first.start_byte, first.start_byte, f"{text}\n"), gap]
    edits = [] if is_constant(header) else [Edit(header.end_byte, header.end_byte, "\n")]
    return [*edits, Edit(header.end_byte, header.end_byte, f"\n{text}")]


def _gap_before(analysis, node):
    """Blank lines between the constants and the code, the same edit for every constant.

    It rewrites the code's first byte, so insertions at that offset (the constants, in the
    order of their findings) all land before it and the equal edits are merged into one.
    """
    gap = "\n" if analysis.spec.name == "go" else "\n\n"
    first = analysis.source[node.start_byte:node.start_byte + 1]
    if not first.isascii():
        return None  # never split a character
    return Edit(node.start_byte, node.start_byte + 1, gap + first.decode())


def _is_docstring(node):
    return (node.type == "expression_statement" and node.named_child_count == 1
            and node.named_children[0].type == "string")


def _py_constant(node):
    if node.type != "expression_statement" or node.named_child_count != 1:
        return False
    assignment = node.named_children[0]
    target = assignment.child_by_field_name("left") if assignment.type == "assignment" else None
    return target is not None and target.type == "identifier" and target.text.isupper()


def _js_constant(node):
    """`const X = ...;` and `const x = require(...)` belong to the module's header."""
    if node.type not in ("lexical_declaration", "variable_declaration"):
        return False
    return node.child(0) is not None and node.child(0).type == "const" and (
        b"require(" in node.text or node.text.split(b"=", 1)[0].strip().split()[-1].isupper())


def _java_definition(analysis, literal, name, value):
    """A `private static final` field first in the innermost enclosing class."""
    owner = literal.parent
    while owner is not None and owner.type not in ("class_declaration", "enum_declaration",
                                                     "interface_declaration", "record_declaration",
                                                     "object_creation_expression"):
        owner = owner.parent
    if owner is None or owner.type != "class_declaration":
        return None  # enum constants must come first; interfaces and anonymous classes differ
    body = owner.child_by_field_name("body")
    if body is None or body.child_count == 0 or body.children[0].type != "{":
        return None
    members = body.named_children
    outer = line_indent(analysis.source, owner.start_byte)
    indent = line_indent(analysis.source, members[0].start_byte) if members else outer + "    "
    brace = body.children[0].end_byte
    field = f"private static final {_java_type(value)} {name} = {value};"
    edits = [Edit(brace, brace, f"\n{indent}{field}")]
    if members and members[0].type != "field_declaration":
        start = analysis.source.rfind(b"\n", 0, members[0].start_byte) + 1
        edits.append(Edit(start, start, "\n"))  # a blank line between the constants and code
    return edits


def _java_type(value):
    lowered = value.lower()
    if lowered.endswith("l"):
        return "long"
    if lowered.endswith("f"):
        return "float"
    if "." in value or "e" in lowered or lowered.endswith("d"):
        return "double"
    return "int" if int(value.replace("_", "")) <= 2**31 - 1 else "long"
