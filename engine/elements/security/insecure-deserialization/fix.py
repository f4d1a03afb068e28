"""YAML loaders that build arbitrary objects become `yaml.safe_load` (and `safe_load_all`)."""

from cpt.engine.fixes import Edit

TITLE = "Use yaml.safe_load"


def fix(analysis, finding):
    edits = finding.data.get("edits")
    if not edits or analysis.spec.name != "python":
        return None
    return [Edit(start, end, text) for start, end, text in edits]
