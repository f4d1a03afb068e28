/** Element cards (the Markdown `cpt.explain` returns) shown in VS Code's Markdown preview. */

import * as vscode from "vscode";

export const SCHEME = "cpt-card";

/** What `cpt.explain` returns for a known element. */
export interface Explanation {
  card: { id: string; name?: string };
  markdown: string;
}

/** Read-only documents `cpt-card:/<id>.md`, so a card opens without an unsaved buffer. */
export class Cards implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? "";
  }

  async show(explanation: Explanation): Promise<void> {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${explanation.card.id}.md` });
    this.texts.set(uri.path, explanation.markdown);
    this.changed.fire(uri);
    try {
      await vscode.commands.executeCommand("markdown.showPreview", uri);
    } catch {
      // The built-in Markdown extension is disabled: show the source instead.
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { preview: true });
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function isExplanation(value: unknown): value is Explanation {
  const candidate = value as Explanation | null | undefined;
  return typeof candidate?.markdown === "string" && typeof candidate.card?.id === "string";
}
