"""`cpt lsp` starts over stdio (every other test) and over TCP for debugging, and exits cleanly."""

import asyncio
import json
import socket
import subprocess
import sys

import pytest

from .conftest import SERVER


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def exchange(reader, writer, message):
    body = json.dumps(message).encode()
    writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    await writer.drain()
    while True:
        header = await reader.readuntil(b"\r\n\r\n")
        length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
        reply = json.loads(await reader.readexactly(length))
        if reply.get("id") == message.get("id"):
            return reply


@pytest.mark.asyncio
async def test_tcp_mode_serves_a_client_on_loopback(tmp_path):
    port = free_port()
    process = subprocess.Popen([*SERVER, "--tcp", "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(100):  # bounded: the server needs a moment to listen
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.1)
        else:
            pytest.fail("cpt lsp --tcp never listened")
        reply = await asyncio.wait_for(exchange(reader, writer, {
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"capabilities": {}, "rootUri": tmp_path.as_uri()}}), 30)
        assert reply["result"]["serverInfo"]["name"] == "cpt"
        assert reply["result"]["capabilities"]["textDocumentSync"]["change"] == 2
        writer.close()
    finally:
        process.kill()
        process.wait(10)


def test_stdout_carries_only_the_protocol(tmp_path):
    """Nothing but framed JSON-RPC may appear on stdout, even with a log file configured."""
    log_file = tmp_path / "cpt.log"
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                       "params": {"capabilities": {}, "rootUri": tmp_path.as_uri()}}).encode()
    shutdown = json.dumps({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}).encode()
    exit_ = json.dumps({"jsonrpc": "2.0", "method": "exit"}).encode()
    stream = b"".join(b"Content-Length: %d\r\n\r\n" % len(part) + part
                      for part in (body, shutdown, exit_))
    result = subprocess.run([*SERVER, "--log-file", str(log_file)], input=stream,
                            capture_output=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith(b"Content-Length: ")
    frames = result.stdout.split(b"Content-Length: ")[1:]
    assert all(b"\r\n\r\n{" in frame for frame in frames)
    assert log_file.exists()


@pytest.mark.skipif(sys.platform != "linux", reason="pipe sizes are a Linux feature")
def test_a_large_publish_fits_in_the_pipe_to_the_editor(tmp_path):
    """A publish of hundreds of diagnostics (300 KB) must not wait for the editor to read."""
    import fcntl

    process = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    try:
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                           "params": {"capabilities": {}, "rootUri": tmp_path.as_uri()}}).encode()
        process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        process.stdin.flush()
        assert process.stdout.readline().startswith(b"Content-Length: ")
        # Both ends share one pipe: its size is what the server set.
        assert fcntl.fcntl(process.stdout.fileno(), fcntl.F_GETPIPE_SZ) >= 1 << 20
    finally:
        process.kill()
        process.wait(10)
