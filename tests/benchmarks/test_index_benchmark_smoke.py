"""Smoke test of `python benchmarks/index.py --quick`: it runs and prints every figure."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "index.py"

FIGURES = (
    "baseline cpt scan --jobs 2:",
    "cold build cpt index --jobs 2:",
    "warm refresh cpt index (nothing changed):",
    "database:",
    "cpt lsp warm restart → 'index ready':",
    "server RSS with the index loaded:",
    "one changed file (",
    "then a workspace/diagnostic pull of the whole index:",
    "in process: WorkspaceIndex.refresh(only=[file])",
)
TARGET_LABELS = (
    "warm restart → index ready",
    "one changed file → updated findings",
    "server RSS with the index loaded",
)


def test_quick_benchmark_prints_every_figure_and_target(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--rounds", "1",
         "--workspace", str(tmp_path / "workspace"), "--results", str(tmp_path / "results")],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for figure in FIGURES:
        assert any(figure in line for line in lines), f"missing {figure!r}:\n{result.stdout}"
    cold = next(line for line in lines if line.startswith("cold build"))
    assert "files/s" in cold and "cold / scan" in cold
    assert "per 1,000 files" in next(line for line in lines if line.startswith("database:"))
    assert "ready / cold build" in next(line for line in lines
                                        if line.startswith("cpt lsp warm restart"))
    for label in TARGET_LABELS:
        line = next((line for line in lines
                     if line.startswith("  ") and line.strip().startswith(label)), None)
        assert line is not None, f"missing target {label!r}:\n{result.stdout}"
        assert "target ≤" in line and line.rstrip().endswith(("met", "MISSED"))
    written = list((tmp_path / "results").glob("index-*-quick.json"))
    assert len(written) == 1
    document = json.loads(written[0].read_text(encoding="utf-8"))
    assert document["quick"] is True
    assert document["workspace"]["files"] == document["results"]["cold"][0]["files"] > 0
