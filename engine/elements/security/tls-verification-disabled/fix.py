"""Turn verification back on: the switch that disabled it gets its safe value."""

from cpt.engine.fixes import Edit

TITLE = "Re-enable TLS verification"


def fix(analysis, finding):
    replace = finding.data.get("replace")
    if not replace:
        return None
    start, end, text = replace
    return [Edit(start, end, text)]
