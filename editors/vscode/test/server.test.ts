// Against the real `cpt lsp` when one can be found: the options this extension sends are all
// accepted, and `cpt.showTable` returns what the table panel renders.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
// vscode-jsonrpc comes with vscode-languageclient; the client itself needs VS Code to load.
import {
  createMessageConnection, StreamMessageReader, StreamMessageWriter,
} from "vscode-jsonrpc/node";

import { candidates, findOnPath, firstWorking, serverArgs } from "../src/serverCommand";
import { serverOptions } from "../src/settings";
import { elementDetails, renderGrid, TableData } from "../src/table";

async function resolve() {
  const inputs = { cptPath: process.env.CPT_PATH, cptOnPath: await findOnPath("cpt", process.env.PATH) };
  return (await firstWorking(candidates(inputs))).candidate;
}

test("the server accepts the extension's options and returns the table", { timeout: 20000 }, async (t) => {
  const candidate = await resolve();
  if (candidate === undefined) {
    t.skip("no cpt on PATH (or CPT_PATH)");
    return;
  }
  const child = spawn(candidate.command, serverArgs(candidate), { stdio: "pipe" });
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const warnings: string[] = [];
  const settings = {
    debounceMs: 50, codeLens: true, select: null, ignore: ["long-method"], severity: {},
    thresholds: { "max-parameters": 6 }, logFile: null,
    path: "", model: { enabled: false }, knowledgeGraph: { enabled: false, endpoint: "" },
  };
  const options = serverOptions({ get: <T>(key: string) => (settings as Record<string, unknown>)[key] as T });
  connection.onNotification("window/logMessage", (params: { type: number; message: string }) => {
    if (params.type <= 2) {
      warnings.push(params.message);
    }
  });
  const configured = new Promise<void>((done) => {
    connection.onRequest("workspace/configuration", () => {
      setImmediate(done);
      return [options];
    });
  });
  connection.onRequest("client/registerCapability", () => null);
  connection.listen();
  try {
    await connection.sendRequest("initialize", {
      processId: process.pid, rootUri: null, initializationOptions: options,
      capabilities: { workspace: { configuration: true } },
    });
    await connection.sendNotification("initialized", {});
    await configured;
    const table = await connection.sendRequest("workspace/executeCommand",
      { command: "cpt.showTable", arguments: [] }) as TableData;
    assert.ok(table.groups.length > 0 && table.periods.length > 0);
    assert.ok(table.elements.some((element) => element.id === "singleton"));
    assert.match(renderGrid(table), /data-element="singleton"/);
    assert.equal(elementDetails(table, (uri) => uri).length, table.elements.length);
    assert.deepEqual(warnings.filter((message) => /setting/.test(message)), []);
    await connection.sendRequest("shutdown");
    await connection.sendNotification("exit");
  } finally {
    connection.dispose();
    child.kill();
  }
});
