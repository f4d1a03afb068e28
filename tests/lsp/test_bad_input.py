"""Bad input never kills the server: after each case it still answers a request."""

import json
import textwrap

import pytest
import pytest_asyncio

from .raw import RawServer
from .test_diagnostics import RISKY

SERVER_ERROR_CODES = {-32601}  # MethodNotFound


@pytest_asyncio.fixture
async def server(tmp_path):
    (tmp_path / "app.py").write_text(RISKY)
    raw = await RawServer.start()
    response = await raw.initialize(tmp_path)
    assert "result" in response
    yield raw
    await raw.stop()


def open_document(server, uri, text, language="python", version=1):
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": language, "version": version, "text": text}})


async def diagnostics_of(server, uri, version=None):
    message = await server.wait_for(
        lambda m: m.get("method") == "textDocument/publishDiagnostics"
        and m["params"]["uri"] == uri
        and (version is None or m["params"].get("version") == version))
    return message["params"]["diagnostics"]


@pytest.mark.asyncio
async def test_bad_json_is_skipped(server):
    server.send_body(b'{"jsonrpc": "2.0", "id": 99, "method": ')
    server.send_body(b"\xff\xfe not utf-8 \x80")
    await server.alive()


@pytest.mark.asyncio
async def test_a_frame_without_content_length_is_skipped(server):
    # The server finds the next frame at the next header line.
    server.write(b'Content-Type: application/json\r\n\r\n{"jsonrpc": "2.0", "id": 7, '
                 b'"method": "shutdown"}\r\n')
    await server.alive()


@pytest.mark.asyncio
async def test_unknown_methods(server):
    response = await server.request("cpt/noSuchMethod", {"x": 1})
    assert response["error"]["code"] in SERVER_ERROR_CODES
    server.notify("cpt/noSuchNotification", {"x": 1})
    server.notify("$/noSuchNotification")
    await server.alive()


@pytest.mark.asyncio
async def test_requests_for_documents_that_are_not_open(server, tmp_path):
    uri = (tmp_path / "never-opened.py").as_uri()
    position = {"line": 0, "character": 0}
    whole = {"start": position, "end": {"line": 3, "character": 0}}
    requests = {
        "textDocument/hover": {"textDocument": {"uri": uri}, "position": position},
        "textDocument/codeAction": {"textDocument": {"uri": uri}, "range": whole,
                                    "context": {"diagnostics": []}},
        "textDocument/diagnostic": {"textDocument": {"uri": uri}},
        "textDocument/codeLens": {"textDocument": {"uri": uri}},
        "textDocument/documentSymbol": {"textDocument": {"uri": uri}},
    }
    for method, params in requests.items():
        response = await server.request(method, params)
        if "error" in response:  # a feature this server does not offer (yet)
            assert response["error"]["code"] in SERVER_ERROR_CODES, (method, response)
            continue
        result = response["result"]
        if method == "textDocument/diagnostic":
            assert result["items"] == []
        else:
            assert result in (None, []), (method, result)
    await server.alive()


@pytest.mark.asyncio
async def test_out_of_bounds_changes_are_clamped(server, tmp_path):
    uri = (tmp_path / "app.py").as_uri()
    open_document(server, uri, "x = 1\n")
    await diagnostics_of(server, uri)
    changes = [
        {"range": {"start": {"line": 0, "character": 99}, "end": {"line": 0, "character": 120}},
         "text": "  # tail"},
        {"range": {"start": {"line": 40, "character": 0}, "end": {"line": 50, "character": 3}},
         "text": "y = 2\n"},
        {"range": {"start": {"line": 0, "character": 3}, "end": {"line": 0, "character": 0}},
         "text": ""},  # reversed
    ]
    server.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2}, "contentChanges": changes})
    await diagnostics_of(server, uri, version=2)
    text = await document_text(server, uri)
    assert text == " 1  # tail\ny = 2\n"


async def document_text(server, uri):
    response = await server.request("workspace/executeCommand", {
        "command": "cpt.debug.documentText", "arguments": [uri]})
    return response["result"]


@pytest.mark.asyncio
async def test_binary_content_and_lone_surrogates(server, tmp_path):
    binary = (tmp_path / "binary.py").as_uri()
    open_document(server, binary, "".join(map(chr, range(256))) * 4 + "\ufffe\uffff\x00")
    await diagnostics_of(server, binary)
    broken = (tmp_path / "surrogate.py").as_uri()
    # A JSON escape of half a surrogate pair: valid JSON, not valid Unicode.
    body = {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": broken, "languageId": "python", "version": 1, "text": "s = '\ud83c'\n" + RISKY}}}
    server.send_body(json.dumps(body).encode("ascii"))
    found = await diagnostics_of(server, broken)
    assert "command-injection" in {d["code"] for d in found}
    await server.alive()


@pytest.mark.asyncio
async def test_a_50_mb_document_is_kept_but_not_analyzed(server, tmp_path):
    uri = (tmp_path / "huge.py").as_uri()
    line = "value = compute(1, 2, 3)  # " + "x" * 50 + "\n"
    open_document(server, uri, line * (50 * 1024 * 1024 // len(line)))
    await server.alive()
    assert await diagnostics_of(server, uri) == []
    assert len(server.logs("not analyzed")) == 1
    small = (tmp_path / "app.py").as_uri()
    open_document(server, small, RISKY)
    assert await diagnostics_of(server, small)


TEAM_CARD = textwrap.dedent('''\
    id = "always-fails"
    symbol = "Zz"
    name = "Always Fails"
    group = "smell"
    period = 2
    severity = "warning"
    languages = ["python"]
    summary = "A detector with a bug."
    message = "never shown"
''')


@pytest.mark.asyncio
async def test_a_failing_detector_costs_only_its_own_findings(tmp_path):
    folder = tmp_path / ".cpt" / "elements" / "always-fails"
    folder.mkdir(parents=True)
    (folder / "element.toml").write_text(TEAM_CARD)
    (folder / "detect.py").write_text("def detect(ctx):\n    raise RuntimeError('boom')\n")
    server = await RawServer.start()
    try:
        await server.initialize(tmp_path)
        uri = (tmp_path / "app.py").as_uri()
        open_document(server, uri, RISKY)
        found = await diagnostics_of(server, uri)
        assert {d["code"] for d in found} == {"command-injection", "mutable-default-argument"}
        server.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"text": RISKY + "\nx = 1\n"}]})
        await diagnostics_of(server, uri, version=2)
        await server.alive()
        failures = server.logs("always-fails failed")
        assert len(failures) == 1 and "RuntimeError: boom" in failures[0]
    finally:
        await server.stop()
