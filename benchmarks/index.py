"""The workspace index on a ~10,000-file workspace: cold build, warm restart, one-file update.

    python benchmarks/index.py             # full run: copies of stdlib + npm until 10,000 files
    python benchmarks/index.py --quick     # smoke test: 2 copies of a 15-file stdlib slice
    python benchmarks/index.py --profile   # also print where the in-process refreshes spend

The workspace (<temp>/cpt-index-workspace, reused while its manifest matches) holds copy_1/,
copy_2/, ... each with the interpreter's standard library and the npm JS/TS corpus of
benchmarks/scan.py, until at least --files source files. Copies make many exact clones (every
unit has a twin in each other copy), which weighs on the clone pass. It lives outside the
repository: inside a gitignored folder (benchmarks/.corpora) a file event makes the index drop
the file instead of analyzing it again (`walked_candidate` applies the ancestors' .gitignore,
which `discover` skips for an ignored root).

Measured with real processes, in this order (a full run takes 15-30 minutes on 2 cores):

* cold build: `cpt index --jobs 2` into a fresh database (wall time, files/s, peak RSS);
  `--index FILE` starts from a copy of an earlier build of the same workspace instead;
* warm refresh: `cpt index` again with nothing changed (baseline: the cold build);
* database size (with its -wal/-shm files) per 1,000 files;
* warm restart of `cpt lsp` on the built index, twice: process start until the `index ready`
  log message, and the server's RSS with the index loaded (worker processes listed apart);
* one changed file: the file is rewritten with a new finding and the client's file watcher
  reports it (`workspace/didChangeWatchedFiles`; `didSave` takes the same path); timed until
  the server asks the client to pull again (`workspace/diagnostic/refresh`, sent once the
  refresh is committed) with the new finding in the index; then one `workspace/diagnostic`
  pull of the whole index, as the editor makes next;
* the same change in process: `WorkspaceIndex.refresh(only=[file])` after `prepare()` (as the
  server does while idle) and the findings query (`--profile`: cProfile of opening the index, a
  warm refresh and a one-file refresh);
* last, the baseline of the cold build: `cpt scan --jobs 2` of the same files (`--no-scan`).

A warm start is only warm while cpt and its elements stay the same (the catalog key): in a
checkout where elements are being edited, run from a frozen install; the output says when
files were analyzed again.

Results are printed next to the targets and written to benchmarks/results/index-<date>.json.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as _dt
import importlib.util
import json
import math
import os
import platform
import pstats
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
TARGET_FILES = 10_000
QUICK_STDLIB_FILES = 15  # copies make the clone pass slow: keep the smoke run short
QUICK_COPIES = 2
ROUNDS = 10
QUICK_ROUNDS = 3
TIMEOUT = 900.0  # a cold start of the server on an unbuilt index may take minutes
PROBE_ELEMENT = "mutable-default-argument"
# The workspace is its own project: the repository's cpt.toml excludes benchmarks/.corpora.
CONFIG = "# the index benchmark's workspace: all defaults\n"
PREFERRED_PROBE = "textwrap.py"  # a mid-sized module (~500 lines) to change

TARGETS = {
    # key: (label, bound, unit); every target is an upper bound
    "warm_restart": ("warm restart → index ready", 2.0, "s"),
    "incremental": ("one changed file → updated findings", 100.0, "ms"),
    "server_rss": ("server RSS with the index loaded", 200.0, "MB"),
}


def _sibling(name: str) -> ModuleType:
    """Load benchmarks/<name>.py (a script, not a package) to share its helpers."""
    spec = importlib.util.spec_from_file_location(f"cpt_benchmark_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module


scan = _sibling("scan")
lsp = _sibling("lsp")


# --- the workspace -------------------------------------------------------------------------

@dataclass
class Workspace:
    """The generated workspace: `copies` copies of the same source set."""

    root: Path
    files: int
    lines: int
    copies: int
    per_copy: int
    sources: str


def _stdlib_sources(limit: int | None) -> list[tuple[Path, Path]]:
    return [(path, Path("stdlib") / relative) for path, relative in scan.stdlib_sources(limit)]


def _npm_sources(corpora: Path) -> tuple[list[tuple[Path, Path]], str]:
    """The npm packages of benchmarks/scan.py (installed by it when missing), source files only."""
    modules = corpora / "npm" / "node_modules"
    if not all((modules / name / "package.json").is_file() for name in scan.NPM_PACKAGES):
        if scan.npm_corpus(corpora) is None:
            return [], "no npm corpus"
    sources, versions = [], []
    for package in scan.NPM_PACKAGES:
        base = modules / package
        version = json.loads((base / "package.json").read_text(encoding="utf-8"))["version"]
        versions.append(f"{package}@{version}")
        for path in sorted(base.rglob("*")):
            relative = path.relative_to(base)
            if path.is_file() and scan._source_like(path, relative):
                sources.append((path, Path("npm") / package / relative))
    return sources, ", ".join(versions)


def build_workspace(root: Path, corpora: Path, quick: bool, target: int) -> Workspace:
    """Copy the source set into copy_1/, copy_2/, ... (reuse a matching earlier build)."""
    manifest = root / "manifest.json"
    config = root / "cpt.toml"
    wanted = {"quick": quick, "target": target, "python": platform.python_version()}
    if manifest.is_file():
        saved = json.loads(manifest.read_text(encoding="utf-8"))
        if all(saved.get(key) == value for key, value in wanted.items()):
            config.write_text(CONFIG, encoding="utf-8")
            return Workspace(root, saved["files"], saved["lines"], saved["copies"],
                             saved["per_copy"], saved["sources"])
    print(f"generating the workspace in {root} ...", flush=True)
    sources = _stdlib_sources(QUICK_STDLIB_FILES if quick else None)
    note = f"Python {platform.python_version()} standard library"
    if not quick:
        npm, versions = _npm_sources(corpora)
        sources += npm
        note += f" + npm {versions}" if npm else " (npm corpus unavailable)"
    readable = []
    for source, relative in sources:
        data = source.read_bytes()
        if scan._scannable(data):
            readable.append((scan._safe_parts(relative), data))
    copies = QUICK_COPIES if quick else max(1, math.ceil(target / len(readable)))
    if root.exists():
        shutil.rmtree(root)
    lines = 0
    for copy in range(1, copies + 1):
        for relative, data in readable:
            path = root / f"copy_{copy}" / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            lines += scan._count_lines(data)
    workspace = Workspace(root, copies * len(readable), lines, copies, len(readable), note)
    saved = {**wanted, **{key: value for key, value in asdict(workspace).items() if key != "root"}}
    manifest.write_text(json.dumps(saved, indent=2) + "\n", encoding="utf-8")
    config.write_text(CONFIG, encoding="utf-8")
    return workspace


def probe_file(workspace: Workspace) -> Path:
    """The file the one-file measurements change: textwrap.py, else a median-sized module."""
    stdlib = workspace.root / "copy_1" / "stdlib"
    preferred = stdlib / PREFERRED_PROBE
    if preferred.is_file():
        return preferred
    candidates = sorted(stdlib.rglob("*.py"), key=lambda path: path.stat().st_size)
    return candidates[len(candidates) // 2]


def probe_text(original: str, round_number: int) -> tuple[str, int]:
    """The file with one more finding appended, and the 0-based line of that finding."""
    head = original.rstrip("\n") + "\n" * (2 + round_number)  # moves the finding every round
    line = head.count("\n")
    return head + f"def _cpt_bench_probe_{round_number}(items=[]):\n    return items\n", line


# --- processes -----------------------------------------------------------------------------

def run_measured(command: list[str], cwd: Path, out: Path) -> dict[str, Any]:
    report = scan._measure(command, cwd, out)
    if report["returncode"] not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed (exit {report['returncode']}):\n"
                           f"{report['stderr'].strip()[-2000:]}")
    return report


def run_scan(workspace: Workspace, scratch: Path, jobs: int) -> dict[str, Any]:
    out = scratch / "scan.json"
    report = run_measured([*scan._cpt_command(), "scan", str(workspace.root), "--jobs", str(jobs),
                           "--format", "json", "-o", str(out), "--no-progress",
                           "--fail-on", "none", "--no-cache"], workspace.root,
                          scratch / "scan.stdout")
    document = json.loads(out.read_text(encoding="utf-8"))
    report.update(files=document["files_scanned"], findings=len(document["findings"]))
    return report


def run_index(workspace: Workspace, db: Path, scratch: Path, jobs: int) -> dict[str, Any]:
    out = scratch / "index.stdout"
    report = run_measured([*scan._cpt_command(), "index", str(workspace.root), "--db", str(db),
                           "--jobs", str(jobs), "--format", "json", "--no-progress"],
                          workspace.root, out)
    summary = json.loads(out.read_text(encoding="utf-8"))
    report.update({key: summary[key] for key in ("files", "analyzed", "unchanged", "seconds",
                                                 "findings")})
    return report


def database_bytes(db: Path) -> int:
    return sum(path.stat().st_size for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm"))
               if path.exists())


def reindexed_since(db: Path, since: float) -> int:
    """Files the index analyzed again after `since` (0 on a truly warm start)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(*) FROM files WHERE indexed_at >= ?",
                            (since,)).fetchone()[0]


