"""Editor end-to-end tests: a real editor drives this checkout's `cpt lsp` on a small project."""

import shutil
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EDITORS = ROOT / "editors"
HERE = Path(__file__).resolve().parent
# The interpreter running the tests, so the editors test this checkout's server.
SERVER = [sys.executable, "-m", "cpt", "lsp"]
# Bound on one editor session; every wait inside the editor script is shorter.
SESSION_TIMEOUT = 20

RISKY = textwrap.dedent('''\
    import subprocess


    def run(cmd, items=[]):
        items.append(cmd)
        subprocess.run("ls " + cmd, shell=True)
''')
# (code, 0-based line, 0-based column) of each diagnostic expected in RISKY.
EXPECTED = {("mutable-default-argument", 3, 19), ("command-injection", 5, 4)}
FIXED = textwrap.dedent('''\
    import subprocess


    def run(cmd, items=None):
        if items is None:
            items = []
        items.append(cmd)
        subprocess.run("ls " + cmd, shell=True)
''')


def editor(name: str, packages: str) -> str:
    """The editor's executable, or skip the test naming it and the Debian packages to install."""
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"`{name}` is not on PATH (Debian: apt-get install {packages})")
    return found


def write_project(root: Path) -> Path:
    """A project with a root marker above the file, so root detection has work to do."""
    (root / "pyproject.toml").write_text('[project]\nname = "shop"\n')
    source = root / "shop" / "app.py"
    source.parent.mkdir()
    source.write_text(RISKY)
    return root


@pytest.fixture
def editor_project(tmp_path):
    return write_project(tmp_path)
