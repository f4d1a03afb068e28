"""Typing re-checks the edited function at once; class patterns settle when typing pauses."""

import textwrap
import time

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



CLONE = textwrap.dedent('''\
    def total(items, rate):
        result = 0
        for item in items:
            if item.price > 10:
                result += item.price * rate
            else:
                result += item.price
        return result
''')


@pytest.mark.asyncio
async def test_clones_settle_while_another_document_is_typed_in(client: LanguageClient, tmp_path):
    """Each keystroke stops the background settles under way; they run again in the pause."""
    await start(client, tmp_path, {"debounceMs": 0, "settleMs": 50, "index": False},
                capabilities=push_only())
    first, second = (tmp_path / "first.py").as_uri(), (tmp_path / "second.py").as_uri()
    did_open(client, second, "# notes\n" + CLONE)
    await wait_diagnostics(client, second)
    # Long enough that its whole-file analysis is still running when the next keystroke comes.
    did_open(client, first, CLONE + "".join(
        f"\n\ndef helper{number}(value):\n    return value\n" for number in range(400)))
    assert "duplicate-code" in _codes(await wait_diagnostics(client, first))

    # `first` gets three more statements: no longer a copy. Meanwhile the user types on in
    # `second`'s comment, which stops the settle of `first` whenever it is under way.
    change(client, first, 2, (2, 0), (2, 0),
           "    with open(rate) as log:\n        log.write(str(items))\n" * 3)
    await wait_diagnostics(client, first, version=2)
    for version in range(2, 80):
        change(client, second, version, (0, 7), (0, 7), "s")
        await wait_diagnostics(client, second, version=version)

    async def first_settled():
        published = client.diagnostics.get(first)
        return published is not None and "duplicate-code" not in _codes(published)

    await until(first_settled, timeout=30)


@pytest.mark.asyncio
async def test_settles_wait_while_another_document_is_typed_in(client: LanguageClient, tmp_path):
    """Background work would slow the keystrokes down (tree-sitter holds the GIL): it waits."""
    await start(client, tmp_path, {"debounceMs": 0, "settleMs": 300, "index": False},
                capabilities=push_only())
    copy, edited, notes = (tmp_path / name for name in ("copy.py", "edited.py", "notes.py"))
    did_open(client, copy.as_uri(), CLONE)
    await wait_diagnostics(client, copy.as_uri())
    did_open(client, edited.as_uri(), CLONE)
    assert "duplicate-code" in _codes(await wait_diagnostics(client, edited.as_uri()))
    did_open(client, notes.as_uri(), "# notes\n")
    await wait_diagnostics(client, notes.as_uri())

    # No longer a copy; only its settle finds that out.
    change(client, edited.as_uri(), 2, (2, 0), (2, 0),
           "    with open(rate) as log:\n        log.write(str(items))\n" * 3)
    await wait_diagnostics(client, edited.as_uri(), version=2)
    typing_ends = time.monotonic() + 1.5  # five times settleMs
    version = 1
    while time.monotonic() < typing_ends:
        version += 1
        change(client, notes.as_uri(), version, (0, 7), (0, 7), "s")
        await wait_diagnostics(client, notes.as_uri(), version=version)
        assert "duplicate-code" in _codes(client.diagnostics[edited.as_uri()])

    async def settled():
        return "duplicate-code" not in _codes(client.diagnostics[edited.as_uri()])

    await until(settled, timeout=10)
