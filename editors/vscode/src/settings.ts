/**
 * The `cpt` settings VS Code holds, turned into the options the server reads.
 *
 * The server takes exactly the keys of `SERVER_KEYS` (see server/lsp/configuration.py) and
 * reports any other key, so the client-only settings (`path`, `trace`, `model`,
 * `knowledgeGraph`) are left out here, both for initializationOptions and for the answers to
 * `workspace/configuration`. Values are passed as they are: the server validates them and
 * reports a bad one once, in one place.
 */

export const SECTION = "cpt";

export const SERVER_KEYS = [
  "debounceMs", "settleMs", "codeLens", "select", "ignore", "severity", "thresholds", "logFile",
  "index", "indexPath",
] as const;

export type ServerKey = (typeof SERVER_KEYS)[number];
export type ServerOptions = Partial<Record<ServerKey, unknown>>;

/** What this module needs of a `vscode.WorkspaceConfiguration`. */
export interface ConfigReader {
  get<T>(key: string): T | undefined;
}

/** The server's options from the `cpt` section; unset keys are left to the server's defaults. */
export function serverOptions(config: ConfigReader): ServerOptions {
  const options: ServerOptions = {};
  for (const key of SERVER_KEYS) {
    const value = config.get<unknown>(key);
    if (value === undefined) {
      continue;
    }
    // An empty log file path in the settings UI means "no log file".
    options[key] = key === "logFile" && value === "" ? null : value;
  }
  return options;
}
