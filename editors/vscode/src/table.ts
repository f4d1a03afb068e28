/**
 * The workspace's periodic table (the data `cpt.showTable` returns) rendered as HTML for the
 * webview: groups are columns, periods are rows, each element a tile with its count of
 * occurrences. Pure functions, unit tested in node; the webview script only handles clicks.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Occurrence {
  uri: string;
  range: { start: Position; end: Position };
}

export interface TableElement {
  id: string;
  symbol: string;
  name: string;
  group: string;
  period: number;
  severity: string;
  summary: string;
  is_pattern: boolean;
  count: number;
  occurrences: Occurrence[];
}

export interface TableData {
  groups: string[];
  periods: { period: number; name: string }[];
  elements: TableElement[];
}

/** One occurrence as the webview lists it: a label and where to open it. */
export interface OccurrenceItem {
  label: string;
  uri: string;
  line: number;
  character: number;
}

/** What the webview script needs to list an element's occurrences when it is clicked. */
export interface ElementDetails {
  id: string;
  symbol: string;
  name: string;
  severity: string;
  summary: string;
  occurrences: OccurrenceItem[];
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/** The details of every element, occurrences labelled `path:line:column` (1-based). */
export function elementDetails(
  data: TableData,
  relativePath: (uri: string) => string,
): ElementDetails[] {
  return data.elements.map((element) => ({
    id: element.id,
    symbol: element.symbol,
    name: element.name,
    severity: element.severity,
    summary: element.summary,
    occurrences: element.occurrences.map((occurrence) => {
      const { line, character } = occurrence.range.start;
      return {
        label: `${relativePath(occurrence.uri)}:${line + 1}:${character + 1}`,
        uri: occurrence.uri,
        line,
        character,
      };
    }).sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true })),
  }));
}

/** The grid of tiles: a header row of groups, then one row per period. */
export function renderGrid(data: TableData): string {
  const rows: string[] = [];
  const header = data.groups.map((group) => `<th scope="col">${escapeHtml(group)}</th>`);
  rows.push(`<tr><th></th>${header.join("")}</tr>`);
  for (const { period, name } of data.periods) {
    const cells = data.groups.map((group) => {
      const tiles = data.elements
        .filter((element) => element.group === group && element.period === period)
        .map(renderTile);
      return `<td>${tiles.join("")}</td>`;
    });
    rows.push(`<tr><th scope="row"><span class="period">${period}</span> `
      + `${escapeHtml(name)}</th>${cells.join("")}</tr>`);
  }
  return `<table class="grid">${rows.join("")}</table>`;
}

function renderTile(element: TableElement): string {
  const classes = ["tile", `severity-${element.severity}`, element.count ? "found" : "none"];
  const title = `${element.name} (${element.id}): ${element.summary}`;
  return `<button class="${escapeHtml(classes.join(" "))}" data-element="${escapeHtml(element.id)}"`
    + ` title="${escapeHtml(title)}">`
    + `<span class="count">${element.count || ""}</span>`
    + `<span class="symbol">${escapeHtml(element.symbol)}</span>`
    + `<span class="name">${escapeHtml(element.name)}</span></button>`;
}

/** JSON that is safe inside a `<script>` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export interface PageResources {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

/** The whole webview page: the grid, a details pane, and the data the script reads. */
export function renderPage(data: TableData, details: ElementDetails[],
  resources: PageResources): string {
  const { cspSource, nonce, scriptUri, styleUri } = resources;
  const total = data.elements.reduce((sum, element) => sum + element.count, 0);
  const csp = `default-src 'none'; style-src ${cspSource}; script-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(styleUri)}">
<title>Code Periodic Table</title>
</head>
<body>
<header>
<span id="summary">${renderSummary(total)}</span>
<button id="refresh">Refresh</button>
<button id="scan">Scan workspace</button>
</header>
<main id="grid">${renderGrid(data)}</main>
<section id="details" aria-live="polite"><p class="hint">Click an element to list its occurrences.</p></section>
<script type="application/json" id="cpt-data" nonce="${nonce}">${scriptJson(details)}</script>
<script nonce="${nonce}" src="${escapeHtml(scriptUri)}"></script>
</body>
</html>`;
}

export function renderSummary(total: number): string {
  return `${total} occurrence${total === 1 ? "" : "s"} in open and scanned files`;
}

/** Findings among a list of diagnostics: the server's, without its config-file errors. */
export function countFindings(diagnostics: Iterable<{ source?: string; code?: unknown }>): number {
  let count = 0;
  for (const diagnostic of diagnostics) {
    const code = typeof diagnostic.code === "object" && diagnostic.code !== null
      ? (diagnostic.code as { value?: unknown }).value : diagnostic.code;
    if (diagnostic.source === "cpt" && code !== "config-error") {
      count += 1;
    }
  }
  return count;
}
