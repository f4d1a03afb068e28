/** The webview panel with the workspace's periodic table (the data of `cpt.showTable`). */

import { randomBytes } from "node:crypto";
import * as vscode from "vscode";

import { ServerManager } from "./server";
import { elementDetails, renderGrid, renderPage, renderSummary, TableData } from "./table";

const SHOW_TABLE = "cpt.showTable";

/** What the webview script asks for (see media/table.js). */
type Message =
  | { type: "open"; uri: string; line: number; character: number }
  | { type: "explain"; id: string }
  | { type: "refresh" }
  | { type: "scan" };

export class TablePanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly server: ServerManager,
    private readonly commands: { explain(id: string): unknown; scan(): unknown },
  ) {
    // Keep an open table current as findings change.
    this.subscriptions.push(vscode.languages.onDidChangeDiagnostics(() => {
      if (this.panel?.visible) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.refresh(), 1000);
      }
    }));
  }

  /** Open the panel (or bring it forward) with fresh data. */
  async show(): Promise<void> {
    const data = await this.server.executeCommand<TableData>(SHOW_TABLE);
    if (this.panel === undefined) {
      const media = vscode.Uri.joinPath(this.extensionUri, "media");
      this.panel = vscode.window.createWebviewPanel(
        "cpt.table", "Code Periodic Table", vscode.ViewColumn.Beside,
        { enableScripts: true, localResourceRoots: [media], retainContextWhenHidden: true });
      this.panel.onDidDispose(() => { this.panel = undefined; });
      this.panel.webview.onDidReceiveMessage((message: Message) => this.receive(message).catch(
        (error) => vscode.window.showErrorMessage(`Code Periodic Table: ${String(error)}`)));
      const webview = this.panel.webview;
      this.panel.webview.html = renderPage(data, this.details(data), {
        cspSource: webview.cspSource,
        nonce: randomBytes(16).toString("hex"),
        scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, "table.js")).toString(),
        styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, "table.css")).toString(),
      });
    } else {
      this.update(data);
    }
    this.panel.reveal(undefined, true);
  }

  /** Fetch the table again when the panel is open; a stopped server leaves it as it is. */
  async refresh(): Promise<void> {
    if (this.panel === undefined || this.server.state !== "running") {
      return;
    }
    this.update(await this.server.executeCommand<TableData>(SHOW_TABLE));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.panel?.dispose();
  }

  private update(data: TableData): void {
    const total = data.elements.reduce((sum, element) => sum + element.count, 0);
    void this.panel?.webview.postMessage({
      type: "update", grid: renderGrid(data), summary: renderSummary(total),
      details: this.details(data),
    });
  }

  private details(data: TableData) {
    return elementDetails(data,
      (uri) => vscode.workspace.asRelativePath(vscode.Uri.parse(uri), true));
  }

  private async receive(message: Message): Promise<void> {
    if (message.type === "open") {
      const position = new vscode.Position(message.line, message.character);
      await vscode.window.showTextDocument(vscode.Uri.parse(message.uri), {
        viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(position, position),
      });
    } else if (message.type === "explain") {
      await this.commands.explain(message.id);
    } else if (message.type === "refresh") {
      await this.refresh();
    } else if (message.type === "scan") {
      await this.commands.scan();
    }
  }
}
