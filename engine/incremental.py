"""Carry an analysis forward over edits: re-extract and re-detect only the touched functions.

Typing changes one function at a time. The outermost functions an edit touched (found from the
edit log and tree-sitter's changed ranges) are queried again, restricted to their byte ranges,
and the elements whose card says `scope = "unit"` run on them again: those report inside one
function from that function alone. Every other finding is moved with the text. Findings of
file-scope elements (class and module patterns, clones) may then be out of date, so the result
is not `settled`: the caller runs a full analysis once the user pauses. An edit of spaces between
tokens outside any function changes no finding at all and is settled as it stands.

Anything else (an edit between functions, a function whose start moved or that now swallows
its neighbour) returns None, and the caller analyzes the whole file.
"""

from __future__ import annotations

import weakref

import tree_sitter as ts

from .analysis import (
    _ANALYSIS_LOCK,
    Analysis,
    Analyzer,
    Finding,
    Related,
    apply_suppressions,
)
from .config import Settings
from .document import Document
from .edits import Edit, move_span, regions_of
from .extract import build_module
from .positions import Span
from .suppression import find_suppressions

# Node types whose inside is text, where spaces are content.
_TEXT_KINDS = ("string", "comment", "template", "regex", "heredoc", "jsx_text", "text_block")


def carry_forward(previous: Analysis, document: Document, analyzer: Analyzer,
                  settings: Settings) -> Analysis | None:
    """The analysis of the document's current text built from `previous`, or None."""
    with _ANALYSIS_LOCK:  # detectors keep per-file caches, as in Analyzer.analyze
        return _carry_forward(previous, document, analyzer, settings)


def _carry_forward(previous: Analysis, document: Document, analyzer: Analyzer,
                   settings: Settings) -> Analysis | None:
    entries = document.log.since(previous.version)
    if entries is None or previous.spec is not document.spec:
        return None
    if not entries:
        return previous
    regions = regions_of(entries)
    edits = [entry.edit for entry in entries]
    root = document.tree.root_node
    source = document.data
    moved = _moved_outline(previous.outline, edits)
    found = _touched_units(moved, regions, root, source, document.spec.name)
    if found is None:
        return None
    touched, inert = found
    nodes: list[ts.Node] = []
    for start, kind in touched:
        node = _unit_at(root, start, kind)
        if node is None:
            return None
        nodes.append(node)
    if not _intact(nodes + inert, moved, regions, root, source, document.spec.name):
        return None
    carried = move_findings(previous.candidates, edits)
    redone = {node.start_byte for node in nodes}
    outline = [item for item in moved if item[0] not in redone]
    outline += [(node.start_byte, node.end_byte, node.type) for node in nodes]
    outline.sort()
    fresh: list[Finding] = []
    errors: list[str] = []
    unit_scope = analyzer.catalog.unit_scope
    if nodes or inert:
        windows = [(node.start_byte, node.end_byte) for node in nodes + inert]
        fresh = _detect_in(windows, previous, document, analyzer, settings, errors)
        carried = _outside(carried, unit_scope, windows)
    candidates = sorted(carried + fresh, key=lambda item: (item.span.start_byte, item.element))
    suppressions = find_suppressions(source, document.spec, document.lines)
    findings = apply_suppressions(candidates, suppressions)
    return Analysis(
        previous.path, document.spec, source, document.lines, document.tree, previous.module,
        findings, suppressions, errors, candidates=candidates, outline=outline,
        version=document.version, settled=previous.settled and not nodes, current_model=False,
    )


def move_findings(findings: list[Finding], edits: list[Edit]) -> list[Finding]:
    """`move_finding` over a list, with the commonest case of typing inlined.

    One edit, a finding without related places lying wholly before it or on later rows: this
    runs over every finding of the file on every keystroke.
    """
    if len(edits) != 1:
        return [move_finding(finding, edits) for finding in findings]
    edit = edits[0]
    start_byte = edit.start_byte
    row = edit.old_end_point[0]
    rows = edit.new_end_point[0] - row
    shift = edit.new_end_byte - edit.old_end_byte
    shifts = [(row, rows)]  # shared: read only
    moved: list[Finding] = []
    for finding in findings:
        span = finding.span
        if finding.related:
            moved.append(move_finding(finding, edits))
        elif span.end_byte < start_byte:
            moved.append(finding)
        elif span.start_byte >= start_byte and span.start[0] > row:
            moved.append(_moved_down(finding, shift, rows, shifts))
        else:
            moved.append(move_finding(finding, edits))
    return moved


