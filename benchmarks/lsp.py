"""Latency and memory of `cpt lsp` on ~5,000-line files, next to `ruff server` on the Python one.

Usage: python benchmarks/lsp.py [--quick] [--lines N] [--edits N]

A raw JSON-RPC client drives the real server over stdio (debounceMs 0): start until the
initialize result, didOpen until the first diagnostics, a one-character didChange until the
updated diagnostics (50 edits spread over each file), and the server's RSS with all files open.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import queue
import random
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

TARGETS = {"edit p50": 10.0, "edit p95": 25.0, "start": 500.0, "rss": 100.0}  # ms, ms, ms, MB
TIMEOUT = 60.0
SETTLE_S = 0.4  # the server's default settleMs


class Client:
    """A minimal LSP client: framed JSON over pipes, a reader thread, answers to server requests."""

    def __init__(self, command: list[str], cwd: Path):
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, cwd=cwd)
        self.ids = itertools.count(1)
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        length = 0
        while True:
            line = stdout.readline()
            if not line:
                self.inbox.put({"eof": True})
                return
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            elif line == b"\r\n" and length:
                body = stdout.read(length)
                arrived = time.perf_counter()
                message = json.loads(body)
                length = 0
                if "method" in message and "id" in message:  # a request from the server
                    self._answer(message)
                else:
                    # Latencies end when the message is in: how long this client takes to
                    # decode it measures Python's json module, not the server (it is
                    # reported apart, as `decoded` - `arrived`).
                    message["_arrived"] = arrived
                    message["_decoded"] = time.perf_counter()
                    self.inbox.put(message)

    def _answer(self, message: dict[str, Any]) -> None:
        result = None
        if message["method"] == "workspace/configuration":
            result = [None for _ in message["params"]["items"]]
        self.send({"id": message["id"], "result": result})

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def wait(self, accept, timeout: float = TIMEOUT) -> dict[str, Any] | None:
        """The next message that satisfies `accept`, or None after `timeout` seconds."""
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            try:
                message = self.inbox.get(timeout=left)
            except queue.Empty:
                return None
            if message.get("eof"):
                raise RuntimeError("the server exited")
            if accept(message):
                return message

    def request(self, method: str, params: Any, timeout: float = TIMEOUT) -> Any:
        number = next(self.ids)
        self.send({"id": number, "method": method, "params": params})
        message = self.wait(lambda m: m.get("id") == number, timeout)
        if message is None:
            raise RuntimeError(f"no answer to {method}")
        return message.get("result")

    def diagnostics(self, uri: str, version: int | None = None, timeout: float = TIMEOUT,
                    ) -> dict[str, Any] | None:
        """The next diagnostics of `uri`; of that document `version` when one is given.

        A server may publish again for an older version (background clone results, a settle);
        those say nothing about how fast the latest edit was answered.
        """
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri
                         and (version is None
                              or m["params"].get("version", version) == version), timeout)

    def rss_mb(self) -> float:
        try:
            import psutil

            return psutil.Process(self.process.pid).memory_info().rss / 1_048_576
        except ImportError:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
            kilobytes = next(line.split()[1] for line in status.splitlines()
                             if line.startswith("VmRSS:"))
            return int(kilobytes) / 1024

    def stop(self) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.process.wait(10)
        except Exception:
            self.process.kill()
            self.process.wait()


# --- realistic input -------------------------------------------------------------------------

def python_source(lines: int) -> str:
    """Real code: standard-library modules concatenated until `lines` lines."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    names = ["argparse.py", "json/decoder.py", "json/encoder.py", "textwrap.py", "shlex.py",
             "configparser.py", "fractions.py", "statistics.py", "dataclasses.py", "enum.py",
             "inspect.py", "typing.py"]
    out: list[str] = []
    for name in itertools.cycle(names):
        path = stdlib / name
        if path.is_file():
            out.extend(path.read_text(encoding="utf-8").splitlines())
        if len(out) >= lines:
            return "\n".join(out[:lines]) + "\n"
        if not any((stdlib / n).is_file() for n in names):
            raise RuntimeError(f"no standard library sources under {stdlib}")
    raise AssertionError("unreachable")


_NOUNS = ["Order", "Invoice", "Customer", "Account", "Payment", "Shipment", "Product", "Cart",
          "Session", "Report", "Ledger", "Address", "Coupon", "Refund", "Warehouse", "Supplier"]
_VERBS = ["load", "save", "validate", "compute", "render", "apply", "merge", "find", "update",
          "cancel", "refresh", "export"]


def _members(rng: random.Random, noun: str) -> list[tuple[str, str, str]]:
    """(method name, parameter name, other noun) for a class's methods."""
    return [(f"{rng.choice(_VERBS)}{rng.choice(_NOUNS)}{index}",
             rng.choice(["id", "name", "limit"]), rng.choice(_NOUNS))
            for index in range(rng.randint(4, 8))]


