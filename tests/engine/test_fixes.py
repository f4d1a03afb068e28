"""Element fixes: every `fixtures/fix/<name>.before.*` becomes exactly its `<name>.fixed.*`."""

from collections import Counter

import pytest

from cpt.engine.catalog import builtin_catalog
from cpt.engine.config import Settings
from cpt.engine.fixes import Edit, OverlappingEdits, apply_edits, fix, fix_all
from cpt.engine.languages import language_for_path

CATALOG = builtin_catalog()


def fix_pairs(element):
    folder = element.folder / "fixtures" / "fix"
    for before in sorted(folder.glob("*.before.*")) if folder.is_dir() else []:
        yield before, before.with_name(before.name.replace(".before.", ".fixed."))


CASES = [
    pytest.param(element, before, fixed, id=f"{element.id}/{before.name}")
    for element in CATALOG
    for before, fixed in fix_pairs(element)
]


def element_findings(analyzer, source, path, element):
    spec = language_for_path(path)
    analysis = analyzer.analyze(source, str(path), spec, Settings())
    return analysis, [finding for finding in analysis.findings if finding.element == element.id]


@pytest.mark.parametrize("element", [element for element in CATALOG if element.fixer is not None],
                         ids=lambda element: element.id)
def test_every_fix_has_fixtures(element):
    assert list(fix_pairs(element)), f"{element.id} has fix.py but no fixtures/fix/*.before.*"


@pytest.mark.parametrize("element,before,fixed", CASES)
def test_fix_fixture(element, before, fixed, analyzer):
    assert fixed.is_file(), f"{before} has no {fixed.name}"
    source = before.read_bytes()
    analysis, findings = element_findings(analyzer, source, before, element)
    assert not analysis.tree.root_node.has_error, f"{before} does not parse"
    edits = fix_all(analysis, findings, CATALOG)
    assert edits, f"{before} has no finding of {element.id} that a fix handles"
    result = apply_edits(source, edits)
    assert result.decode() == fixed.read_text(encoding="utf-8")
    after, remaining = element_findings(analyzer, result, before, element)
    assert not after.tree.root_node.has_error
    assert fix_all(after, remaining, CATALOG) == [], "a fixable finding is left after fixing"
    # Each fixed finding is gone; a fix may leave a milder one, with another message.
    fixed_findings = [finding for finding in findings if fix(analysis, finding, CATALOG)]
    gone = Counter(f.message for f in findings) - Counter(f.message for f in remaining)
    assert gone == Counter(f.message for f in fixed_findings)


def test_apply_edits_back_to_front_keeps_insertion_order():
    source = b"abcdef"
    edits = [Edit(4, 6, "XY"), Edit(1, 1, "1"), Edit(1, 1, "2"), Edit(0, 1, "")]
    assert apply_edits(source, edits) == b"12bcdXY"


def test_apply_edits_refuses_overlaps():
    with pytest.raises(OverlappingEdits):
        apply_edits(b"abcdef", [Edit(0, 3, "x"), Edit(2, 4, "y")])
