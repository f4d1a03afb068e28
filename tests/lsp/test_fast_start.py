"""`initialize` is answered before pygls loads, exactly as pygls would answer it, and once."""

import json
import subprocess
import threading

import pytest
from pygls.protocol import default_converter
from pytest_lsp import client_capabilities

from cpt.server.lsp import fast_start

from .conftest import SERVER

CLIENTS = ["visual-studio-code", "neovim", "emacs", "neovim@v0.6.1"]


def _capabilities(name):
    return default_converter().unstructure(client_capabilities(name)) if name else {}


@pytest.mark.parametrize("client", [None, *CLIENTS])
def test_the_stored_answer_is_what_pygls_answers(client):
    """Regenerate with `python -m cpt.server.lsp.fast_start --write` when this fails."""
    capabilities = _capabilities(client)
    template = json.loads(fast_start.RESULT_FILE.read_text(encoding="utf-8"))
    message = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
               "params": {"capabilities": capabilities}}
    assert fast_start.answer(message, template) == fast_start.real_answer(capabilities)


@pytest.mark.parametrize("offered,chosen", [
    (["utf-16", "utf-8"], "utf-8"), (["utf-32", "utf-16"], "utf-32"), (["latin-1"], "utf-16"),
    (None, "utf-16"),
])
def test_the_position_encoding_is_negotiated(offered, chosen):
    capabilities = {"general": {"positionEncodings": offered}} if offered else {}
    template = json.loads(fast_start.RESULT_FILE.read_text(encoding="utf-8"))
    answer = fast_start.answer({"params": {"capabilities": capabilities}}, template)
    assert answer["capabilities"]["positionEncoding"] == chosen
    assert fast_start.real_answer(capabilities)["capabilities"]["positionEncoding"] == chosen


def _frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _read_all(stream, into):
    while True:
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            byte = stream.read(1)
            if not byte:
                return
            header += byte
        length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
        into.append(json.loads(stream.read(length)))


def test_initialize_is_answered_once_and_the_session_goes_on(tmp_path):
    process = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    messages: list[dict] = []
    reader = threading.Thread(target=_read_all, args=(process.stdout, messages), daemon=True)
    reader.start()
    process.stdin.write(_frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "capabilities": {}, "rootUri": tmp_path.as_uri()}}))
    process.stdin.write(_frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    process.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
    process.stdin.write(_frame({"jsonrpc": "2.0", "method": "exit"}))
    process.stdin.flush()
    process.wait(60)
    reader.join(10)
    answers = [message for message in messages if "id" in message and "method" not in message]
    assert [answer["id"] for answer in answers] == [1, 2]
    assert answers[0]["result"]["serverInfo"]["name"] == "cpt"
    assert process.returncode == 0