def typescript_source(lines: int, seed: int = 1) -> str:
    """Generated services and models with imports, interfaces, async methods and loops."""
    rng = random.Random(seed)
    out = ['import { Injectable } from "./di";', 'import type { Repository } from "./repo";', ""]
    for number in itertools.count():
        noun = f"{rng.choice(_NOUNS)}{number}"
        out += [f"export interface {noun}Data {{", "  id: string;", "  createdAt: Date;",
                "  total?: number;", "  tags: string[];", "}", "",
                "@Injectable()", f"export class {noun}Service {{",
                f"  private readonly cache = new Map<string, {noun}Data>();", "",
                f"  constructor(private readonly repo: Repository<{noun}Data>) {{}}", ""]
        for name, param, other in _members(rng, noun):
            out += [f"  async {name}({param}: string, options: {{ force?: boolean }} = {{}}): "
                    f"Promise<{noun}Data | undefined> {{",
                    f"    const cached = this.cache.get({param});",
                    "    if (cached && !options.force) {", "      return cached;", "    }",
                    f"    const rows = await this.repo.query(`select * from {other.lower()} "
                    f"where id = ${{{param}}}`);",
                    "    let total = 0;", "    for (const row of rows) {",
                    "      if (row.total === undefined) {", "        continue;", "      }",
                    "      total += row.total;", "    }",
                    "    try {", f"      const result = {{ ...rows[0], total }} as {noun}Data;",
                    f"      this.cache.set({param}, result);", "      return result;",
                    "    } catch (error) {", "      console.error(error);",
                    "      return undefined;", "    }", "  }", ""]
        out += ["}", ""]
        if len(out) >= lines:
            return "\n".join(out[:lines]) + "\n"
    raise AssertionError("unreachable")


def java_source(lines: int, seed: int = 2) -> str:
    """Generated package-private classes with fields, getters, loops and exception handling."""
    rng = random.Random(seed)
    out = ["package com.example.shop;", "", "import java.util.ArrayList;",
           "import java.util.HashMap;", "import java.util.List;", "import java.util.Map;", ""]
    for number in itertools.count():
        noun = f"{rng.choice(_NOUNS)}{number}"
        out += [f"class {noun} {{", "    private final Map<String, Integer> counts = "
                "new HashMap<>();", "    private final List<String> names = new ArrayList<>();",
                "    private int total;", "",
                f"    {noun}(int total) {{", "        this.total = total;", "    }", ""]
        for name, param, other in _members(rng, noun):
            out += [f"    public int {name}(String {param}, int limit) {{",
                    "        int sum = 0;", "        for (String item : names) {",
                    "            if (item.length() > limit) {", "                continue;",
                    "            }", "            sum += counts.getOrDefault(item, 0);",
                    "        }", "        try {",
                    f"            sum += Integer.parseInt({param});",
                    "        } catch (NumberFormatException e) {",
                    f"            System.err.println(\"bad {other.lower()}: \" + {param});",
                    "        }", "        return sum + total;", "    }", ""]
        out += ["}", ""]
        if len(out) >= lines:
            return "\n".join(out[:lines]) + "\n"
    raise AssertionError("unreachable")


# --- measurements ----------------------------------------------------------------------------

def start(command: list[str], root: Path, options: dict | None) -> tuple[Client, float]:
    client = Client(command, root)
    client.request("initialize", {
        "processId": os.getpid(), "rootUri": root.as_uri(),
        "capabilities": {"general": {"positionEncodings": ["utf-16"]},
                         "textDocument": {"publishDiagnostics": {"versionSupport": True}}},
        "initializationOptions": options})
    elapsed = (time.perf_counter() - client.started) * 1000
    client.notify("initialized", {})
    return client, elapsed


