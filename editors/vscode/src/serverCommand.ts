/**
 * Where the server comes from: the `cpt.path` setting, the selected Python interpreter
 * (`python -m cpt lsp`), then `cpt` on PATH — tried in that order, the first that answers
 * `lsp --version` is started. Nothing here imports `vscode`, so it is unit tested in node.
 */

import { execFile } from "node:child_process";
import { constants, promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export type Source = "setting" | "python" | "path";

/** One way to start the server: `command ...prefix lsp`. */
export interface Candidate {
  source: Source;
  command: string;
  prefix: string[];
}

/** What the resolver was told: each value is absent when its source has nothing. */
export interface Inputs {
  cptPath?: string;
  pythonInterpreter?: string;
  cptOnPath?: string;
}

/** A source that was not tried, or was tried and did not work, and why. */
export interface Failure {
  source: Source;
  reason: string;
}

export const SOURCE_LABELS: Record<Source, string> = {
  setting: "the cpt.path setting",
  python: "the selected Python interpreter",
  path: "cpt on PATH",
};

/** Every way to start the server, in the order they are tried. */
export function candidates(inputs: Inputs): Candidate[] {
  const found: Candidate[] = [];
  if (inputs.cptPath) {
    found.push({ source: "setting", command: inputs.cptPath, prefix: [] });
  }
  if (inputs.pythonInterpreter) {
    found.push({ source: "python", command: inputs.pythonInterpreter, prefix: ["-m", "cpt"] });
  }
  if (inputs.cptOnPath) {
    found.push({ source: "path", command: inputs.cptOnPath, prefix: [] });
  }
  return found;
}

/** The arguments that start the language server over stdio. */
export function serverArgs(candidate: Candidate): string[] {
  return [...candidate.prefix, "lsp", "--stdio"];
}

/** How a candidate reads in messages: `python -m cpt lsp`, `/usr/bin/cpt lsp`. */
export function describe(candidate: Candidate): string {
  return [candidate.command, ...candidate.prefix, "lsp"].join(" ");
}

/** `~` and `${workspaceFolder}` expanded; a relative path is taken from the workspace folder. */
export function expandPath(value: string, home: string, workspaceFolder?: string): string {
  let expanded = value.trim();
  if (!expanded) {
    return "";
  }
  if (workspaceFolder) {
    expanded = expanded.split("${workspaceFolder}").join(workspaceFolder);
  }
  if (expanded === "~" || expanded.startsWith("~/") || expanded.startsWith("~\\")) {
    expanded = path.join(home, expanded.slice(1));
  }
  const bare = !expanded.includes("/") && !expanded.includes("\\");
  if (!bare && !path.isAbsolute(expanded) && workspaceFolder) {
    expanded = path.join(workspaceFolder, expanded);
  }
  return expanded; // a bare name such as "cpt" is left to the PATH lookup of the spawn
}

/** Where `name` is on `searchPath`, or undefined; on Windows each PATHEXT ending is tried. */
export async function findOnPath(
  name: string,
  searchPath: string | undefined,
  platform: NodeJS.Platform = process.platform,
  isExecutable: (file: string) => Promise<boolean> = executable,
  pathExt: string | undefined = process.env.PATHEXT,
): Promise<string | undefined> {
  const delimiter = platform === "win32" ? ";" : ":";
  const endings = platform === "win32" ? ["", ...(pathExt ?? ".EXE;.CMD;.BAT").split(";")] : [""];
  for (const folder of (searchPath ?? "").split(delimiter)) {
    if (!folder) {
      continue;
    }
    for (const ending of endings) {
      const file = (platform === "win32" ? path.win32 : path.posix).join(folder, name + ending);
      if (await isExecutable(file)) {
        return file;
      }
    }
  }
  return undefined;
}

async function executable(file: string): Promise<boolean> {
  try {
    const status = await fs.stat(file);
    if (!status.isFile()) {
      return false;
    }
    await fs.access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Run `candidate lsp --version`: undefined when it works, else why it does not. */
export type Probe = (candidate: Candidate) => Promise<string | undefined>;

export const probe: Probe = (candidate) =>
  new Promise((resolve) => {
    execFile(candidate.command, [...candidate.prefix, "lsp", "--version"],
      { timeout: 20000, windowsHide: true },
      (error, _stdout, stderr) => {
        if (!error) {
          resolve(undefined);
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") {
          resolve(`${candidate.command} was not found`);
        } else if (code === "EACCES") {
          resolve(`${candidate.command} is not executable`);
        } else {
          const last = String(stderr).trim().split(/\r?\n/).pop();
          resolve(last || error.message);
        }
      });
  });

/** The first candidate that works, with the reasons every earlier one did not. */
export async function firstWorking(
  found: Candidate[],
  check: Probe = probe,
): Promise<{ candidate?: Candidate; failures: Failure[] }> {
  const failures: Failure[] = [];
  for (const candidate of found) {
    const reason = await check(candidate);
    if (reason === undefined) {
      return { candidate, failures };
    }
    failures.push({ source: candidate.source, reason: `${describe(candidate)}: ${reason}` });
  }
  return { failures };
}

/** The sources that had nothing to try, so a failure message can say so. */
export function missingSources(inputs: Inputs, pythonNote: string): Failure[] {
  const missing: Failure[] = [];
  if (!inputs.cptPath) {
    missing.push({ source: "setting", reason: "cpt.path is not set" });
  }
  if (!inputs.pythonInterpreter) {
    missing.push({ source: "python", reason: pythonNote });
  }
  if (!inputs.cptOnPath) {
    missing.push({ source: "path", reason: "no cpt executable on PATH" });
  }
  return missing;
}

/** The text of the notification shown when no way to start the server works. */
export function failureMessage(failures: Failure[]): string {
  const order: Source[] = ["setting", "python", "path"];
  const sorted = [...failures].sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source));
  const tried = sorted.map((failure) => `${SOURCE_LABELS[failure.source]}: ${failure.reason}`);
  return "Code Periodic Table could not start its language server (`cpt lsp`). "
    + `Tried ${tried.join("; ")}. `
    + "Install it with `pip install code-periodic-table` in the selected Python interpreter, "
    + "or set cpt.path to the cpt executable.";
}

export const HOME = os.homedir();
