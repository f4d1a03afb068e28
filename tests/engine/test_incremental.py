"""Carrying an analysis forward over edits gives what a full analysis of the new text gives.

The editor re-checks only the function being typed in (engine/incremental.py); these tests hold
every unit-scope element to the promise that makes this safe, and check the fallbacks.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from cpt.engine.analysis import Analysis, AnalysisCancelled, Analyzer, Finding, Related
from cpt.engine.catalog import BUILTIN_DIR, builtin_catalog
from cpt.engine.config import Settings
from cpt.engine.document import Document
from cpt.engine.edits import Edit, EditLog, move_span
from cpt.engine.incremental import carry_forward, move_finding, move_findings
from cpt.engine.languages import language_by_name, language_for_path
from cpt.engine.positions import Span

CATALOG = builtin_catalog()
ANALYZER = Analyzer(CATALOG)
SETTINGS = Settings()
UNIT_ELEMENTS = sorted(CATALOG.unit_scope)


def _key(finding: Finding) -> tuple:
    return (finding.element, finding.span.start_byte, finding.span.end_byte,
            finding.span.start, finding.span.end, finding.message, finding.severity)


def _keys(analysis: Analysis, only: frozenset[str] | set[str] | None = None) -> set[tuple]:
    return {_key(finding) for finding in analysis.findings
            if only is None or finding.element in only}


def _insert(document: Document, offset: int, text: str) -> None:
    row, column = document.lines.point_of(offset)
    document.apply_change(row, column, row, column, text, encoding="utf-8")


def _analyzed(path: Path) -> tuple[bytes, Analysis]:
    spec = language_for_path(path)
    assert spec is not None
    data = path.read_bytes()
    return data, Document(data, spec, ANALYZER, str(path)).analyze(ANALYZER, SETTINGS)


def _node_of(document: Document, start: int, kind: str):
    node = document.tree.root_node.descendant_for_byte_range(start, start)
    while node.type != kind:
        node = node.parent
    return node


def test_positions_move_with_an_edit():
    # "ab\ncd" -> insert "XY\n" at byte 1 (row 0, column 1)
    edit = Edit(1, 1, 4, (0, 1), (0, 1), (1, 0))
    assert edit.move(0, (0, 0), False) == (0, (0, 0))  # before: unchanged
    assert edit.move(1, (0, 1), False) == (4, (1, 0))  # a start at an insertion moves on
    assert edit.move(1, (0, 1), True) == (1, (0, 1))  # an end there stays
    assert edit.move(2, (0, 2), True) == (5, (1, 1))  # same line as the edit: column moves
    assert edit.move(4, (1, 1), False) == (7, (2, 1))  # later line: only the row moves
    replaced = Edit(2, 6, 3, (0, 2), (0, 6), (0, 3))  # 4 bytes became 1
    assert replaced.move(4, (0, 4), False) == (2, (0, 2))  # inside the replaced text
    assert replaced.move(4, (0, 4), True) == (3, (0, 3))
    moved = move_span(Span(8, 10, (0, 8), (0, 10)), [replaced])
    assert (moved.start_byte, moved.end_byte, moved.start, moved.end) == (5, 7, (0, 5), (0, 7))


def test_the_edit_log_knows_what_changed_since_a_version():
    log = EditLog()
    log.record(1, Edit(10, 10, 12, (1, 0), (1, 0), (1, 2), blank=True), [])
    log.record(2, Edit(0, 0, 3, (0, 0), (0, 0), (0, 3)), [(0, 3)])
    assert [edit.start_byte for edit in log.edits_since(0)] == [10, 0]
    # The first edit's bytes moved by the second one; each region says if it was blank.
    assert sorted(log.regions_since(0)) == [(0, 3, False), (0, 3, False), (13, 15, True)]
    assert log.edits_since(2) == []
    log.reset(3)
    assert log.since(2) is None


@pytest.mark.parametrize("seed", range(3))
def test_a_finding_and_its_related_places_move_like_their_spans(seed):
    """The shortcuts for typing (whole rows moved) agree with moving every span."""
    rng = random.Random(seed)
    text = "".join(f"line {row} " + "x" * rng.randrange(0, 12) + "\n" for row in range(40))
    lines = Document(text, language_by_name("python"), ANALYZER, "/tmp/m.py").lines

    def span() -> Span:
        start, end = sorted(rng.sample(range(len(text)), 2))
        return Span(start, end, lines.point_of(start), lines.point_of(end))

    for _ in range(300):
        related = [Related(span(), "copy") for _ in range(rng.randrange(0, 4))]
        related.append(Related(Span(0, 1, (0, 0), (0, 1)), "elsewhere", path="/tmp/other.py"))
        finding = Finding("duplicate-code", "Dc", "smell", "warning", "m", span(), 0.9, "rule",
                          related=related)
        start = rng.randrange(len(text))
        end = min(len(text), start + rng.choice([0, 0, 1, 5]))
        inserted = rng.choice(["", " ", "ab", "\n", "a\nb\n"])
        new_end = start + len(inserted)
        rows = inserted.count("\n")
        new_column = (len(inserted) - inserted.rfind("\n") - 1 if rows
                      else lines.point_of(start)[1] + len(inserted))
        edit = Edit(start, end, new_end, lines.point_of(start), lines.point_of(end),
                    (lines.point_of(start)[0] + rows, new_column))
        moved = move_finding(finding, [edit])
        assert _where(moved.span) == _where(move_span(finding.span, [edit]))
        plain = Finding("magic-number", "Mn", "smell", "info", "m", span(), 0.9, "rule")
        assert _where(move_findings([plain], [edit])[0].span) == _where(
            move_span(plain.span, [edit]))
        for before, after in zip(finding.related, moved.related, strict=True):
            expected = before.span if before.path else move_span(before.span, [edit])
            assert _where(after.span) == _where(expected) and after.message == before.message


def _where(span: Span) -> tuple:
    return span.start_byte, span.end_byte, span.start, span.end


@pytest.mark.parametrize("element_id", UNIT_ELEMENTS)
def test_a_unit_scope_element_finds_in_one_function_what_a_full_analysis_finds(element_id):
    """Re-checking one function gives that element's findings of a full analysis, everywhere.

    Each outermost function of each fixture gets an edit that changes nothing (a space after
    its first token), so the function is re-detected alone; nothing may appear or vanish.
    """
    folder = CATALOG[element_id].folder / "fixtures"
    only = {element_id}
    checked = 0
    for path in sorted(folder.iterdir()):
        if language_for_path(path) is None:
            continue
        data, base = _analyzed(path)
        for start, _end, kind in base.outline[:12]:
            document = Document(data, base.spec, ANALYZER, str(path))
            first = _node_of(document, start, kind).children[0]
            _insert(document, first.end_byte, " ")
            carried = carry_forward(base, document, ANALYZER, SETTINGS)
            assert carried is not None, f"{path}: an edit inside a function fell back"
            full = document.analyze(ANALYZER, SETTINGS)
            assert _keys(carried, only) == _keys(full, only), (
                f"{path}: {element_id} differs after re-checking the function at byte {start}")
            checked += 1
    assert checked, f"{element_id}: no function in its fixtures to check"


def test_typing_a_new_problem_into_a_function_reports_it_at_once():
    source = (
        "import subprocess\n\n"
        "def run(cmd):\n"
        "    return subprocess.run(cmd)\n\n"
        "def add(item, bucket=[]):\n"
        "    bucket.append(item)\n"
        "    return bucket\n"
    )
    document = Document(source, language_by_name("python"), ANALYZER, "/tmp/typing.py")
    base = document.analyze(ANALYZER, SETTINGS)
    assert [f.element for f in base.findings] == ["mutable-default-argument"]
    offset = source.index("(cmd)\n") + len("(cmd")
    _insert(document, offset, ", shell=True")
    carried = carry_forward(base, document, ANALYZER, SETTINGS)
    assert carried is not None and not carried.settled
    assert sorted(f.element for f in carried.findings) == ["command-injection",
                                                           "mutable-default-argument"]
    # The untouched function's finding moved with the text: same as a full analysis.
    assert _keys(carried) == _keys(document.analyze(ANALYZER, SETTINGS))


def test_a_suppression_comment_typed_in_a_function_applies_to_carried_findings():
    source = "def add(item, bucket=[]):\n    return bucket\n"
    document = Document(source, language_by_name("python"), ANALYZER, "/tmp/suppress.py")
    base = document.analyze(ANALYZER, SETTINGS)
    assert [f.element for f in base.findings] == ["mutable-default-argument"]
    _insert(document, source.index("\n"), "  # cpt: ignore[mutable-default-argument]")
    carried = carry_forward(base, document, ANALYZER, SETTINGS)
    assert carried is not None and carried.findings == []


def test_code_between_functions_falls_back_to_a_full_analysis():
    source = "def a():\n    return 1\n\n\ndef b():\n    return 2\n"
    document = Document(source, language_by_name("python"), ANALYZER, "/tmp/between.py")
    base = document.analyze(ANALYZER, SETTINGS)
    _insert(document, source.index("\n\n\n") + 2, "x = [1]\n")
    assert carry_forward(base, document, ANALYZER, SETTINGS) is None


def test_a_function_that_swallows_the_next_one_falls_back():
    source = "function a() {\n  return 1;\n}\n\nfunction b() {\n  return 2;\n}\n"
    document = Document(source, language_by_name("javascript"), ANALYZER, "/tmp/swallow.js")
    base = document.analyze(ANALYZER, SETTINGS)
    _insert(document, source.index("}"), "if (x) {\n")  # `a` now runs until b's end
    assert carry_forward(base, document, ANALYZER, SETTINGS) is None


def test_indentation_outside_functions_is_not_layout_in_python():
    source = "x = 1\ny = 2\n\ndef f():\n    return x\n"
    document = Document(source, language_by_name("python"), ANALYZER, "/tmp/indent.py")
    base = document.analyze(ANALYZER, SETTINGS)
    _insert(document, source.index("y = 2"), "    ")
    assert carry_forward(base, document, ANALYZER, SETTINGS) is None


_CORPUS = sorted(
    path for path in (Path(__file__).parents[2] / "engine" / "elements").glob("*/*/fixtures/*")
    if language_for_path(path) is not None
)


@pytest.mark.parametrize("seed", range(6))
def test_trailing_spaces_anywhere_give_the_findings_of_a_full_analysis(seed):
    """What an editor does most: spaces typed at the end of lines, a few edits per analysis.

    A settled result must equal a full analysis in every element; an unsettled one in the
    unit-scope elements (the others wait for the full analysis the server runs on a pause).
    """
    rng = random.Random(seed)
    for path in rng.sample(_CORPUS, 12):
        data, base = _analyzed(path)
        document = Document(data, base.spec, ANALYZER, str(path))
        for _ in range(rng.randint(1, 3)):
            lines = document.data.split(b"\n")
            row = rng.randrange(len(lines))
            document.apply_change(row, len(lines[row]), row, len(lines[row]), " ",
                                  encoding="utf-8")
        carried = carry_forward(base, document, ANALYZER, SETTINGS)
        if carried is None:
            continue
        full = document.analyze(ANALYZER, SETTINGS)
        only = None if carried.settled else CATALOG.unit_scope
        assert _keys(carried, only) == _keys(full, only), f"{path} (seed {seed})"


@pytest.mark.parametrize("seed", range(4))
def test_random_typing_never_breaks_the_promise(seed):
    """Random characters typed anywhere: carried or not, unit findings equal a full analysis."""
    rng = random.Random(1000 + seed)
    alphabet = ["x", " ", "(", ")", "{", "}", ":", "\n", "'", "\"", "#", "/", "1", ",", "="]
    for path in rng.sample(_CORPUS, 8):
        data, base = _analyzed(path)
        document = Document(data, base.spec, ANALYZER, str(path))
        previous = base
        for _ in range(6):
            offset = rng.randrange(len(document.data) + 1)
            while offset and (document.data[offset - 1] & 0xC0) == 0x80:  # not mid-character
                offset -= 1
            _insert(document, offset, rng.choice(alphabet))
            carried = carry_forward(previous, document, ANALYZER, SETTINGS)
            full = document.analyze(ANALYZER, SETTINGS)
            if carried is not None:
                only = None if carried.settled else CATALOG.unit_scope
                assert _keys(carried, only) == _keys(full, only), f"{path} (seed {seed})"
                previous = carried if rng.random() < 0.5 else full
            else:
                previous = full


def test_a_snapshot_keeps_its_version_while_the_document_is_edited():
    """The server analyzes a snapshot in the background while the editor keeps typing."""
    source = "def add(item, bucket=[]):\n    return bucket\n"
    document = Document(source, language_by_name("python"), ANALYZER, "/tmp/snapshot.py")
    snapshot = document.snapshot()
    document.apply_change(0, 21, 0, 23, "None", encoding="utf-8")  # `bucket=None`
    assert [f.element for f in snapshot.analyze(ANALYZER, SETTINGS).findings] == [
        "mutable-default-argument"]
    assert snapshot.analyze(ANALYZER, SETTINGS).version == 0
    assert document.analyze(ANALYZER, SETTINGS).findings == []


def test_an_analysis_stops_when_its_caller_cancels_it():
    document = Document("def f():\n    return 1\n", language_by_name("python"), ANALYZER,
                        "/tmp/cancel.py")
    with pytest.raises(AnalysisCancelled):
        document.snapshot().analyze(ANALYZER, SETTINGS, cancelled=lambda: True)
    assert document.snapshot().analyze(ANALYZER, SETTINGS, cancelled=lambda: False).errors == []


@pytest.mark.parametrize("language", ["python", "javascript", "typescript", "java", "go"])
def test_a_stoppable_analysis_matches_in_slices_and_finds_the_same(language):
    """The background analysis matches slice by slice (tree-sitter holds the GIL meanwhile)."""
    spec = language_by_name(language)
    fixtures = sorted(path for path in BUILTIN_DIR.rglob("fixtures/*")
                      if path.is_file() and language_for_path(path) is spec)
    source = b"\n".join(path.read_bytes() for path in fixtures)
    assert len(source) > 40_000  # several slices
    whole = ANALYZER.analyze(source, f"/tmp/all.{language}", spec, SETTINGS)
    sliced = ANALYZER.analyze(source, f"/tmp/all.{language}", spec, SETTINGS,
                              cancelled=lambda: False)
    assert [_key(finding) for finding in sliced.findings] == [
        _key(finding) for finding in whole.findings]
    assert len(whole.findings) > 50
