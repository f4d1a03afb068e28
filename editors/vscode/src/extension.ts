/**
 * The Code Periodic Table extension: starts `cpt lsp`, and adds its commands, a status bar
 * item and the periodic table panel.
 *
 * The language client registers the server's own commands (`cpt.explain`, `cpt.scanWorkspace`,
 * `cpt.showTable`) as VS Code commands that only return data, so the commands of this
 * extension have ids of their own (`cpt.vscode.*`) and show what the server returns; the
 * command middleware does the same for the server's commands run from a code lens.
 */

import * as vscode from "vscode";
import { Middleware } from "vscode-languageclient/node";

import { Cards, isExplanation, SCHEME } from "./cards";
import { onInterpreterChange } from "./python";
import { NotRunning, ServerManager } from "./server";
import { StatusBar } from "./statusBar";
import { TableData } from "./table";
import { TablePanel } from "./tablePanel";

export const COMMANDS = {
  explain: "cpt.vscode.explain",
  scanWorkspace: "cpt.vscode.scanWorkspace",
  showTable: "cpt.vscode.showTable",
  restartServer: "cpt.vscode.restartServer",
  showOutput: "cpt.vscode.showOutput",
  setKnowledgeGraphToken: "cpt.vscode.setKnowledgeGraphToken",
} as const;

const SERVER = { explain: "cpt.explain", scan: "cpt.scanWorkspace", table: "cpt.showTable" };
const TOKEN_KEY = "cpt.knowledgeGraph.token";

interface ScanSummary {
  files: number;
  findings: number;
  skipped: number;
  cancelled: boolean;
  total: number;
}

let manager: ServerManager | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("Code Periodic Table");
  const cards = new Cards();
  const middleware: Middleware = {
    // A code lens runs the server's `cpt.explain`: show the card it returns.
    executeCommand: async (command, args, next) => {
      const result = await next(command, args);
      if (command === SERVER.explain && isExplanation(result)) {
        await cards.show(result);
      }
      return result;
    },
  };
  const server = manager = new ServerManager(output, middleware);
  const statusBar = new StatusBar(server);

  const explain = async (id?: unknown) => {
    const element = typeof id === "string" && id ? id : await pickElement(server);
    if (element === undefined) {
      return;
    }
    const result = await server.executeCommand<unknown>(SERVER.explain, element);
    if (isExplanation(result)) {
      await cards.show(result);
    } else {
      void vscode.window.showWarningMessage(`No element "${element}" in the periodic table.`);
    }
  };
  const scan = async () => {
    const summary = await server.executeCommand<ScanSummary>(SERVER.scan);
    statusBar.lastScan = `${summary.files} files, ${summary.findings} findings`
      + (summary.skipped ? `, ${summary.skipped} skipped` : "")
      + (summary.cancelled ? " (cancelled)" : "");
    statusBar.refresh();
    await panel.refresh();
    const choice = await vscode.window.showInformationMessage(
      `Code Periodic Table scanned ${statusBar.lastScan}.`, "Show Periodic Table");
    if (choice) {
      await panel.show();
    }
  };
  const panel = new TablePanel(context.extensionUri, server, {
    explain: (id) => guard(server, () => explain(id)),
    scan: () => guard(server, scan),
  });

  context.subscriptions.push(
    output, cards, server, statusBar, panel,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, cards),
    vscode.commands.registerCommand(COMMANDS.explain, (id?: unknown) => guard(server, () => explain(id))),
    vscode.commands.registerCommand(COMMANDS.scanWorkspace, () => guard(server, scan)),
    vscode.commands.registerCommand(COMMANDS.showTable, () => guard(server, () => panel.show())),
    vscode.commands.registerCommand(COMMANDS.restartServer, () => server.restart()),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => output.show()),
    vscode.commands.registerCommand(COMMANDS.setKnowledgeGraphToken,
      () => setKnowledgeGraphToken(context.secrets)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // The server re-reads its own settings; how it is started is the client's business.
      if (event.affectsConfiguration("cpt.path")) {
        void server.restart();
      }
    }),
  );
  // A server that could not start, or runs in the old interpreter, follows the new selection.
  context.subscriptions.push(await onInterpreterChange(() => {
    if (server.state === "failed" || server.started?.source === "python") {
      void server.restart();
    }
  }));
  await server.start();
}

export async function deactivate(): Promise<void> {
  await manager?.stop();
  manager = undefined;
}

/** Run a command that needs the server; when it is not running, say so with what to do. */
async function guard(server: ServerManager, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const message = error instanceof NotRunning
      ? `Code Periodic Table: the cpt language server is ${server.state}.`
      : `Code Periodic Table: ${error instanceof Error ? error.message : String(error)}`;
    const choice = await vscode.window.showErrorMessage(message, "Restart Server", "Show Output");
    if (choice === "Restart Server") {
      await vscode.commands.executeCommand(COMMANDS.restartServer);
    } else if (choice === "Show Output") {
      await vscode.commands.executeCommand(COMMANDS.showOutput);
    }
  }
}

/** The element under the cursor when there is one finding there, else the user's choice. */
async function pickElement(server: ServerManager): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const here = editor === undefined ? [] : vscode.languages.getDiagnostics(editor.document.uri)
    .filter((diagnostic) => diagnostic.source === "cpt"
      && diagnostic.range.contains(editor.selection.active))
    .map((diagnostic) => String(typeof diagnostic.code === "object"
      ? diagnostic.code.value : diagnostic.code));
  const atCursor = [...new Set(here)];
  if (atCursor.length === 1) {
    return atCursor[0];
  }
  const table = await server.executeCommand<TableData>(SERVER.table);
  const items = table.elements.map((element) => ({
    label: `${element.symbol}  ${element.name}`,
    description: `${element.id} · ${element.group} · ${element.count} found`,
    detail: element.summary,
    id: element.id,
    picked: atCursor.includes(element.id),
  })).sort((a, b) => Number(b.picked) - Number(a.picked));
  const choice = await vscode.window.showQuickPick(items, {
    title: "Explain element", placeHolder: "Element id, symbol or name", matchOnDescription: true,
    matchOnDetail: true,
  });
  return choice?.id;
}

/** Keep the knowledge-graph token in the secret storage, ready for when that feature lands. */
async function setKnowledgeGraphToken(secrets: vscode.SecretStorage): Promise<void> {
  const token = await vscode.window.showInputBox({
    title: "Knowledge-graph token (not active yet)",
    prompt: "Stored in VS Code's secret storage, never in settings. Empty removes it.",
    password: true, ignoreFocusOut: true,
  });
  if (token === undefined) {
    return;
  }
  if (token) {
    await secrets.store(TOKEN_KEY, token);
  } else {
    await secrets.delete(TOKEN_KEY);
  }
  void vscode.window.showInformationMessage(token
    ? "Knowledge-graph token stored. The knowledge graph is not active yet in this version."
    : "Knowledge-graph token removed.");
}