# --- the language server -------------------------------------------------------------------

class Client(lsp.Client):
    """The raw client of benchmarks/lsp.py, keeping the server's requests visible too."""

    def _answer(self, message: dict[str, Any]) -> None:
        super()._answer(message)
        self.inbox.put(message)

    def process_rss(self) -> tuple[float, list[float]]:
        """RSS (MB) of the server process and of each of its descendants."""
        try:
            import psutil
        except ImportError:
            return self.rss_mb(), []
        process = psutil.Process(self.process.pid)
        children = []
        for child in process.children(recursive=True):
            try:
                children.append(child.memory_info().rss / 1_048_576)
            except psutil.Error:
                continue
        return process.memory_info().rss / 1_048_576, children


CAPABILITIES = {
    "general": {"positionEncodings": ["utf-16"]},
    # Like VS Code: the client watches files (no watchdog in the server) and pulls diagnostics.
    "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True},
                  "diagnostics": {"refreshSupport": True}},
    "textDocument": {"diagnostic": {"dynamicRegistration": False},
                     "publishDiagnostics": {"versionSupport": True}},
}


def start_server(workspace: Workspace, db: Path) -> tuple[Client, dict[str, Any]]:
    """Start `cpt lsp` on the workspace and wait for `index ready`."""
    launched = time.time()
    client = Client([sys.executable, "-m", "cpt", "lsp"], workspace.root)
    client.request("initialize", {
        "processId": os.getpid(), "rootUri": workspace.root.as_uri(),
        "capabilities": CAPABILITIES,
        "initializationOptions": {"debounceMs": 0, "index": True, "indexPath": str(db)}})
    initialized = time.perf_counter()
    client.notify("initialized", {})

    def logged(message: dict[str, Any]) -> bool:
        if message.get("method") != "window/logMessage":
            return False
        text = message["params"]["message"]
        if text.startswith(("workspace index unavailable", "index refresh failed")):
            raise RuntimeError(f"cpt lsp: {text}")
        return text.startswith("index ready")

    try:
        if client.wait(logged, TIMEOUT) is None:
            raise RuntimeError(f"no 'index ready' within {TIMEOUT:.0f} s")
    except BaseException:
        client.stop()
        raise
    ready = time.perf_counter()
    return client, {"initialize_s": initialized - client.started,
                    "ready_s": ready - client.started, "after_initialized_s": ready - initialized,
                    "reindexed": reindexed_since(db, launched)}


