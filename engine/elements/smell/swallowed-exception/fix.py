"""A silent Python handler body becomes `logging.exception(...)`, importing logging if needed.

`logging.exception` records the exception being handled with its traceback, so the clause
needs no `as error` name for it.
"""

from cpt.engine.fixes import Edit, node_at

TITLE = "Log the exception instead of ignoring it"

_DEFINITIONS = ("function_definition", "class_definition", "decorated_definition")


def fix(analysis, finding):
    if analysis.spec.name != "python":
        return None
    span = finding.span
    clause = node_at(analysis, span.start_byte, span.end_byte, "except_clause")
    body = next((child for child in clause.children if child.type == "block"), None) \
        if clause is not None else None
    if body is None:
        return None
    statements = [child for child in body.named_children if child.type != "comment"]
    if len(statements) != 1:
        return None  # `pass; ...` and friends are rare: leave them to a person
    message = _message(clause)
    edits = [Edit(statements[0].start_byte, statements[0].end_byte,
                  f'logging.exception("{message}")')]
    if not _imports_logging(analysis.tree.root_node):
        edits.append(_import_logging(analysis.tree.root_node))
    return edits


def _message(clause):
    caught = [child.text.decode("utf-8") for child in clause.named_children
              if child.type not in ("block", "comment")]
    if not caught:
        return "Ignored an unexpected error"
    text = caught[0].split(" as ")[0].strip("() ")
    text = " ".join(text.split()).replace('"', "'").replace("\\", "")
    return f"Ignored {text}" if len(text) <= 60 else "Ignored an error"


def _imports_logging(module):
    for statement in module.named_children:
        if statement.type != "import_statement":
            continue
        for name in statement.named_children:
            if name.type == "dotted_name" and name.text.split(b".")[0] == b"logging":
                return True
            if name.type == "aliased_import" and name.child_by_field_name("alias").text \
                    == b"logging":
                return True
    return False


def _import_logging(module):
    """`import logging` after the docstring and `__future__` imports, before the other code."""
    children = module.named_children
    index, header = 0, None  # header: the last docstring or `__future__` import
    while index < len(children):
        node = children[index]
        first_code = all(child.type == "comment" for child in children[:index])
        if _is_future(node) or (_is_docstring(node) and first_code):
            header = node
        elif node.type != "comment":
            break
        index += 1
    code = children[index] if index < len(children) else None
    if code is not None and code.type in ("import_statement", "import_from_statement"):
        return Edit(code.start_byte, code.start_byte, "import logging\n")
    if header is not None:
        # Keep the blank lines that already follow the header between the import and the code.
        return Edit(header.end_byte, header.end_byte, "\n\nimport logging")
    if code is None:
        return Edit(module.end_byte, module.end_byte, "import logging\n")
    gap = "\n\n" if code.type in _DEFINITIONS else "\n"
    return Edit(code.start_byte, code.start_byte, f"import logging\n{gap}")


def _is_docstring(statement):
    return (statement.type == "expression_statement" and statement.named_child_count == 1
            and statement.named_children[0].type in ("string", "concatenated_string"))


def _is_future(statement):
    return statement.type == "future_import_statement"
