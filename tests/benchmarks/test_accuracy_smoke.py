"""Smoke test of `python -m benchmarks.accuracy --quick`: the tables print and the counts add up.

It does not check that the targets are met: the report is there to say whether they are.
"""

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from benchmarks.accuracy.counting import NONE, Scores
from cpt.engine.fixtures import parse_markers

ROOT = Path(__file__).resolve().parents[2]

KNOWN_CASE = """\
# expect: xx
hit_here = 1
# expect: xx
missed_here = 2
# ok: xx
wrongly_reported = 3
unmarked = 4
"""

HANDWRITTEN = """\
# expect: mutable-default-argument
def collect(item, bucket=[]):
    bucket.append(item)
    return bucket


# ok: mutable-default-argument
def collect_safely(item, bucket=None):
    return [*(bucket or []), item]
"""


def _finding(element, line):
    return SimpleNamespace(element=element, span=SimpleNamespace(start=(line - 1, 0)))


def test_counts_on_a_tiny_known_case():
    scores = Scores()
    markers = parse_markers(KNOWN_CASE)
    # xx on lines 2 (expected), 6 (marked ok) and 7 (unmarked); yy on 7 (not what the file
    # is about, so not judged)
    findings = [_finding("xx", 2), _finding("xx", 6), _finding("xx", 7), _finding("yy", 7)]
    scores.score("handwritten", "known.py", "python", markers, findings, about={"xx"},
                 known={"xx", "yy"}, patterns={"xx"})
    counts = scores.total(["handwritten"], element="xx")
    assert (counts.tp, counts.fp, counts.fn) == (1, 2, 1)
    assert counts.precision == pytest.approx(1 / 3)
    assert counts.recall == pytest.approx(1 / 2)
    assert counts.f1 == pytest.approx(0.4)
    assert scores.unjudged["handwritten"] == {"yy": 1}
    assert scores.confusion["handwritten"] == {("xx", "xx"): 1, ("xx", NONE): 1}
    assert sorted(case.kind for case in scores.cases) == ["fn", "fp", "fp"]


def test_empty_cells_have_no_ratio():
    counts = Scores().total(["fixtures"])
    assert counts.precision is None and counts.recall is None and counts.f1 is None


def test_quick_report_prints_the_tables(tmp_path):
    corpus = tmp_path / "corpus" / "python"
    corpus.mkdir(parents=True)
    (corpus / "collect.py").write_text(HANDWRITTEN, encoding="utf-8")
    out_json = tmp_path / "accuracy.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.accuracy", "--quick",
         "--corpus", str(tmp_path / "corpus"), "--json", str(out_json)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("element "))
    for column in ("fixtures P", "independent TP", "P target", "mark", "R>=0.80"):
        assert column in header
    for element in ("observer", "strategy", "sql-injection", "duplicate-code", "broad-except"):
        row = next(line for line in lines if line.startswith(element + " "))
        assert row.split()[-2] in ("PASS", "MISS", "n/a")
        assert row.split()[-1] in ("PASS", "MISS", "n/a")
    for dataset in ("fixtures", "rename", "reorder", "reformat", "split", "handwritten"):
        assert any(line.startswith(dataset + " ") for line in lines), dataset
    assert "overall independent:" in out and "recall target >= 0.80" in out
    assert "renaming:" in out and "design-pattern findings changed" in out
    assert "confusion of design patterns" in out
    assert "fingerprints over real functions" in out
    document = json.loads(out_json.read_text())
    assert document["quick"] is True
    handwritten = document["datasets"]["handwritten"]
    assert handwritten["files"] == 1
    # One `expect:` marker: it is either found or missed, whatever the detector does today.
    assert handwritten["tp"] + handwritten["fn"] == 1
    for row in document["elements"]:
        counts = row["independent"]
        reported = counts["tp"] + counts["fp"]
        if reported:
            assert counts["precision"] == pytest.approx(counts["tp"] / reported)
        assert row["precision_mark"] in ("PASS", "MISS", "n/a")
    assert set(document["fingerprints"]) <= {"python", "javascript", "typescript", "java", "go"}