def move_finding(finding: Finding, edits: list[Edit]) -> Finding:
    """The finding with its span (and related places in the same file) moved over `edits`.

    The same object when every edit comes after it. When each of its positions either comes
    before an edit or lies on a later row than the edit's end, its rows moved and its columns
    did not: `moved_from` then holds (the finding it was moved from, [(row, added rows), ...]),
    one pair per edit, meaning "rows after `row` moved by `added rows`".
    """
    related = finding.related
    if len(edits) == 1:  # typing: one edit
        if not related:  # one span (most findings)
            edit = edits[0]
            span = finding.span
            if span.end_byte < edit.start_byte:
                return finding
            row = edit.old_end_point[0]
            if span.start_byte >= edit.start_byte and span.start[0] > row:
                rows = edit.new_end_point[0] - row
                return _moved_down(finding, edit.new_end_byte - edit.old_end_byte, rows,
                                   [(row, rows)])
        else:
            quick = _moved_whole_rows(finding, edits[0])
            if quick is not None:
                return quick
    local = [index for index, item in enumerate(related) if item.path is None] if related else []
    spans = [finding.span, *(related[index].span for index in local)]
    shifts: list[tuple[int, int]] | None = []
    moved = False
    for edit in edits:
        start_byte = edit.start_byte
        if all(span.end_byte < start_byte for span in spans):
            continue
        moved = True
        row = edit.old_end_point[0]
        shift_bytes = edit.new_end_byte - edit.old_end_byte
        shift_rows = edit.new_end_point[0] - row
        after = [_after(span, start_byte, row) for span in spans]
        if shifts is not None and all(kind is not None for kind in after):
            shifts.append((row, shift_rows))
            spans = [span if kind == "before" else _down(span, shift_bytes, shift_rows)
                     if kind == "after" else move_span(span, [edit])
                     for span, kind in zip(spans, after, strict=True)]
        else:
            shifts = None
            spans = [move_span(span, [edit]) for span in spans]
    if not moved:
        return finding
    result = Finding.__new__(Finding)
    result.__dict__.update(finding.__dict__)  # a shallow copy, quicker than copy.copy
    result.span = spans[0]
    if local:
        result.related = list(related)
        for index, span in zip(local, spans[1:], strict=True):
            if span is not related[index].span:
                item = Related.__new__(Related)
                item.__dict__.update(related[index].__dict__)
                item.span = span
                result.related[index] = item
    result.moved_from = (weakref.ref(finding), shifts) if shifts is not None else None
    return result


def _moved_down(finding: Finding, shift_bytes: int, rows: int,
                shifts: list[tuple[int, int]]) -> Finding:
    """A copy of a finding that lies on rows after an edit, moved down with them."""
    result = Finding.__new__(Finding)
    result.__dict__.update(finding.__dict__)  # a shallow copy, quicker than copy.copy
    result.span = _down(finding.span, shift_bytes, rows)
    result.moved_from = (weakref.ref(finding), shifts)
    return result


def _moved_whole_rows(finding: Finding, edit: Edit) -> Finding | None:
    """A finding with related places moved over one edit by whole rows, or None.

    That is when each place lies before the edit or on a later row than its end: a clone and
    its copies while the user types elsewhere.
    """
    start_byte = edit.start_byte
    row = edit.old_end_point[0]
    spans = [finding.span]
    spans += [item.span for item in finding.related if item.path is None]
    later = [span.start_byte >= start_byte for span in spans]
    for span, after in zip(spans, later, strict=True):
        if after and span.start[0] <= row or not after and span.end_byte >= start_byte:
            return None
    if not any(later):
        return finding
    shift_bytes = edit.new_end_byte - edit.old_end_byte
    rows = edit.new_end_point[0] - row
    result = Finding.__new__(Finding)
    result.__dict__.update(finding.__dict__)
    if later[0]:
        result.span = _down(finding.span, shift_bytes, rows)
    moved = iter(later[1:])
    result.related = []
    for item in finding.related:
        if item.path is None and next(moved):
            item = _related_down(item, shift_bytes, rows)
        result.related.append(item)
    result.moved_from = (weakref.ref(finding), [(row, rows)])
    return result


