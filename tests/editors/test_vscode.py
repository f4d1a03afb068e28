"""The VS Code extension (editors/vscode) installs, lints, passes its tests and packages.

Runs the same npm commands a developer runs; the `.vsix` it produces must hold the compiled
extension and a manifest VS Code can load. Skipped only when npm is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

EXTENSION = Path(__file__).resolve().parents[2] / "editors" / "vscode"
VSIX = EXTENSION / "code-periodic-table.vsix"
NPM = shutil.which("npm")
SERVER_SETTINGS = ("debounceMs", "codeLens", "select", "ignore", "severity", "thresholds",
                   "logFile")
COMMANDS = ("explain", "scanWorkspace", "showTable", "restartServer", "showOutput")

pytestmark = pytest.mark.skipif(
    NPM is None, reason="npm is not installed: cannot build the VS Code extension")


def _npm(*args: str, timeout: float = 120) -> str:
    """Run npm in the extension's folder; fail with its output when it fails."""
    assert NPM is not None
    env = {**os.environ, "CI": "1", "npm_config_fund": "false", "npm_config_audit": "false",
           "npm_config_update_notifier": "false"}
    done = subprocess.run([NPM, *args], cwd=EXTENSION, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, (
        f"npm {' '.join(args)} exited {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done.stdout


@pytest.fixture(scope="module")
def installed() -> None:
    """`npm ci`: exactly the locked dependencies, from the npm registry only."""
    _npm("ci", timeout=300)


@pytest.fixture(scope="module")
def vsix(installed) -> Iterator[zipfile.ZipFile]:
    """The `.vsix` that `npm run package` builds."""
    VSIX.unlink(missing_ok=True)
    _npm("run", "package")
    assert VSIX.is_file(), f"npm run package did not write {VSIX.name}"
    with zipfile.ZipFile(VSIX) as archive:
        yield archive


def test_lock_file_is_committed_with_the_manifest() -> None:
    lock = json.loads((EXTENSION / "package-lock.json").read_text(encoding="utf-8"))
    manifest = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    assert lock["name"] == manifest["name"]
    assert lock["packages"][""]["dependencies"] == manifest["dependencies"]
    assert lock["packages"][""]["devDependencies"] == manifest["devDependencies"]


def test_lint(installed) -> None:
    _npm("run", "lint")


def test_unit_tests(installed) -> None:
    output = _npm("test")
    assert "# fail 0" in output, output


def test_vsix_manifest(vsix: zipfile.ZipFile) -> None:
    manifest = json.loads(vsix.read("extension/package.json"))
    assert manifest["name"] == "code-periodic-table"
    assert manifest["main"] == "./out/src/extension.js"
    assert manifest["engines"]["vscode"]
    commands = {command["command"] for command in manifest["contributes"]["commands"]}
    assert {f"cpt.vscode.{name}" for name in COMMANDS} <= commands
    settings = manifest["contributes"]["configuration"]["properties"]
    assert {f"cpt.{key}" for key in SERVER_SETTINGS} <= set(settings)
    assert "cpt.path" in settings
    assert "extension.vsixmanifest" in vsix.namelist()


def test_vsix_holds_the_compiled_extension_and_its_runtime(vsix: zipfile.ZipFile) -> None:
    names = set(vsix.namelist())
    main = vsix.read("extension/out/src/extension.js").decode("utf-8")
    assert "exports.activate" in main
    assert {"extension/media/table.js", "extension/media/table.css",
            "extension/node_modules/vscode-languageclient/package.json"} <= names
    # Sources, tests and dev dependencies stay out of the package.
    assert not [name for name in names if name.startswith(("extension/src/", "extension/test/",
                                                           "extension/out/test/"))]
    assert not [name for name in names if "/node_modules/typescript/" in name]
