"""Smoke test of `python benchmarks/scan.py --quick`: it runs, prints the table and the ratios."""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "scan.py"

RATIO_LABELS = (
    "cpt(1 job) / parse-only",
    "speed-up cpt jobs 2 vs jobs 1",
    "cpt(2 jobs) / ast-grep",
    "semgrep / cpt(2 jobs)",
    "peak RSS per process (cpt)",
)


def test_quick_benchmark_prints_the_table_and_the_ratios(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--no-external",
         "--corpora", str(tmp_path / "corpora"), "--results", str(tmp_path / "results")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    header = next(line for line in out.splitlines() if line.startswith("tool "))
    for column in ("files", "lines", "wall s", "files/s", "lines/s", "peak RSS MB"):
        assert column in header
    parse_row = next(line for line in out.splitlines() if line.startswith("parse-only "))
    assert parse_row.split()[1] == "150"
    assert next(line for line in out.splitlines() if line.startswith("parse+query "))
    cpt_rows = [line.rsplit(None, 9)[1:] for line in out.splitlines()
                if line.startswith(("cpt --jobs ", "cpt cached, "))]
    assert len(cpt_rows) == 4  # cold with 1 and 2 jobs, re-scans with nothing and one changed
    for fields in cpt_rows:
        assert fields[0] == "150"  # every file of the slice was scanned
        assert float(fields[2]) > 0  # wall seconds
    assert len({fields[-1] for fields in cpt_rows}) == 1  # a re-scan finds the same
    assert re.search(r"^ast-grep +skipped: --no-external$", out, re.MULTILINE)
    for label in ("parse+query / parse-only", "re-scan, none changed / cpt(2 jobs)"):
        assert re.search(rf"{re.escape(label)} +[0-9.]+x$", out, re.MULTILINE), out
    for label in RATIO_LABELS:
        ratio_line = next((line for line in out.splitlines() if line.strip().startswith(label)),
                          None)
        assert ratio_line is not None, f"missing ratio line {label!r}:\n{out}"
        assert "target" in ratio_line
        assert ratio_line.rstrip().endswith(("met", "MISSED", "n/a"))
    for label in RATIO_LABELS[:2] + RATIO_LABELS[4:]:
        line = next(line for line in out.splitlines() if line.strip().startswith(label))
        assert line.rstrip().endswith(("met", "MISSED"))  # cpt rows ran, so these have values
    written = list((tmp_path / "results").glob("scan-*-quick.json"))
    assert len(written) == 1
    document = json.loads(written[0].read_text())
    assert document["quick"] is True
    assert document["corpora"][0]["files"] == 150
    assert {run["tool"] for run in document["runs"]} >= {"parse-only", "cpt --jobs 1",
                                                         "cpt --jobs 2"}
