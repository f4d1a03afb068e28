import assert from "node:assert/strict";
import { test } from "node:test";

import {
  countFindings, elementDetails, escapeHtml, renderGrid, renderPage, scriptJson, TableData,
} from "../src/table";

// The shape `cpt.showTable` returns (server/lsp/commands.py, workspace_table).
const DATA: TableData = {
  groups: ["creational", "security"],
  periods: [{ period: 1, name: "expression / statement" }, { period: 3, name: "class" }],
  elements: [
    { id: "singleton", symbol: "Sg", name: "Singleton", group: "creational", period: 3,
      severity: "info", summary: "One instance.", is_pattern: true, count: 0, occurrences: [] },
    { id: "sql-injection", symbol: "Sq", name: "SQL <Injection>", group: "security", period: 1,
      severity: "error", summary: "Query built from input.", is_pattern: false, count: 2,
      occurrences: [
        { uri: "file:///ws/b.py", range: { start: { line: 9, character: 4 },
          end: { line: 9, character: 20 } } },
        { uri: "file:///ws/a.py", range: { start: { line: 0, character: 0 },
          end: { line: 0, character: 5 } } },
      ] },
  ],
};

test("each element is a tile in the cell of its group and period", () => {
  const html = renderGrid(DATA);
  const rows = html.split("<tr>").slice(1);
  assert.equal(rows.length, 3, "a header row and one row per period");
  assert.match(rows[0], /creational.*security/);
  const statementCells = rows[1].split("<td>").slice(1);
  assert.doesNotMatch(statementCells[0], /data-element/);
  assert.match(statementCells[1], /data-element="sql-injection"/);
  assert.match(rows[2].split("<td>")[1], /data-element="singleton"/);
  assert.match(html, /class="tile severity-error found"[^>]*>.*?<span class="count">2</);
  assert.match(html, /class="tile severity-info none"/);
});

test("text from the server is escaped", () => {
  assert.match(renderGrid(DATA), /SQL &lt;Injection&gt;/);
  assert.equal(escapeHtml(`<a href="x">'&'</a>`),
    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  assert.equal(scriptJson({ text: "</script><script>" }),
    '{"text":"\\u003c/script>\\u003cscript>"}');
});

test("occurrences are listed by path and 1-based line and column", () => {
  const details = elementDetails(DATA, (uri) => uri.replace("file:///ws/", ""));
  const sql = details.find((item) => item.id === "sql-injection");
  assert.deepEqual(sql?.occurrences, [
    { label: "a.py:1:1", uri: "file:///ws/a.py", line: 0, character: 0 },
    { label: "b.py:10:5", uri: "file:///ws/b.py", line: 9, character: 4 },
  ]);
});

test("the page allows only its own script and style", () => {
  const page = renderPage(DATA, elementDetails(DATA, (uri) => uri), {
    cspSource: "vscode-webview:", nonce: "abc123", scriptUri: "vscode-webview:/table.js",
    styleUri: "vscode-webview:/table.css",
  });
  assert.match(page, /default-src 'none'; style-src vscode-webview:; script-src 'nonce-abc123';/);
  assert.match(page, /<script nonce="abc123" src="vscode-webview:\/table.js">/);
  assert.match(page, /2 occurrences in open and scanned files/);
  const data = page.match(/<script type="application\/json" id="cpt-data"[^>]*>(.*?)<\/script>/s);
  assert.equal(JSON.parse(data?.[1] ?? "").length, 2);
});

test("findings are the server's diagnostics without its config-file errors", () => {
  assert.equal(countFindings([
    { source: "cpt", code: "singleton" },
    { source: "cpt", code: { value: "long-method", target: "x" } },
    { source: "cpt", code: "config-error" },
    { source: "pylint", code: "C0103" },
  ]), 2);
});
