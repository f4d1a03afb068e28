import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

import { SECTION, SERVER_KEYS, serverOptions } from "../src/settings";

function reader(values: Record<string, unknown>) {
  return { get: <T>(key: string) => values[key] as T | undefined };
}

const manifest = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));
const declared: Record<string, { default?: unknown; markdownDescription?: string;
  description?: string }> = manifest.contributes.configuration.properties;

test("every server setting goes to the server with its value", () => {
  const options = serverOptions(reader({
    debounceMs: 300, codeLens: false, select: ["singleton"], ignore: ["magic-number"],
    severity: { "long-method": "info" }, thresholds: { "max-parameters": 6 }, logFile: "/tmp/l",
  }));
  assert.deepEqual(options, {
    debounceMs: 300, codeLens: false, select: ["singleton"], ignore: ["magic-number"],
    severity: { "long-method": "info" }, thresholds: { "max-parameters": 6 }, logFile: "/tmp/l",
  });
});

test("client-only settings never reach the server, which reports unknown keys", () => {
  const options = serverOptions(reader({
    path: "/usr/bin/cpt", trace: { server: "verbose" }, model: { enabled: true },
    knowledgeGraph: { enabled: true, endpoint: "https://kg" }, codeLens: true,
  }));
  assert.deepEqual(options, { codeLens: true });
});

test("unset settings are left out and an empty log file is none", () => {
  assert.deepEqual(serverOptions(reader({})), {});
  assert.deepEqual(serverOptions(reader({ logFile: "", select: null })),
    { logFile: null, select: null });
});

test("the defaults declared in package.json are the server's defaults", () => {
  const defaults = Object.fromEntries(SERVER_KEYS.map((key) => [key, declared[`${SECTION}.${key}`]?.default]));
  assert.deepEqual(serverOptions(reader(defaults)), {
    debounceMs: 150, settleMs: 400, codeLens: true, select: null, ignore: [], severity: {},
    thresholds: {}, logFile: null, index: true, indexPath: null,
  });
});

test("package.json declares every server setting", () => {
  for (const key of SERVER_KEYS) {
    assert.ok(`${SECTION}.${key}` in declared, `cpt.${key} is not declared`);
  }
});

test("settings of features to come say they are not active yet", () => {
  for (const key of ["cpt.model.enabled", "cpt.knowledgeGraph.enabled", "cpt.knowledgeGraph.endpoint"]) {
    const text = declared[key]?.markdownDescription ?? declared[key]?.description ?? "";
    assert.match(text, /not active yet/i, key);
  }
  assert.ok(!Object.keys(declared).some((key) => /token/i.test(key)),
    "a token must live in the secret storage, not in settings");
});

test("every contributed command is registered by the extension", () => {
  const source = readFileSync(path.join(__dirname, "..", "..", "src", "extension.ts"), "utf8");
  for (const { command } of manifest.contributes.commands as { command: string }[]) {
    assert.ok(source.includes(`"${command}"`), `${command} is not registered`);
  }
});
