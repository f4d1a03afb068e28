"""Diagnostics built as JSON are what the protocol objects serialize to, cached or shifted."""

import json

from pygls.protocol import default_converter

from cpt.engine.analysis import Analyzer
from cpt.engine.catalog import builtin_catalog
from cpt.engine.config import Settings
from cpt.engine.document import Document
from cpt.engine.incremental import carry_forward, move_finding
from cpt.engine.languages import language_by_name
from cpt.engine.project import analyze_project_units
from cpt.server.lsp.convert import WireCache, to_diagnostic, to_wire

ANALYZER = Analyzer(builtin_catalog())
SOURCE = '''\
import subprocess


def first(items=[]):
    total = 0
    for item in items:
        if item > 3:
            total += item * 2
    subprocess.run("ls " + str(total), shell=True)
    return total


def second(items=[]):
    total = 0
    for item in items:
        if item > 3:
            total += item * 2
    subprocess.run("ls " + str(total), shell=True)
    return total


def unreachable():
    return 1
    print("never")
'''


def _findings(document):
    analysis = document.analyze(ANALYZER, Settings())
    clones = analyze_project_units([(document.path, analysis)], ANALYZER.catalog, Settings())
    return analysis, analysis.findings + clones.get(document.path, [])


def test_wire_json_equals_the_protocol_objects():
    document = Document(SOURCE.replace("1\n", "'é'\n"), language_by_name("python"), ANALYZER,
                        "/tmp/wire.py")
    analysis, findings = _findings(document)
    assert {"duplicate-code", "unreachable-code", "command-injection"} <= {
        f.element for f in findings}
    converter = default_converter()
    for encoding in ("utf-16", "utf-8"):
        for finding in findings:
            typed = to_diagnostic(finding, analysis.lines, encoding, "file:///tmp/wire.py")
            assert to_wire(finding, analysis.lines, encoding, "file:///tmp/wire.py") == (
                converter.unstructure(typed))


def test_the_cache_shifts_findings_moved_by_whole_rows():
    document = Document(SOURCE, language_by_name("python"), ANALYZER, "/tmp/shift.py")
    analysis = document.analyze(ANALYZER, Settings())
    cache = WireCache()
    uri = "file:///tmp/shift.py"
    # Two lines typed into `first`: everything below moves down two rows.
    document.apply_change(4, 13, 4, 13, "\n    x = 1\n    y = 2", encoding="utf-16")
    carried = carry_forward(analysis, document, ANALYZER, Settings())
    assert carried is not None
    shifted = [f for f in carried.findings if f.moved_from is not None]
    assert shifted, "findings below the edit should be marked as moved by rows"
    clones = analyze_project_units([(document.path, analysis)], ANALYZER.catalog, Settings())
    cache.convert(analysis.findings + clones[document.path], analysis.lines, "utf-16", uri)
    # ... and clone findings whose related places lie on both sides of the edit.
    moved_clones = [move_finding(f, document.log.edits_since(analysis.version))
                    for f in clones[document.path]]
    assert any(f.moved_from is not None and f.related for f in moved_clones)
    both = carried.findings + moved_clones
    cached = cache.convert(both, carried.lines, "utf-16", uri)
    assert [json.loads(text) for _, text in cached] == [
        to_wire(f, carried.lines, "utf-16", uri) for f in both]



def test_indexed_findings_as_json_equal_the_protocol_objects(tmp_path):
    """The workspace pull builds JSON directly; it must be what the typed diagnostics give."""
    from cpt.server.index.store import WorkspaceIndex
    from cpt.server.lsp.index_features import to_diagnostic as indexed
    from cpt.server.lsp.index_features import to_wire_indexed

    (tmp_path / "a.py").write_text(SOURCE)
    (tmp_path / "b.py").write_text(SOURCE.replace("first", "third"))
    index = WorkspaceIndex(tmp_path, tmp_path / "index.sqlite3")
    index.refresh(jobs=1)
    found = list(index.findings())
    assert {"duplicate-code", "unreachable-code"} <= {item.element for item in found}
    assert any(item.related for item in found)
    converter = default_converter()
    for item in found:
        assert to_wire_indexed(item, tmp_path, item.severity, "Xx") == converter.unstructure(
            indexed(item, tmp_path, item.severity, "Xx"))