def _related_down(item: Related, shift_bytes: int, rows: int) -> Related:
    moved = Related.__new__(Related)
    moved.__dict__.update(item.__dict__)
    moved.span = _down(item.span, shift_bytes, rows)
    return moved


def _after(span: Span, start_byte: int, row: int) -> str | None:
    """How a span sits relative to an edit.

    "before" it, "after" it on later rows, "around" it (starts before, ends on a later row), or
    None (it shares a row with the edit's end).
    """
    if span.end_byte <= start_byte:
        return "before"
    if span.end[0] <= row:
        return None
    if span.start_byte < start_byte:
        return "around"
    return "after" if span.start[0] > row else None


def _down(span: Span, shift_bytes: int, shift_rows: int) -> Span:
    """A span on rows after an edit: same columns, later bytes and rows."""
    start, end = span.start, span.end
    if shift_rows:
        start, end = (start[0] + shift_rows, start[1]), (end[0] + shift_rows, end[1])
    return Span(span.start_byte + shift_bytes, span.end_byte + shift_bytes, start, end)


def _moved_outline(outline: list[tuple[int, int, str]],
                   edits: list[Edit]) -> list[tuple[int, int, str]]:
    """The outermost functions' ranges after `edits` (one pass per edit, most ranges shifted)."""
    for edit in edits:
        start_byte, old_end = edit.start_byte, edit.old_end_byte
        shift = edit.new_end_byte - old_end
        # A range ending before the edit stays; one starting after its end moves by `shift`.
        outline = [item if item[1] < start_byte else (item[0] + shift, item[1] + shift, item[2])
                   if item[0] >= old_end and item[0] > start_byte
                   else (*edit.move_range(item[0], item[1]), item[2]) for item in outline]
    return outline


def _touched_units(
    moved: list[tuple[int, int, str]], regions: list[tuple[int, int, bool]], root: ts.Node,
    source: bytes, language: str,
) -> tuple[list[tuple[int, str]], list[ts.Node]] | None:
    """The units a changed region reaches, and the comments and docstrings edited outside them.

    Units come as (start, node type); None if a region changed code outside all units.

    A region that ends a unit's text (typing after its last token) reaches it too: the unit's
    new node, found by its start, tells whether the text joined it.
    """
    touched: dict[int, str] = {}
    inert: dict[int, ts.Node] = {}
    for region_start, region_end, blank in regions:
        reached = [(start, kind) for start, end, kind in moved
                   if start <= region_end and region_start <= end]
        if reached:
            touched.update(reached)
        elif not _layout_only(region_start, region_end, blank, root, source, language):
            node = _inert_around(region_start, region_end, root)
            if node is None:
                return None
            inert[node.start_byte] = node
    return sorted(touched.items()), list(inert.values())


def _inert_around(start: int, end: int, root: ts.Node) -> ts.Node | None:
    """The comment or docstring an edit stayed inside of (text no element reads as code).

    The edit must not reach the node's first byte: typing `#` in front of code makes a comment
    of it, which is a change of code.
    """
    node: ts.Node | None = root.descendant_for_byte_range(start, end)
    while node is not None and not (_is_comment(node) or _is_docstring(node)):
        node = node.parent
    if node is None or not (node.start_byte < start and end <= node.end_byte):
        return None
    return node


def _is_comment(node: ts.Node) -> bool:
    return "comment" in node.type