def _stored(db: Path, relative: str, line: int) -> bool:
    """The index holds the probe finding of `relative` at 0-based `line`."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM findings n JOIN files f ON f.id = n.file_id "
            "WHERE f.path = ? AND n.element = ? AND n.line = ?",
            (relative, PROBE_ELEMENT, line + 1)).fetchone()[0] > 0


def _drain(client: Client) -> None:
    """Forget messages already queued (refresh requests of the first build, logs)."""
    while client.wait(lambda message: True, timeout=0.05) is not None:
        pass


def _refreshed(message: dict[str, Any]) -> bool:
    return message.get("method") == "workspace/diagnostic/refresh"


def lsp_edits(client: Client, workspace: Workspace, db: Path, path: Path,
              rounds: int) -> dict[str, Any]:
    """Change `path` on disk `rounds` times; time until the index holds its new finding."""
    _drain(client)
    original = path.read_text(encoding="utf-8")
    uri, relative = path.as_uri(), path.relative_to(workspace.root).as_posix()
    to_index = []
    try:
        for round_number in range(1, rounds + 1):
            text, line = probe_text(original, round_number)
            path.write_text(text, encoding="utf-8")
            began = time.perf_counter()
            client.notify("workspace/didChangeWatchedFiles",
                          {"changes": [{"uri": uri, "type": 2}]})
            # The server asks for a pull once the refresh is committed; one sent for another
            # reason comes too early, so wait until the index holds the new finding.
            while True:
                if client.wait(_refreshed, TIMEOUT) is None:
                    raise RuntimeError("no workspace/diagnostic/refresh after a file change")
                if _stored(db, relative, line):
                    break
            to_index.append(time.perf_counter() - began)
    finally:
        path.write_text(original, encoding="utf-8")
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri, "type": 2}]})
        client.wait(_refreshed, TIMEOUT)
    return {"to_index_s": to_index}


def full_pull(client: Client, timeout: float) -> dict[str, Any]:
    """One `workspace/diagnostic` pull of the whole index, as an editor makes after a refresh."""
    began = time.perf_counter()
    try:
        result = client.request("workspace/diagnostic", {"previousResultIds": []},
                                timeout=timeout)
    except RuntimeError:
        return {"pull_s": None, "timeout_s": timeout}
    items = result["items"] if result else []
    return {"pull_s": time.perf_counter() - began, "files": len(items),
            "diagnostics": sum(len(item.get("items", [])) for item in items)}


# --- in process ----------------------------------------------------------------------------

def _profiled(function, top: int) -> tuple[Any, list[str]]:
    profile = cProfile.Profile()
    result = profile.runcall(function)
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative")
    lines = []
    total = max(stats.total_tt, 1e-9)
    for func in stats.fcn_list[:top]:  # type: ignore[attr-defined]
        _, calls, own, cumulative, _ = stats.stats[func]  # type: ignore[attr-defined]
        filename, number, name = func
        where = f"{Path(filename).name}:{number}({name})" if number else name
        lines.append(f"{cumulative:8.3f} s {cumulative / total:5.0%} own {own:7.3f} s "
                     f"{calls:>8} calls  {where}")
    return result, lines


def in_process(workspace: Workspace, db: Path, path: Path, rounds: int, jobs: int,
               profile: bool) -> dict[str, Any]:
    """Open the index as the server does, refresh all (warm), then one changed file."""
    from cpt.server.index.store import WorkspaceIndex

    results: dict[str, Any] = {"profiles": {}}
    began = time.perf_counter()
    if profile:
        index, results["profiles"]["open"] = _profiled(
            lambda: WorkspaceIndex(workspace.root, db), 25)
    else:
        index = WorkspaceIndex(workspace.root, db)
    results["open_s"] = time.perf_counter() - began
    original = path.read_text(encoding="utf-8")
    relative = index.relative(path)
    try:
        began = time.perf_counter()
        if profile:
            report, results["profiles"]["warm refresh"] = _profiled(
                lambda: index.refresh(jobs=jobs), 25)
        else:
            report = index.refresh(jobs=jobs)
        results["warm_refresh_s"] = time.perf_counter() - began
        results["warm_analyzed"] = report.analyzed
        index.prepare()  # as the server does once the index is ready, before the first save
        refresh, query = [], []
        for round_number in range(1, rounds + 1):
            text, line = probe_text(original, round_number)
            path.write_text(text, encoding="utf-8")
            began = time.perf_counter()
            if profile and round_number == rounds:
                _, results["profiles"]["one-file refresh"] = _profiled(
                    lambda: index.refresh(only=[path]), 30)
            else:
                index.refresh(only=[path])
            done = time.perf_counter()
            found = index.findings(path=relative, element=PROBE_ELEMENT)
            if not any(item.line == line + 1 for item in found):
                raise RuntimeError(f"refresh(only=[{relative}]) did not store the new finding")
            refresh.append(done - began)
            query.append(time.perf_counter() - done)
        results["refresh_s"], results["query_s"] = refresh, query
    finally:
        path.write_text(original, encoding="utf-8")
        index.refresh(only=[path])
        index.close()
    return results


# --- report --------------------------------------------------------------------------------

def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _spread(values: list[float], unit=_ms) -> str:
    if len(values) == 1:
        return unit(values[0])
    return f"{unit(min(values))} (of {len(values)}: {unit(min(values))}–{unit(max(values))})"


def _median_max(values: list[float]) -> str:
    return f"p50 {_ms(statistics.median(values))}, max {_ms(max(values))} ({len(values)} changes)"


def verdict(key: str, value: float) -> str:
    label, bound, unit = TARGETS[key]
    met = value <= bound
    shown = f"{value:.2f} s" if unit == "s" else f"{value:.0f} {unit}"
    return f"  {label:<40} {shown:>10}   target ≤ {bound:g} {unit:<3} {'met' if met else 'MISSED'}"


def report(workspace: Workspace, results: dict[str, Any], jobs: int, quick: bool) -> None:
    files = workspace.files
    print()
    print("=" * 100)
    if quick:
        print("QUICK smoke run on a small workspace: the figures below are not meaningful")
    print(f"workspace {workspace.root}: {files:,} files, {workspace.lines:,} lines "
          f"({workspace.copies} copies of {workspace.per_copy:,} files: {workspace.sources}; "
          "copies are exact clones of each other)")
    print(f"cpu cores: {os.cpu_count()}; jobs {jobs}; python {platform.python_version()}")
    scans, colds, warms = results["scan"], results["cold"], results["warm"]
    cold_wall = min((run["wall"] for run in colds), default=None)
    warm_wall = min(run["wall"] for run in warms)
    print()
    versus = ""
    if scans:
        scan_wall = min(run["wall"] for run in scans)
        print(f"baseline cpt scan --jobs {jobs}: {_spread([run['wall'] for run in scans], _s)}, "
              f"{scans[0]['files'] / scan_wall:,.0f} files/s, peak RSS "
              f"{max(run['peak_rss_mb'] or 0 for run in scans):.0f} MB, "
              f"{scans[0]['findings']:,} findings")
        versus = f"; cold / scan {cold_wall / scan_wall:.2f}x" if cold_wall else ""
    else:
        print("baseline cpt scan: skipped (--no-scan)")
    if colds:
        cold = colds[0]
        print(f"cold build cpt index --jobs {jobs}: "
              f"{_spread([run['wall'] for run in colds], _s)}, "
              f"{cold['files'] / cold_wall:,.0f} files/s ({cold['files']:,} files, "
              f"{cold['analyzed']:,} analyzed, {cold['findings']:,} findings; refresh itself "
              f"{min(run['seconds'] for run in colds):.2f} s), peak RSS "
              f"{max(run['peak_rss_mb'] or 0 for run in colds):.0f} MB{versus}")
    else:
        print(f"cold build: not measured (started from a copy of {results['index']})")
    print(f"warm refresh cpt index (nothing changed): {_spread([run['wall'] for run in warms])} "
          f"wall (refresh itself {_ms(min(run['seconds'] for run in warms))}, "
          f"{max(run['analyzed'] for run in warms)} analyzed)"
          + (f"; warm / cold {warm_wall / cold_wall:.3f}x" if cold_wall else ""))
    size = results["db_bytes"]
    print(f"database: {size / 1_048_576:.1f} MB, {size / 1_048_576 / files * 1000:.2f} MB "
          f"per 1,000 files")
    restarts = results["restarts"]
    ready = min(run["ready_s"] for run in restarts)
    print(f"cpt lsp warm restart → 'index ready': {_spread([r['ready_s'] for r in restarts])} "
          f"(initialize result {_ms(min(r['initialize_s'] for r in restarts))}, initialized → "
          f"ready {_ms(min(r['after_initialized_s'] for r in restarts))}; "
          f"{max(r['reindexed'] for r in restarts)} files re-analyzed)"
          + (f"; ready / cold build {ready / cold_wall:.3f}x" if cold_wall else ""))
    if any(run["reindexed"] for run in restarts + warms) or any(run["analyzed"] for run in warms):
        print("  note: files were analyzed again on a warm start: an element or cpt changed "
              "in the checkout meanwhile (the catalog key), so these runs were not warm")
    loaded = max(run["rss_mb"] for run in restarts)
    updated, children = results["rss_mb"], results["children_rss_mb"]
    server = max(loaded, updated)
    print(f"server RSS with the index loaded: {loaded:.0f} MB once ready, {updated:.0f} MB after "
          f"the one-file updates ({len(children)} child processes, {sum(children):.0f} MB more)")
    edits = results["edits"]
    print(f"one changed file ({results['probe']}), in the server: file event → index holds "
          f"its new finding (workspace/diagnostic/refresh) {_median_max(edits['to_index_s'])}")
    pulled = results["pull"]
    if pulled["pull_s"] is None:
        print(f"  then a workspace/diagnostic pull of the whole index: no answer within "
              f"{pulled['timeout_s']:.0f} s")
    else:
        print(f"  then a workspace/diagnostic pull of the whole index: {_ms(pulled['pull_s'])} "
              f"({pulled['files']:,} files, {pulled['diagnostics']:,} diagnostics)")
    own = results["in_process"]
    print(f"  in process: WorkspaceIndex.refresh(only=[file]) {_median_max(own['refresh_s'])}; "
          f"findings query p50 {_ms(statistics.median(own['query_s']))}; "
          f"open the index {_ms(own['open_s'])}, warm refresh(all) {_ms(own['warm_refresh_s'])}")
    print("targets:")
    print(verdict("warm_restart", ready))
    print(verdict("incremental", statistics.median(edits["to_index_s"]) * 1000))
    print(verdict("server_rss", server))
    for name, lines in own["profiles"].items():
        print(f"\nprofile of {name} (cumulative, in process):")
        for line in lines:
            print("  " + line)


def _progress(run: dict[str, Any]) -> None:
    print(f"  {run['wall']:.2f} s, {run['files']:,} files, {run.get('analyzed', '-')} analyzed",
          flush=True)


def _s(seconds: float) -> str:
    return f"{seconds:,.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke test: {QUICK_COPIES} copies of {QUICK_STDLIB_FILES} "
                             "stdlib files, no npm")
    parser.add_argument("--files", type=int, default=TARGET_FILES,
                        help=f"copies until this many files (default {TARGET_FILES:,})")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of scan, cold and warm builds, fastest kept (default 1; the "
                             "server is always restarted twice)")
    parser.add_argument("--rounds", type=int, help=f"one-file changes (default {ROUNDS}; "
                                                   f"quick {QUICK_ROUNDS})")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--no-scan", action="store_true",
                        help="leave out the `cpt scan` baseline (the slowest step)")
    parser.add_argument("--index", type=Path, metavar="FILE",
                        help="start from a copy of this index of the same workspace instead "
                             "of a cold build (the cold build is then not measured)")
    parser.add_argument("--pull-timeout", type=float, default=120.0,
                        help="seconds to wait for the workspace/diagnostic pull (default 120)")
    parser.add_argument("--profile", action="store_true",
                        help="profile the in-process open, warm refresh and one-file refresh")
    parser.add_argument("--corpora", type=Path, default=HERE / ".corpora",
                        help="where the npm packages are (default benchmarks/.corpora)")
    parser.add_argument("--workspace", type=Path,
                        help="where the workspace is built (default <temp>/cpt-index-workspace, "
                             "quick: <temp>/cpt-index-workspace-quick)")
    parser.add_argument("--results", type=Path, default=HERE / "results",
                        help="folder of the JSON results (default benchmarks/results)")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.jobs < 1:
        parser.error("--repeat and --jobs must be 1 or more")
    rounds = args.rounds or (QUICK_ROUNDS if args.quick else ROUNDS)
    # A killed run still restores the file it changed (the finally clauses run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    default = Path(tempfile.gettempdir()) / ("cpt-index-workspace" + ("-quick" if args.quick
                                                                       else ""))
    root = (args.workspace or default).resolve()
    workspace = build_workspace(root, args.corpora, args.quick, args.files)
    probe = probe_file(workspace)
    results: dict[str, Any] = {"probe": probe.relative_to(workspace.root).as_posix()}
    with tempfile.TemporaryDirectory(prefix="cpt-index-bench-") as temporary:
        scratch = Path(temporary)
        os.environ["CPT_INDEX_DIR"] = str(scratch / "cache")  # nothing lands in ~/.cache
        db = scratch / "index.sqlite3"
        results["scan"], results["cold"], results["warm"] = [], [], []
        for _ in range(args.repeat):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
                if args.index is not None and Path(f"{args.index}{suffix}").exists():
                    shutil.copyfile(f"{args.index}{suffix}", f"{db}{suffix}")
            if args.index is None:
                print("cpt index (cold) ...", flush=True)
                results["cold"].append(run_index(workspace, db, scratch, args.jobs))
                _progress(results["cold"][-1])
            else:
                results["index"] = str(args.index)
            results["db_bytes"] = database_bytes(db)
            print("cpt index (warm) ...", flush=True)
            launched = time.time()
            warm = run_index(workspace, db, scratch, args.jobs)
            warm["reindexed"] = reindexed_since(db, launched)
            results["warm"].append(warm)
            _progress(warm)
        results["restarts"] = []
        for attempt in range(2):
            print("cpt lsp (warm restart) ...", flush=True)
            client, restart = start_server(workspace, db)
            results["restarts"].append(restart)
            restart["rss_mb"], restart["children_rss_mb"] = client.process_rss()
            print(f"  index ready after {_ms(restart['ready_s'])}; server RSS "
                  f"{restart['rss_mb']:.0f} MB", flush=True)
            try:
                if attempt == 1:
                    print("one-file changes through the server ...", flush=True)
                    results["edits"] = lsp_edits(client, workspace, db, probe, rounds)
                    results["rss_mb"], results["children_rss_mb"] = client.process_rss()
                    print(f"  index updated after {_ms(min(results['edits']['to_index_s']))}"
                          f" at best; server RSS {results['rss_mb']:.0f} MB", flush=True)
                    print("workspace/diagnostic pull ...", flush=True)
                    results["pull"] = full_pull(client, args.pull_timeout)
            finally:
                client.stop()
        print("one-file changes in process ...", flush=True)
        results["in_process"] = in_process(workspace, db, probe, rounds, args.jobs,
                                           args.profile)
        for _ in range(0 if args.no_scan else args.repeat):
            print("cpt scan (baseline) ...", flush=True)
            results["scan"].append(run_scan(workspace, scratch, args.jobs))
            _progress(results["scan"][-1])
    report(workspace, results, args.jobs, args.quick)
    results["seconds"] = round(time.perf_counter() - started, 1)
    document = {
        "date": _dt.datetime.now().isoformat(timespec="seconds"), "quick": args.quick,
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version()},
        "jobs": args.jobs, "repeat": args.repeat,
        "workspace": {**asdict(workspace), "root": str(workspace.root)},
        "targets": {key: {"label": label, "bound": bound, "unit": unit}
                    for key, (label, bound, unit) in TARGETS.items()},
        "results": results,
    }
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = _dt.date.today().isoformat()
    target = args.results / f"index-{stamp}{'-quick' if args.quick else ''}.json"
    target.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nresults written to {target} ({results['seconds']} s in all)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
