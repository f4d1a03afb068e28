"""Typing re-checks the edited function at once; class patterns settle when typing pauses."""

import textwrap

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

from .conftest import push_only, start
from .test_diagnostics import change, did_open, wait_diagnostics
from .test_workspace_index import until

SOURCE = textwrap.dedent('''\
    import subprocess


    class Settings:
        _instance = None

        def __new__(cls, *args, **kwargs):
            if cls._instance is None:
                cls._instance = super().__new__(cls)
            return cls._instance


    def run(cmd):
        return subprocess.run(cmd)
''')
RUN_LINE = 13  # `        return subprocess.run(cmd)`, 0-based
NEW_LINE = 8  # `            cls._instance = super().__new__(cls)`


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "app.py").write_text(SOURCE)
    return tmp_path


def _codes(diagnostics):
    return sorted(str(d.code) for d in diagnostics)


@pytest.mark.asyncio
async def test_an_edit_reports_the_function_at_once_and_the_class_after_a_pause(
        client: LanguageClient, workspace):
    await start(client, workspace, {"debounceMs": 0, "settleMs": 200},
                capabilities=push_only())
    uri = (workspace / "app.py").as_uri()
    did_open(client, uri, SOURCE)
    assert _codes(await wait_diagnostics(client, uri)) == ["singleton"]

    # Typed into `run`: its new finding comes with the edit's own publish.
    column = len("    return subprocess.run(cmd")
    change(client, uri, 2, (RUN_LINE, column), (RUN_LINE, column), ", shell=True")
    assert _codes(await wait_diagnostics(client, uri, version=2)) == [
        "command-injection", "singleton"]

    # `__new__` no longer keeps the instance: the class stops being a Singleton once typing
    # pauses (the edit's own publish may still carry the class finding).
    start_column = len("            ")
    end_column = len("            cls._instance = ")
    change(client, uri, 3, (NEW_LINE, start_column), (NEW_LINE, end_column), "")
    first = _codes(await wait_diagnostics(client, uri, version=3))
    assert "command-injection" in first
    settled = first
    while "singleton" in settled:
        settled = _codes(await wait_diagnostics(client, uri, version=3, timeout=10))
    assert settled == ["command-injection"]


@pytest.mark.asyncio
async def test_a_pulling_client_is_asked_to_pull_again_when_findings_settle(
        client: LanguageClient, workspace):
    capabilities = client_capabilities("visual-studio-code")
    # VS Code pulls and supports refresh; the recorded capabilities predate both.
    capabilities.text_document.diagnostic = types.DiagnosticClientCapabilities()
    capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
        refresh_support=True)
    await start(client, workspace, {"debounceMs": 0, "settleMs": 100, "index": False},
                capabilities=capabilities)
    uri = (workspace / "app.py").as_uri()
    did_open(client, uri, SOURCE)

    async def pull():
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri)))
        return _codes(report.items)

    assert await pull() == ["singleton"]
    change(client, uri, 2, (NEW_LINE, len("            ")),
           (NEW_LINE, len("            cls._instance = ")), "")
    refreshes = client.diagnostic_refresh_count
    await pull()  # the edit's own answer, with the class finding carried or not

    async def refreshed():
        return client.diagnostic_refresh_count > refreshes

    await until(refreshed, timeout=10)
    assert await pull() == []


@pytest.mark.asyncio
async def test_hover_after_an_edit_sees_the_edited_code(client: LanguageClient, workspace):
    """Hover reads the code model, which an analysis carried forward does not have."""
    source = SOURCE.replace("run(cmd)\n", "run(cmd, shell=True)\n")
    await start(client, workspace, {"debounceMs": 0, "settleMs": 60000},
                capabilities=push_only())
    uri = (workspace / "app.py").as_uri()
    did_open(client, uri, source)
    assert _codes(await wait_diagnostics(client, uri)) == ["command-injection", "singleton"]
    change(client, uri, 2, (NEW_LINE, 0), (NEW_LINE, 0), "            pass\n")  # in __new__
    moved = {str(d.code): d for d in await wait_diagnostics(client, uri, version=2)}
    assert moved["command-injection"].range.start.line == RUN_LINE + 1
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri),
        position=types.Position(RUN_LINE + 1, 20)))
    assert hover is not None and "Command Injection" in hover.contents.value
    assert hover.range.start.line == RUN_LINE + 1
