"""A predictable generator becomes a secure one: Python `secrets`, Java `SecureRandom`."""

from cpt.engine.fixes import Edit

TITLE = "Use a cryptographically secure generator"


def fix(analysis, finding):
    edits = finding.data.get("edits")
    if not edits:
        return None
    return [Edit(start, end, text) for start, end, text in edits]
