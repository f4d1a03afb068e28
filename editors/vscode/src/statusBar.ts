/** The status bar item: the server's state and the number of findings VS Code holds. */

import * as vscode from "vscode";

import { ServerManager, ServerState } from "./server";
import { describe } from "./serverCommand";
import { countFindings } from "./table";

const ICONS: Record<ServerState, string> = {
  starting: "$(sync~spin)",
  running: "$(symbol-constant)",
  stopped: "$(debug-stop)",
  failed: "$(error)",
};

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    "cpt.status", vscode.StatusBarAlignment.Left, 0);
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer?: NodeJS.Timeout;
  private findings = 0;
  /** The last workspace scan's summary line, for the tooltip. */
  lastScan?: string;

  constructor(private readonly server: ServerManager) {
    this.item.name = "Code Periodic Table";
    this.subscriptions.push(
      server.onDidChangeState(() => this.render()),
      vscode.languages.onDidChangeDiagnostics(() => this.schedule()),
    );
    this.count();
    this.item.show();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.item.dispose();
  }

  /** Diagnostics change in bursts while typing and scanning: count once per burst. */
  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.count(), 300);
  }

  private count(): void {
    this.findings = countFindings(
      vscode.languages.getDiagnostics().flatMap(([, diagnostics]) => diagnostics));
    this.render();
  }

  private render(): void {
    const state = this.server.state;
    const running = state === "running";
    this.item.text = running
      ? `${ICONS[state]} CPT ${this.findings}` : `${ICONS[state]} CPT ${state}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**Code Periodic Table**: server ${state}`);
    if (this.server.started !== undefined) {
      tooltip.appendMarkdown(" (");
      tooltip.appendText(describe(this.server.started));
      tooltip.appendMarkdown(")");
    }
    tooltip.appendMarkdown(`\n\n${this.findings} finding${this.findings === 1 ? "" : "s"} `
      + "in the files VS Code has diagnostics for");
    if (this.lastScan !== undefined) {
      tooltip.appendMarkdown("\n\nLast scan: ");
      tooltip.appendText(this.lastScan);
    }
    tooltip.appendMarkdown(running ? "\n\nClick to show the periodic table." : "\n\nClick to show the output.");
    this.item.tooltip = tooltip;
    this.item.command = running ? "cpt.vscode.showTable" : "cpt.vscode.showOutput";
    this.item.backgroundColor = state === "failed"
      ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
  }

  refresh(): void {
    this.render();
  }
}
