"""A bare `except:` becomes `except Exception:`; narrowing it further needs a person."""

from cpt.engine.fixes import Edit, node_at

TITLE = "Catch `Exception` instead of everything"


def fix(analysis, finding):
    if analysis.spec.name != "python" or not finding.data.get("bare"):
        return None
    span = finding.span
    clause = node_at(analysis, span.start_byte, span.end_byte, "except_clause")
    if clause is None or clause.start_byte != span.start_byte:
        return None
    keyword = clause.children[0]
    if keyword.type != "except" or clause.children[1].type != ":":
        return None  # not bare after all (the model and the tree disagree)
    return [Edit(keyword.end_byte, keyword.end_byte, " Exception")]
