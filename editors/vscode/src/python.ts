/** The interpreter the user selected in the Python extension, when it is installed. */

import * as vscode from "vscode";

const PYTHON_EXTENSION = "ms-python.python";

// The few members of the Python extension's API used here (its `environments` API, and the
// older `settings.getExecutionDetails` for versions that predate it).
interface PythonApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string };
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
    resolveEnvironment(env: { path: string }): Promise<
      { executable: { uri?: vscode.Uri } } | undefined>;
  };
  settings?: {
    getExecutionDetails(resource?: vscode.Uri): { execCommand: string[] | undefined };
  };
}

/** The selected interpreter's path, or why there is none. */
export async function selectedInterpreter(
  resource?: vscode.Uri,
): Promise<{ interpreter?: string; note: string }> {
  const extension = vscode.extensions.getExtension<PythonApi>(PYTHON_EXTENSION);
  if (extension === undefined) {
    return { note: "the Python extension is not installed" };
  }
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    if (api.environments) {
      const active = api.environments.getActiveEnvironmentPath(resource);
      const resolved = await api.environments.resolveEnvironment(active);
      const interpreter = resolved?.executable.uri?.fsPath;
      if (interpreter) {
        return { interpreter, note: "" };
      }
    }
    const command = api.settings?.getExecutionDetails(resource).execCommand;
    if (command && command.length === 1) {
      return { interpreter: command[0], note: "" };
    }
    return { note: "the Python extension has no interpreter selected" };
  } catch (error) {
    return { note: `the Python extension did not answer (${String(error)})` };
  }
}

/** Call `listener` when the user selects another interpreter (nothing without the extension). */
export async function onInterpreterChange(listener: () => void): Promise<vscode.Disposable> {
  const extension = vscode.extensions.getExtension<PythonApi>(PYTHON_EXTENSION);
  try {
    const api = extension === undefined ? undefined
      : extension.isActive ? extension.exports : await extension.activate();
    const event = api?.environments?.onDidChangeActiveEnvironmentPath;
    return event ? event(listener) : new vscode.Disposable(() => undefined);
  } catch {
    return new vscode.Disposable(() => undefined);
  }
}
