"""Automatic fixes: byte edits that an element's `fix.py` proposes for one of its findings.

An element folder may hold `fix.py` with `fix(analysis, finding) -> list[Edit] | None` (None or
an empty list: no safe fix here) and an optional `TITLE`, formatted with the finding's `data`.
A fix is offered only when the fixed text still parses as cleanly as the original.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import tree_sitter as ts

from .analysis import Analysis, Finding
from .catalog import Catalog, builtin_catalog
from .languages import ts_language

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Edit:
    """Replace the bytes `start_byte:end_byte` with `new_text` (equal offsets: an insertion)."""

    start_byte: int
    end_byte: int
    new_text: str


class OverlappingEdits(ValueError):
    """Two edits touch the same bytes; they cannot be applied together."""


def apply_edits(source: bytes, edits: Iterable[Edit]) -> bytes:
    """Apply non-overlapping edits back to front; insertions at one offset keep their order."""
    ordered = sorted(edits, key=lambda edit: (edit.start_byte, edit.end_byte))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.start_byte < before.end_byte:
            raise OverlappingEdits(f"{before} overlaps {after}")
    result = source
    for edit in reversed(ordered):
        result = result[:edit.start_byte] + edit.new_text.encode("utf-8") + result[edit.end_byte:]
    return result


def fix(analysis: Analysis, finding: Finding, catalog: Catalog | None = None) -> list[Edit] | None:
    """Return the edits that fix one finding, or None when its element has no safe fix for it."""
    element = (catalog or builtin_catalog()).get(finding.element)
    fixer = element.fixer if element is not None else None
    if fixer is None:
        return None
    try:
        edits = fixer.fix(analysis, finding)
    except Exception:  # a broken fixer costs its own fix, never the caller
        log.exception("fix of %s failed on %s", finding.element, analysis.path)
        return None
    if not edits or not _parses_as_well(analysis, edits):
        return None
    return list(edits)


def fix_title(finding: Finding, catalog: Catalog | None = None) -> str:
    """Return the title of a finding's fix, as its element words it."""
    element = (catalog or builtin_catalog()).get(finding.element)
    title = getattr(element.fixer, "TITLE", None) if element is not None else None
    if not title:
        return f"Fix {finding.element}"
    return title.format_map(_Blank(finding.data))


def fix_all(analysis: Analysis, findings: Iterable[Finding] | None = None,
            catalog: Catalog | None = None) -> list[Edit]:
    """Every safe fix of a file (or of some of its findings) merged into one set of edits.

    Identical edits (the same import added by two fixes) count once; a fix that would overlap
    one already taken is left for a later run.
    """
    taken: list[Edit] = []
    for finding in analysis.findings if findings is None else findings:
        edits = fix(analysis, finding, catalog)
        if not edits:
            continue
        new = [edit for edit in edits if edit not in taken]
        if any(_overlap(edit, other) for edit in new for other in taken):
            continue
        taken.extend(new)
    if taken and not _parses_as_well(analysis, taken):
        return []
    return sorted(taken, key=lambda edit: (edit.start_byte, edit.end_byte))


def node_at(analysis: Analysis, start_byte: int, end_byte: int, *kinds: str) -> ts.Node | None:
    """Return the innermost node of one of `kinds` around a byte range of the analysed tree."""
    node = analysis.tree.root_node.descendant_for_byte_range(start_byte, end_byte)
    while node is not None and node.type not in kinds:
        node = node.parent
    return node


def line_indent(source: bytes, offset: int) -> str:
    """Return the leading whitespace of the line holding `offset`."""
    start = source.rfind(b"\n", 0, offset) + 1
    end = start
    while end < len(source) and source[end:end + 1] in (b" ", b"\t"):
        end += 1
    return source[start:end].decode("utf-8")


def _overlap(a: Edit, b: Edit) -> bool:
    # Two insertions at one offset do not overlap; an insertion inside a replacement does.
    return a.start_byte < b.end_byte and b.start_byte < a.end_byte


def _parses_as_well(analysis: Analysis, edits: list[Edit]) -> bool:
    """Check that a fix adds no syntax error: the fixed text parses as cleanly as the original."""
    try:
        fixed = apply_edits(analysis.source, edits)
    except OverlappingEdits:
        return False
    tree = ts.Parser(ts_language(analysis.spec.name)).parse(fixed)
    return not tree.root_node.has_error or analysis.tree.root_node.has_error


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"
