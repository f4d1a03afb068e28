"""Remove the statements that can never run; comments before them stay for a person to judge."""

from cpt.engine.fixes import Edit

TITLE = "Remove the unreachable code"


def fix(analysis, finding):
    regions = finding.data.get("regions")
    if not regions:
        return None
    return [_deletion(analysis.source, start, end) for start, end in regions]


def _deletion(source, start, end):
    """Delete whole lines when the run has them to itself, else just the statements."""
    line_start = source.rfind(b"\n", 0, start) + 1
    line_end = source.find(b"\n", end)
    line_end = len(source) if line_end == -1 else line_end
    alone_before = not source[line_start:start].strip()
    alone_after = not source[end:line_end].strip()
    if alone_before and alone_after:
        return Edit(line_start, min(line_end + 1, len(source)), "")
    # `return x; foo()`: keep the jump, drop the space and the statements after it
    cut = start
    while cut > line_start and source[cut - 1:cut] in (b" ", b"\t"):
        cut -= 1
    return Edit(cut, end, "")
