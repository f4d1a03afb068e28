"""Random incremental edits leave the server's text equal to the client's (multi-byte, CRLF)."""

import itertools
import json
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import SERVER

# Text pieces: ASCII code, 2-, 3- and 4-byte characters (the emoji is two UTF-16 units) and both
# line breaks. No lone CR: the server, like tree-sitter, ends lines at LF only.
PIECES = ["a", "x = 1", "def f(y):\n", "    return y\n", "é", "日本", "🎉", "\r\n", "\n", " ",
          "'", "\t", "(", ")", "# ü"]
text_of = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
edit = st.tuples(st.floats(0, 1), st.floats(0, 1), text_of)
steps = st.lists(st.lists(edit, min_size=1, max_size=3), min_size=1, max_size=12)


class Server:
    """A blocking JSON-RPC client of a real `cpt lsp` process."""

    def __init__(self):
        self.process = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.ids = itertools.count(1)

    def send(self, message):
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def request(self, method, params):
        number = next(self.ids)
        self.send({"id": number, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == number and "method" not in message:
                return message["result"]

    def read(self):
        length = 0
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise EOFError("the server exited")
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            elif line == b"\r\n" and length:
                return json.loads(self.process.stdout.read(length))

    def stop(self):
        self.request("shutdown", None)
        self.send({"method": "exit"})
        self.process.wait(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    running = Server()
    running.request("initialize", {"processId": None, "rootUri": root.as_uri(),
                                   "capabilities": {}, "initializationOptions": {"debounceMs": 0}})
    running.send({"method": "initialized", "params": {}})
    running.root = root
    yield running
    running.stop()


def boundary(text: str, fraction: float) -> int:
    """A code-point index into `text` that does not split a CRLF."""
    index = round(fraction * len(text))
    if 0 < index < len(text) and text[index - 1] == "\r" and text[index] == "\n":
        index -= 1
    return index


def position(text: str, index: int) -> dict:
    """The LSP position (UTF-16) of a code-point index."""
    before = text[:index]
    line_start = before.rfind("\n") + 1
    character = len(before[line_start:].encode("utf-16-le")) // 2
    return {"line": before.count("\n"), "character": character}


counter = itertools.count()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(initial=text_of, steps=steps)
def test_random_edits_keep_the_server_text_in_sync(server, initial, steps):
    uri = (server.root / f"doc{next(counter)}.py").as_uri()
    text = initial
    server.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": text}}})
    for version, changes in enumerate(steps, start=2):
        content_changes = []
        for start_fraction, end_fraction, inserted in changes:
            start, end = sorted((boundary(text, start_fraction), boundary(text, end_fraction)))
            content_changes.append({"range": {"start": position(text, start),
                                              "end": position(text, end)}, "text": inserted})
            text = text[:start] + inserted + text[end:]
        server.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": content_changes}})
    result = server.request("workspace/executeCommand", {
        "command": "cpt.debug.documentText", "arguments": [uri]})
    server.send({"method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
    assert result == text
