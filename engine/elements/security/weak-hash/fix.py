"""MD5 and SHA-1 become SHA-256: the call or the algorithm name is rewritten in place."""

from cpt.engine.fixes import Edit

TITLE = "Use SHA-256"


def fix(analysis, finding):
    edits = finding.data.get("edits")
    if not edits:
        return None
    return [Edit(start, end, text) for start, end, text in edits]
