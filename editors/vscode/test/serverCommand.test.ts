import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

import {
  Candidate, candidates, describe, expandPath, failureMessage, findOnPath, firstWorking,
  missingSources, probe, serverArgs,
} from "../src/serverCommand";

test("the cpt.path setting, then the Python interpreter, then cpt on PATH", () => {
  const found = candidates({
    cptPath: "/opt/cpt", pythonInterpreter: "/venv/bin/python", cptOnPath: "/usr/bin/cpt",
  });
  assert.deepEqual(found.map((candidate) => candidate.source), ["setting", "python", "path"]);
  assert.deepEqual(serverArgs(found[0]), ["lsp", "--stdio"]);
  assert.deepEqual(serverArgs(found[1]), ["-m", "cpt", "lsp", "--stdio"]);
  assert.equal(describe(found[1]), "/venv/bin/python -m cpt lsp");
});

test("a source with nothing is not a candidate", () => {
  assert.deepEqual(candidates({ cptOnPath: "/usr/bin/cpt" }),
    [{ source: "path", command: "/usr/bin/cpt", prefix: [] }]);
  assert.deepEqual(candidates({}), []);
});

test("the first candidate that answers is chosen, earlier failures are kept", async () => {
  const found = candidates({ cptPath: "/bad/cpt", pythonInterpreter: "/venv/bin/python",
    cptOnPath: "/usr/bin/cpt" });
  const asked: string[] = [];
  const result = await firstWorking(found, async (candidate: Candidate) => {
    asked.push(candidate.source);
    return candidate.source === "setting" ? "not found" : undefined;
  });
  assert.equal(result.candidate?.source, "python");
  assert.deepEqual(asked, ["setting", "python"]);
  assert.deepEqual(result.failures, [{ source: "setting", reason: "/bad/cpt lsp: not found" }]);
});

test("when nothing works, the message names every source and what to do", async () => {
  const inputs = { pythonInterpreter: "/venv/bin/python" };
  const { candidate, failures } = await firstWorking(candidates(inputs),
    async () => "No module named cpt");
  assert.equal(candidate, undefined);
  const message = failureMessage([...failures, ...missingSources(inputs, "unused")]);
  assert.match(message, /cpt\.path setting: cpt\.path is not set/);
  assert.match(message, /selected Python interpreter: \/venv\/bin\/python -m cpt lsp: No module named cpt/);
  assert.match(message, /cpt on PATH: no cpt executable on PATH/);
  assert.match(message, /pip install code-periodic-table/);
  assert.ok(message.indexOf("cpt.path setting") < message.indexOf("Python interpreter"));
});

test("without the Python extension the message says so", () => {
  const missing = missingSources({}, "the Python extension is not installed");
  assert.match(failureMessage(missing), /Python extension is not installed/);
});

test("cpt is looked up on PATH, with PATHEXT on Windows", async () => {
  const files = new Set(["/b/cpt", "C:\\tools\\cpt.EXE"]);
  const exists = async (file: string) => files.has(file);
  assert.equal(await findOnPath("cpt", "/a::/b:/c", "linux", exists), "/b/cpt");
  assert.equal(await findOnPath("cpt", "/a", "linux", exists), undefined);
  assert.equal(await findOnPath("cpt", undefined, "linux", exists), undefined);
  assert.equal(await findOnPath("cpt", "C:\\bin;C:\\tools", "win32", exists, ".COM;.EXE"),
    "C:\\tools\\cpt.EXE");
});

test("cpt.path expands ~ and ${workspaceFolder}; a relative path is from the folder", () => {
  assert.equal(expandPath("~/bin/cpt", "/home/me"), path.join("/home/me", "bin/cpt"));
  assert.equal(expandPath("${workspaceFolder}/.venv/bin/cpt", "/h", "/ws"), "/ws/.venv/bin/cpt");
  assert.equal(expandPath(".venv/bin/cpt", "/h", "/ws"), path.join("/ws", ".venv/bin/cpt"));
  assert.equal(expandPath("cpt", "/h", "/ws"), "cpt");
  assert.equal(expandPath("  ", "/h", "/ws"), "");
});

test("the probe runs `lsp --version` and reports why a command does not work",
  { skip: process.platform === "win32" ? "shell scripts" : false }, async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "cpt-probe-"));
    const script = (name: string, body: string) => {
      const file = path.join(folder, name);
      writeFileSync(file, `#!/bin/sh\n${body}\n`);
      chmodSync(file, 0o755);
      return file;
    };
    const good = script("good", '[ "$1 $2" = "lsp --version" ] && echo "cpt 0.1.0"');
    const old = script("old", "echo \"cpt: error: invalid choice: 'lsp'\" >&2; exit 2");
    const data = path.join(folder, "data");
    writeFileSync(data, "");
    assert.equal(await probe({ source: "path", command: good, prefix: [] }), undefined);
    assert.equal(await probe({ source: "path", command: old, prefix: [] }),
      "cpt: error: invalid choice: 'lsp'");
    assert.match(String(await probe({ source: "setting", command: path.join(folder, "none"),
      prefix: [] })), /was not found/);
    assert.match(String(await probe({ source: "setting", command: data, prefix: [] })),
      /not executable/);
    // A Python without cpt installed: the interpreter runs, the module is missing.
    const python = script("python", '[ "$1 $2" = "-m cpt" ] && { echo "No module named cpt" >&2; exit 1; }');
    assert.equal(await probe({ source: "python", command: python, prefix: ["-m", "cpt"] }),
      "No module named cpt");
  });
