"""`benchmarks/lsp.py --quick` runs end to end against the real server."""

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "lsp.py"


def test_quick_benchmark_prints_the_targets():
    done = subprocess.run([sys.executable, str(SCRIPT), "--quick"], capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "python" in done.stdout and "RSS" in done.stdout
    for target in ("edit p50", "edit p95", "start", "rss"):
        assert target in done.stdout
