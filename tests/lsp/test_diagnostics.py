"""Diagnostics appear on open, follow incremental edits, and disappear on close."""

import asyncio
import textwrap

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import push_only, start

RISKY = textwrap.dedent('''\
    import subprocess

    def run(cmd, items=[]):
        subprocess.run("ls " + cmd, shell=True)
''')


def did_open(client, uri, text, language="python", version=1):
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id=language, version=version, text=text)))


def change(client, uri, version, start, end, text):
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(*start), types.Position(*end)), text=text)]))


async def wait_diagnostics(client, uri, version=None, timeout=15):
    """Wait for the publish of `uri` (at `version`, when given), failing after `timeout` s."""

    async def wait():
        while True:
            params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            if params.uri == uri and (version is None or params.version == version):
                return list(params.diagnostics)

    return await asyncio.wait_for(wait(), timeout)


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "app.py").write_text(RISKY)
    return tmp_path


@pytest.mark.asyncio
async def test_push_diagnostics_follow_edits_and_clear_on_close(client: LanguageClient, workspace):
    await start(client, workspace, capabilities=push_only())
    uri = (workspace / "app.py").as_uri()
    did_open(client, uri, RISKY)
    found = await wait_diagnostics(client, uri)
    by_code = {d.code: d for d in found}
    assert set(by_code) == {"command-injection", "mutable-default-argument"}
    injection = by_code["command-injection"]
    assert injection.source == "cpt" and injection.severity == types.DiagnosticSeverity.Error
    assert injection.range.start == types.Position(3, 4)
    assert injection.code_description.href.endswith("command-injection.md")
    # Replace `items=[]` by `items=None` with an incremental edit.
    change(client, uri, 2, (2, 19), (2, 21), "None")
    found = await wait_diagnostics(client, uri, version=2)
    assert {d.code for d in found} == {"command-injection"}
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        types.TextDocumentIdentifier(uri=uri)))
    assert await wait_diagnostics(client, uri) == []


@pytest.mark.asyncio
@pytest.mark.parametrize("offered,negotiated,width", [
    (["utf-16"], "utf-16", len("x = '🎉'; ".encode("utf-16-le")) // 2),
    (["utf-16", "utf-8"], "utf-8", len("x = '🎉'; ".encode())),
    (None, "utf-16", len("x = '🎉'; ".encode("utf-16-le")) // 2),
])
async def test_multibyte_edits_keep_positions_right(client: LanguageClient, workspace, offered,
                                                    negotiated, width):
    capabilities = push_only()
    capabilities.general.position_encodings = offered
    result = await start(client, workspace, capabilities=capabilities)
    assert result.capabilities.position_encoding == negotiated
    uri = (workspace / "app.py").as_uri()
    text = "# 🎉 日本語\n" + RISKY
    did_open(client, uri, text)
    await wait_diagnostics(client, uri)
    # Insert text with an emoji before the call on its line (line 4, after the indent).
    change(client, uri, 2, (4, 4), (4, 4), "x = '🎉'; ")
    found = await wait_diagnostics(client, uri, version=2)
    injection = next(d for d in found if d.code == "command-injection")
    assert injection.range.start == types.Position(4, 4 + width)


@pytest.mark.asyncio
async def test_pull_diagnostics_when_the_client_supports_them(client: LanguageClient, workspace):
    await start(client, workspace, capabilities="visual-studio-code")
    uri = (workspace / "app.py").as_uri()
    did_open(client, uri, RISKY)
    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    assert {d.code for d in report.items} == {"command-injection", "mutable-default-argument"}
    again = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=report.result_id))
    assert again.kind == "unchanged"
