"""Neovim's built-in client with editors/neovim: diagnostics, hover and a quick fix, headless."""

import json
import os
import subprocess

from .conftest import EDITORS, EXPECTED, FIXED, HERE, SERVER, SESSION_TIMEOUT, editor


def run_session(project):
    """Run tests/editors/neovim_session.lua in headless Neovim; return what it recorded."""
    nvim = editor("nvim", "neovim")
    result = project / "result.json"
    env = dict(os.environ, CPT_PLUGIN=str(EDITORS / "neovim"), CPT_CMD=json.dumps(SERVER),
               CPT_FILE=str(project / "shop" / "app.py"), CPT_RESULT=str(result))
    done = subprocess.run(
        [nvim, "--headless", "--clean", "-c", f"luafile {HERE / 'neovim_session.lua'}"],
        env=env, cwd=project, capture_output=True, text=True, timeout=SESSION_TIMEOUT)
    assert result.exists(), f"nvim wrote no result (exit {done.returncode}): {done.stderr}"
    recorded = json.loads(result.read_text())
    assert recorded.get("error") is None, (recorded, done.stderr)
    return recorded


def test_neovim_shows_diagnostics_hover_and_applies_the_quick_fix(editor_project):
    recorded = run_session(editor_project)
    assert recorded["config"] == {
        "cmd": ["cpt", "lsp"],
        "filetypes": ["python", "javascript", "javascriptreact", "typescript",
                      "typescriptreact", "java", "go"],
        "root_markers": ["pyproject.toml", "cpt.toml", ".git"],
    }
    assert recorded["root_dir"] == str(editor_project)
    found = {(d["code"], d["lnum"], d["col"]) for d in recorded["diagnostics"]}
    assert found == EXPECTED
    assert "**Md Mutable Default Argument**" in recorded["hover"]
    assert recorded["actions"][0] == "Default `items` to None and create the value in the body"
    assert "\n".join(recorded["fixed"]) + "\n" == FIXED
    assert recorded["codes_after_fix"] == ["command-injection"]