def open_and_edit(client: Client, path: Path, language: str, edits: int) -> dict[str, Any]:
    """didOpen → diagnostics, then `edits` one-character insertions spread over the file."""
    uri = path.as_uri()
    text = path.read_text(encoding="utf-8")
    began = time.perf_counter()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": language, "version": 1, "text": text}})
    first = client.diagnostics(uri, timeout=20)
    if first is None:
        return {"analyzed": False}
    opened = (first["_arrived"] - began) * 1000
    lines = text.splitlines()
    latencies: list[float] = []
    decoding: list[float] = []
    for version, index in enumerate(range(edits), start=2):
        line = (index * 9973) % len(lines)  # spread over the file, not in order
        at = {"line": line, "character": len(lines[line])}  # a trailing space: keeps the code
        began = time.perf_counter()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": at, "end": at}, "text": " "}]})
        lines[line] += " "
        answer = client.diagnostics(uri, version)
        if answer is None:
            raise RuntimeError(f"no diagnostics after edit {version} of {path.name}")
        latencies.append((answer["_arrived"] - began) * 1000)
        decoding.append((answer["_decoded"] - answer["_arrived"]) * 1000)
    return {"analyzed": True, "open": opened, "findings": len(first["params"]["diagnostics"]),
            "p50": statistics.median(latencies), "p95": percentile(latencies, 95),
            "decode": statistics.median(decoding)}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def run(lines: int, edits: int, with_ruff: bool) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="cpt-lsp-bench-"))
    files = {
        "python": (root / "big.py", python_source(lines)),
        "typescript": (root / "big.ts", typescript_source(lines)),
        "java": (root / "Big.java", java_source(lines)),
    }
    for path, text in files.values():
        path.write_text(text, encoding="utf-8")
    results: dict[str, Any] = {"lines": lines, "edits": edits}
    client, results["start"] = start([sys.executable, "-m", "cpt", "lsp"], root,
                                     # The edit path alone: the workspace index (built in
                                     # the background, benchmarks/index.py) is off.
                                     {"debounceMs": 0, "index": False})
    try:
        for language, (path, _) in files.items():
            results[language] = open_and_edit(client, path, language, edits)
        results["rss"] = client.rss_mb()  # right after the edits: the target's measure
        # Once typing has paused, the full analyses have replaced the carried-forward ones
        # (each holds its file's previous syntax tree until then).
        time.sleep(SETTLE_S + 1.0)
        results["rss_settled"] = client.rss_mb()
    finally:
        client.stop()
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if with_ruff and Path(ruff).exists():
        server, ruff_start = start([ruff, "server"], root, None)
        try:
            results["ruff"] = open_and_edit(server, files["python"][0], "python", edits)
            results["ruff"]["start"] = ruff_start
            results["ruff"]["rss"] = server.rss_mb()
        finally:
            server.stop()
    elif with_ruff:
        results["ruff_missing"] = True
    shutil.rmtree(root, ignore_errors=True)
    return results


def report(results: dict[str, Any]) -> None:
    print(f"cpt lsp benchmark: {results['lines']} lines per file, {results['edits']} edits, "
          f"debounceMs 0")
    print(f"{'file':<12}{'open→diag ms':>14}{'edit p50 ms':>13}{'edit p95 ms':>13}"
          f"{'findings':>10}{'client decode ms':>18}")
    edit_p50, edit_p95 = [], []
    for language in ("python", "typescript", "java"):
        row = results[language]
        if not row["analyzed"]:
            print(f"{language:<12}  not analyzed (no diagnostics within 20 s)")
            edit_p50.append(float("inf"))  # a file the server never answered misses every target
            edit_p95.append(float("inf"))
            continue
        edit_p50.append(row["p50"])
        edit_p95.append(row["p95"])
        print(f"{language:<12}{row['open']:>14.1f}{row['p50']:>13.2f}{row['p95']:>13.2f}"
              f"{row['findings']:>10}{row['decode']:>18.2f}")
    print(f"start → initialize result: {results['start']:.0f} ms; "
          f"RSS with the files open: {results['rss']:.1f} MB "
          f"({results['rss_settled']:.1f} MB once the analyses settled)")
    ruff = results.get("ruff")
    if ruff is not None and ruff.get("analyzed"):
        print(f"{'ruff python':<12}{ruff['open']:>14.1f}{ruff['p50']:>13.2f}{ruff['p95']:>13.2f}"
              f"{ruff['findings']:>10}{ruff['decode']:>18.2f}   start {ruff['start']:.0f} ms, "
              f"RSS {ruff['rss']:.1f} MB")
        python = results["python"]
        if python["analyzed"]:
            print("cpt / ruff (python): "
                  f"open {python['open'] / ruff['open']:.1f}x, "
                  f"edit p50 {python['p50'] / ruff['p50']:.1f}x, "
                  f"edit p95 {python['p95'] / ruff['p95']:.1f}x, "
                  f"start {results['start'] / ruff['start']:.1f}x, "
                  f"RSS {results['rss'] / ruff['rss']:.1f}x")
    elif results.get("ruff_missing"):
        print("ruff server: skipped (ruff is not installed; pip install ruff)")
    measured = {"edit p50": max(edit_p50, default=0.0), "edit p95": max(edit_p95, default=0.0),
                "start": results["start"], "rss": results["rss"]}
    print("edit = didChange sent until the updated diagnostics are read off the pipe; "
          "'client decode' is this\nPython client's json.loads of them afterwards (an editor's "
          "native JSON parser is faster).")
    units = {"edit p50": "ms", "edit p95": "ms", "start": "ms", "rss": "MB"}
    print("targets (worst file):")
    for name, limit in TARGETS.items():
        verdict = "met" if measured[name] <= limit else "MISSED"
        print(f"  {name:<9} {measured[name]:>8.1f} {units[name]} ≤ {limit:g} {units[name]}: "
              f"{verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: small files, few edits, no ruff")
    parser.add_argument("--lines", type=int, help="lines per file (default 5000; quick 300)")
    parser.add_argument("--edits", type=int, help="edits per file (default 50; quick 5)")
    args = parser.parse_args(argv)
    lines = args.lines or (300 if args.quick else 5000)
    edits = args.edits or (5 if args.quick else 50)
    report(run(lines, edits, with_ruff=not args.quick))
    return 0


if __name__ == "__main__":
    sys.exit(main())