def _is_docstring(node: ts.Node) -> bool:
    parent = node.parent
    return ("string" in node.type and parent is not None
            and parent.type == "expression_statement" and parent.named_child_count == 1)


def _unit_at(root: ts.Node, start: int, kind: str) -> ts.Node | None:
    """The node of type `kind` that starts at `start`, if the new tree still has one."""
    node: ts.Node | None = root.descendant_for_byte_range(start, start)
    while node is not None and node.start_byte == start:
        if node.type == kind:
            return node
        node = node.parent
    return None


def _intact(nodes: list[ts.Node], moved: list[tuple[int, int, str]],
            regions: list[tuple[int, int, bool]], root: ts.Node, source: bytes,
            language: str) -> bool:
    """Every region inside one touched unit or layout only, and no unit swallowed another."""
    starts = {node.start_byte for node in nodes}
    for node in nodes:  # units and the inert nodes (which cannot contain a unit)
        for start, _end, _kind in moved:
            if start not in starts and node.start_byte < start < node.end_byte:
                return False
    for region_start, region_end, blank in regions:
        inside = any(node.start_byte <= region_start and region_end <= node.end_byte
                     for node in nodes)
        if not inside and not _layout_only(region_start, region_end, blank, root, source,
                                           language):
            return False
    return True


def _layout_only(start: int, end: int, blank: bool, root: ts.Node, source: bytes,
                 language: str) -> bool:
    """Spaces or tabs added or removed between two tokens, where they mean nothing."""
    if not blank or source[start:end].strip(b" \t"):
        return False
    if start > 0 and source[start - 1:start] == b"\\":  # a line continuation
        return False
    if language == "python":
        line_start = source.rfind(b"\n", 0, start) + 1
        line_end = source.find(b"\n", end)
        before = source[line_start:start].strip(b" \t")
        after = source[end:line_end if line_end != -1 else len(source)].strip(b" \t\r")
        if not before and after:  # indentation in front of code is syntax
            return False
    node: ts.Node | None = root.descendant_for_byte_range(start, end)
    if node is None or node.child_count == 0:
        return False
    for child in node.children:
        if child.start_byte < end and start < child.end_byte:
            return False
    # A recovered error around the spaces is fine: had they changed how it was recovered,
    # tree-sitter's changed ranges (also checked) would cover more than spaces.
    while node is not None:
        if any(kind in node.type for kind in _TEXT_KINDS):
            return False
        node = node.parent
    return True


def _outside(findings: list[Finding], elements: frozenset[str] | set[str],
             windows: list[tuple[int, int]]) -> list[Finding]:
    """The findings, less those of `elements` lying inside one of the windows."""
    if len(windows) == 1:  # typing in one function
        (low, high), = windows
        return [finding for finding in findings if finding.element not in elements
                or not low <= finding.span.start_byte or finding.span.end_byte > high]
    return [finding for finding in findings
            if finding.element not in elements or not _inside(finding, windows)]


def _inside(finding: Finding, windows: list[tuple[int, int]]) -> bool:
    span = finding.span
    return any(start <= span.start_byte and span.end_byte <= end for start, end in windows)


def _detect_in(windows: list[tuple[int, int]], previous: Analysis, document: Document,
               analyzer: Analyzer, settings: Settings, errors: list[str]) -> list[Finding]:
    """Findings of the unit-scope elements inside the touched functions."""
    spec = document.spec
    root = document.tree.root_node
    extraction, query_matches = analyzer.matches(spec, root, windows)
    module = build_module(extraction, spec, previous.path, root.has_error, document.data,
                          analyzer.fingerprints)
    # What lies outside functions did not change: the file's imports and module-level code.
    context = previous.module
    module.imports = context.imports
    module.assignments = context.assignments
    module.calls = context.calls
    module.handlers = context.handlers
    module.partial = True
    unit_scope = analyzer.catalog.unit_scope
    hits = analyzer.detect(module, spec, document.data, settings, document.lines, query_matches,
                           errors, only=lambda element: element.id in unit_scope)
    findings = Analyzer.findings_from(hits, settings, [])
    return [finding for finding in findings if _inside(finding, windows)]
