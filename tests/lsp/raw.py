"""A bare JSON-RPC client over a real `cpt lsp` process: it can send bytes no library would."""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

from .conftest import SERVER


class RawServer:
    """`cpt lsp` over stdio, with framed messages written and read by hand."""

    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process
        self.notifications: list[dict[str, Any]] = []  # everything that was not our answer
        self._ids = itertools.count(1)

    @classmethod
    async def start(cls) -> RawServer:
        process = await asyncio.create_subprocess_exec(
            *SERVER, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL, limit=2**27)
        return cls(process)

    def write(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)

    def send_body(self, body: bytes) -> None:
        self.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def send(self, message: dict[str, Any]) -> None:
        # ensure_ascii keeps lone surrogates as \ud800 escapes, as a JS client would send them
        self.send_body(json.dumps(message, ensure_ascii=True).encode("ascii"))

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    async def request(self, method: str, params: Any = None, timeout: float = 30) -> dict:
        """Send a request and return its whole response (result or error)."""
        number = next(self._ids)
        self.send({"jsonrpc": "2.0", "id": number, "method": method, "params": params})
        return await self.wait_for(lambda m: m.get("id") == number and "method" not in m,
                                   timeout)

    async def wait_for(self, accept, timeout: float = 30) -> dict:
        """The first message, kept or new, that satisfies `accept`; others are kept."""
        for index, message in enumerate(self.notifications):
            if accept(message):
                return self.notifications.pop(index)

        async def read() -> dict:
            while True:
                message = await self.read()
                if accept(message):
                    return message
                self.notifications.append(message)
                if message.get("method") in ("client/registerCapability",
                                             "workspace/configuration") and "id" in message:
                    answer = [None] * len(message["params"].get("items", [])) or None
                    self.send({"jsonrpc": "2.0", "id": message["id"], "result": answer})

        return await asyncio.wait_for(read(), timeout)

    async def read(self) -> dict:
        assert self.process.stdout is not None
        length = 0
        while True:
            line = await self.process.stdout.readline()
            if not line:
                raise EOFError("the server closed its output")
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            elif line == b"\r\n" and length:
                break
        return json.loads(await self.process.stdout.readexactly(length))

    async def initialize(self, root, options: dict | None = None,
                         capabilities: dict | None = None) -> dict:
        response = await self.request("initialize", {
            "processId": None, "rootUri": root.as_uri(),
            "capabilities": capabilities or {"general": {"positionEncodings": ["utf-16"]}},
            "initializationOptions": options or {"debounceMs": 0},
        })
        self.notify("initialized", {})
        return response

    def logs(self, containing: str = "") -> list[str]:
        return [m["params"]["message"] for m in self.notifications
                if m.get("method") == "window/logMessage" and containing in m["params"]["message"]]

    async def alive(self) -> None:
        """The server still answers a request."""
        response = await self.request("workspace/executeCommand", {
            "command": "cpt.debug.documentText", "arguments": ["file:///nowhere.py"]})
        assert "result" in response, response

    async def stop(self) -> None:
        if self.process.returncode is None:
            try:
                await self.request("shutdown", timeout=10)
                self.notify("exit")
                await asyncio.wait_for(self.process.wait(), 10)
            except (TimeoutError, EOFError, ConnectionError):
                self.process.kill()
                await self.process.wait()
