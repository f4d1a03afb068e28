/** Start, stop and restart `cpt lsp`, choosing how to run it (see serverCommand.ts). */

import * as vscode from "vscode";
import {
  ExecuteCommandRequest, LanguageClient, LanguageClientOptions, Middleware, State,
} from "vscode-languageclient/node";

import { selectedInterpreter } from "./python";
import {
  Candidate, candidates, describe, expandPath, failureMessage, findOnPath, firstWorking, HOME,
  Inputs, missingSources, serverArgs, SOURCE_LABELS,
} from "./serverCommand";
import { SECTION, serverOptions } from "./settings";

export const LANGUAGES = [
  "python", "javascript", "javascriptreact", "typescript", "typescriptreact", "java", "go",
];

export type ServerState = "starting" | "running" | "stopped" | "failed";

/** A command of the server was asked for while no server is running. */
export class NotRunning extends Error {}

export class ServerManager implements vscode.Disposable {
  client?: LanguageClient;
  state: ServerState = "stopped";
  /** How the running server was started, e.g. `/usr/bin/python3 -m cpt lsp`. */
  started?: Candidate;
  private readonly changed = new vscode.EventEmitter<ServerState>();
  readonly onDidChangeState = this.changed.event;
  private starting?: Promise<void>;

  constructor(
    private readonly output: vscode.OutputChannel,
    private readonly middleware: Middleware,
  ) {}

  /** Start the server; when no way works, say why in a notification with what to do. */
  start(): Promise<void> {
    this.starting ??= this.startOnce().finally(() => { this.starting = undefined; });
    return this.starting;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.started = undefined;
    if (client !== undefined) {
      try {
        await client.stop();
      } catch (error) {
        this.log(`stopping the server: ${String(error)}`);
      }
      await client.dispose().catch(() => undefined);
    }
    this.setState("stopped");
  }

  /** Run a command of the server directly (not through the command middleware). */
  async executeCommand<T>(command: string, ...args: unknown[]): Promise<T> {
    if (this.client === undefined || this.state !== "running") {
      throw new NotRunning("the cpt language server is not running");
    }
    return this.client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }) as
      Promise<T>;
  }

  dispose(): void {
    void this.stop();
    this.changed.dispose();
  }

  private async startOnce(): Promise<void> {
    if (this.client !== undefined) {
      return;
    }
    this.setState("starting");
    const folder = vscode.workspace.workspaceFolders?.[0];
    const config = vscode.workspace.getConfiguration(SECTION, folder);
    const python = await selectedInterpreter(folder?.uri);
    const inputs: Inputs = {
      cptPath: expandPath(config.get<string>("path") ?? "", HOME, folder?.uri.fsPath) || undefined,
      pythonInterpreter: python.interpreter,
      cptOnPath: await findOnPath("cpt", process.env.PATH),
    };
    const { candidate, failures } = await firstWorking(candidates(inputs));
    for (const failure of failures) {
      this.log(`${SOURCE_LABELS[failure.source]} does not work: ${failure.reason}`);
    }
    if (candidate === undefined) {
      this.fail([...failures, ...missingSources(inputs, python.note)], python.interpreter);
      return;
    }
    if (failures.some((failure) => failure.source === "setting")) {
      void vscode.window.showWarningMessage(
        `cpt.path does not work (${failures[0].reason}); using ${describe(candidate)} instead.`,
        "Open Settings",
      ).then((choice) => choice && openSetting("cpt.path"));
    }
    this.log(`starting ${describe(candidate)} (${SOURCE_LABELS[candidate.source]})`);
    const client = new LanguageClient("cpt", "Code Periodic Table", {
      command: candidate.command,
      args: serverArgs(candidate),
      options: { cwd: folder?.uri.fsPath },
    }, this.clientOptions());
    client.onDidChangeState((event) => {
      if (this.client !== client) {
        return;
      }
      if (event.newState === State.Running) {
        this.setState("running");
      } else if (event.newState === State.Starting) {
        this.setState("starting");
      } else {
        this.setState("stopped");
      }
    });
    this.client = client;
    this.started = candidate;
    try {
      await client.start();
    } catch (error) {
      this.log(`the server did not start: ${String(error)}`);
      this.setState("failed");
      const choice = await vscode.window.showErrorMessage(
        `The cpt language server (${describe(candidate)}) did not start: ${String(error)}`,
        "Show Output", "Restart Server");
      if (choice === "Show Output") {
        this.output.show();
      } else if (choice === "Restart Server") {
        void this.restart();
      }
    }
  }

  private clientOptions(): LanguageClientOptions {
    const forServer = this.middleware;
    return {
      documentSelector: LANGUAGES.flatMap((language) => [
        { scheme: "file", language }, { scheme: "untitled", language }]),
      initializationOptions: serverOptions(vscode.workspace.getConfiguration(SECTION)),
      outputChannel: this.output,
      middleware: {
        ...forServer,
        workspace: {
          // Answer the server's `workspace/configuration` with only the keys it knows.
          configuration: async (params, token, next) => {
            const answer = await next(params, token);
            if (!Array.isArray(answer)) {
              return answer;
            }
            return answer.map((value, index) => {
              const item = params.items[index];
              if (item?.section !== SECTION) {
                return value;
              }
              const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
              return serverOptions(vscode.workspace.getConfiguration(SECTION, scope));
            });
          },
        },
      },
    };
  }

  private fail(failures: Parameters<typeof failureMessage>[0], interpreter?: string): void {
    this.setState("failed");
    const message = failureMessage(failures);
    this.log(message);
    const actions = ["Open Settings", "Show Output"];
    if (vscode.extensions.getExtension("ms-python.python") !== undefined) {
      actions.unshift("Select Interpreter");
    }
    if (interpreter !== undefined) {
      actions.unshift("Install in Terminal");
    }
    void vscode.window.showErrorMessage(message, ...actions).then((choice) => {
      if (choice === "Open Settings") {
        openSetting("cpt.path");
      } else if (choice === "Show Output") {
        this.output.show();
      } else if (choice === "Select Interpreter") {
        void vscode.commands.executeCommand("python.setInterpreter");
      } else if (choice === "Install in Terminal" && interpreter !== undefined) {
        const terminal = vscode.window.createTerminal("Install cpt");
        terminal.show();
        // Shown, not run: the user sees the command and presses Enter themselves.
        terminal.sendText(`"${interpreter}" -m pip install code-periodic-table`, false);
      }
    });
  }

  private setState(state: ServerState): void {
    if (this.state !== state) {
      this.state = state;
      this.changed.fire(state);
    }
  }

  private log(message: string): void {
    this.output.appendLine(`[client] ${message}`);
  }
}

function openSetting(key: string): void {
  void vscode.commands.executeCommand("workbench.action.openSettings", key);
}
