"""Run the real `cpt` command in a subprocess, as a user or CI would."""

import json
import subprocess
import sys
from dataclasses import dataclass

import pytest


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cpt():
    def run(*args, cwd=None, timeout=120):
        process = subprocess.run(
            [sys.executable, "-m", "cpt", *map(str, args)], cwd=cwd, capture_output=True,
            text=True, timeout=timeout,
        )
        return Run(process.returncode, process.stdout, process.stderr)

    return run
