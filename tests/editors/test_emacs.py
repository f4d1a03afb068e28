"""Emacs with editors/emacs/cpt.el: Eglot starts the server, Flymake shows its diagnostics."""

import json
import os
import re
import subprocess

import pytest

from .conftest import EDITORS, EXPECTED, HERE, SERVER, SESSION_TIMEOUT, editor, write_project


def run_session(project):
    """Run tests/editors/emacs_session.el in batch Emacs; return what it recorded."""
    emacs = editor("emacs", "emacs-nox elpa-eglot")
    result = project / "result.json"
    env = dict(os.environ, CPT_PACKAGE=str(EDITORS / "emacs" / "cpt.el"),
               CPT_CMD=json.dumps(SERVER), CPT_FILE=str(project / "shop" / "app.py"),
               CPT_RESULT=str(result))
    # Not -Q: Debian's site start-up is what puts elpa-eglot on Emacs 28's load path.
    done = subprocess.run([emacs, "--batch", "-l", str(HERE / "emacs_session.el")], env=env,
                          cwd=project, capture_output=True, text=True, timeout=SESSION_TIMEOUT)
    assert result.exists(), f"emacs wrote no result (exit {done.returncode}): {done.stderr}"
    recorded = json.loads(result.read_text())
    assert recorded.get("error") is None, (recorded, done.stderr)
    return recorded


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    return run_session(write_project(tmp_path_factory.mktemp("emacs")))


def test_eglot_runs_the_server_and_flymake_shows_its_diagnostics(recorded):
    assert not recorded["lsp_mode_loaded"]  # cpt.el loaded without lsp-mode
    assert recorded["eglot_entry"].startswith('(((python-mode :language-id "python")')
    assert recorded["major_mode"] == "python-mode"
    assert recorded["server"] == SERVER
    found, types = set(), {}
    for diagnostic in recorded["diagnostics"]:
        # Eglot writes "<source> [<code>]: <message>".
        match = re.match(r"cpt \[([a-z-]+)\]: ", diagnostic["text"])
        assert match, diagnostic
        assert diagnostic["backend"] == "eglot-flymake-backend"
        found.add((match.group(1), diagnostic["line"], diagnostic["column"]))
        types[match.group(1)] = diagnostic["type"]
    assert found == EXPECTED
    assert types == {"mutable-default-argument": "eglot-warning",
                     "command-injection": "eglot-error"}


def test_lsp_mode_registration_waits_for_lsp_mode_and_adds_an_add_on_client(recorded):
    assert recorded["lsp_mode_client"] == {
        "server_id": "cpt", "add_on": True, "command": SERVER,
        "languages": ["python", "javascriptreact", "javascript", "typescriptreact",
                      "typescript", "java", "go"],
    }
