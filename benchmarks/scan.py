"""Benchmark `cpt scan` against a parse-only baseline, ast-grep and Semgrep.

    python benchmarks/scan.py            # full run: Python stdlib + an npm JS/TS corpus
    python benchmarks/scan.py --quick    # smoke test: a 150-file stdlib slice, no npm

Corpora (copied below benchmarks/.corpora/, which is gitignored, so every tool reads the same
files from the same folder):

* stdlib: every `.py` file of the running interpreter's standard library (the folder of
  `os.__file__`), without site-packages; files that are not UTF-8 are left out.
* js: `npm install lodash-es date-fns rxjs three`, keeping only source-like files (no `*.min.*`,
  no CDN/UMD bundles, nothing over 1 MB or with minified lines, nothing under build/ or dist/
  style folders, no `.d.ts` declarations, no `.cjs` twin of a `.js` file).

Each tool runs in a fresh measuring child process that reports the wall time and the peak RSS of
the largest process of the tool's process tree (`getrusage(RUSAGE_CHILDREN).ru_maxrss`); with
psutil installed the child also polls the summed RSS of the whole tree. Results are printed as a
table with the target ratios and written to benchmarks/results/scan-<date>.json.

The external tools come from `pip install -e '.[bench]'`; a missing tool is reported and its row
skipped.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
RULES = HERE / "rules"
NPM_PACKAGES = ("lodash-es", "date-fns", "rxjs", "three")
INSTALL_HINT = "pip install -e '.[bench]'"

JS_EXTENSIONS = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
# Folders that hold bundles, generated copies or vendored third-party code, not sources.
BUNDLE_DIRS = frozenset({"build", "dist", "bundles", "bundle", "umd", "cdn", "min", "libs",
                         "vendor", "node_modules", "esm5", "esm2015", "fesm2015", "fesm5"})
BUNDLE_NAME = re.compile(r"(^|[.\-_])(min|bundle|umd|cdn)([.\-_]|$)", re.IGNORECASE)
MAX_JS_BYTES = 1_000_000
MINIFIED_LINE = 2_000  # a longer line marks generated or minified code
MINIFIED_MEAN = 200  # so does a mean line length above this

QUICK_FILES = 150

TARGETS = {
    # key: (label, comparison, bound, unit)
    "cpt1_over_parse": ("cpt(1 job) / parse-only", "<=", 2.0, "x"),
    "speedup_jobs2": ("speed-up cpt jobs 2 vs jobs 1", ">=", 1.7, "x"),
    "cpt2_over_astgrep": ("cpt(2 jobs) / ast-grep", "<=", 1.5, "x"),
    "semgrep_over_cpt2": ("semgrep / cpt(2 jobs)", ">=", 8.0, "x"),
    "cpt_peak_rss": ("peak RSS per process (cpt)", "<=", 150.0, "MB"),
}

FIGURES = (
    # label, numerator row, denominator row
    ("tree-sitter's share: parse+query / parse-only", "parse+query", "parse-only"),
    ("cpt(1 job) / parse+query", "cpt --jobs 1", "parse+query"),
    ("re-scan, none changed / cpt(2 jobs)", "cpt cached, none changed", "cpt --jobs 2"),
    ("re-scan, one edit / cpt(2 jobs)", "cpt cached, one edit", "cpt --jobs 2"),
)


# --- measuring child -----------------------------------------------------------------------

def _measure_main(argv: list[str]) -> int:
    """`scan.py --_measure OUT ERR -- CMD...`: run CMD, print wall time and peak RSS as JSON.

    Runs in a fresh process so that RUSAGE_CHILDREN covers exactly one tool run: the kernel
    keeps the largest max RSS of every reaped descendant (workers included).
    """
    out_path, err_path, command = argv[0], argv[1], argv[3:]
    try:
        import psutil  # type: ignore[import-not-found]
    except ImportError:
        psutil = None
    tree_peak = 0
    process_peak = 0
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        if psutil is not None:
            try:
                root = psutil.Process(child.pid)
            except psutil.Error:
                root = None
            while child.poll() is None and root is not None:
                total = 0
                try:
                    members = [root, *root.children(recursive=True)]
                except psutil.Error:
                    members = []
                for member in members:
                    try:
                        rss = member.memory_info().rss
                    except psutil.Error:
                        continue
                    total += rss
                    process_peak = max(process_peak, rss)
                tree_peak = max(tree_peak, total)
                time.sleep(0.05)
        returncode = child.wait()
        wall = time.perf_counter() - start
    maxrss_mb = cpu = None
    try:
        import resource

        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        raw = usage.ru_maxrss
        maxrss_mb = raw / (1024 * 1024) if sys.platform == "darwin" else raw / 1024
        cpu = usage.ru_utime + usage.ru_stime
    except ImportError:  # Windows: fall back on polling
        maxrss_mb = process_peak / 1_048_576 if process_peak else None
    print(json.dumps({"wall": wall, "returncode": returncode, "peak_rss_mb": maxrss_mb,
                      "tree_rss_mb": tree_peak / 1_048_576 if tree_peak else None,
                      "cpu": cpu}))
    return 0


# --- parse-only child ----------------------------------------------------------------------

def _parse_main(argv: list[str]) -> int:
    """`scan.py --_parse LISTFILE [--query]`: tree-sitter parse every listed file, one process.

    With `--query`, also run cpt's combined extraction query over each tree and drop its
    matches: the part of a scan spent in tree-sitter, before any Python work on the results.
    """
    import tree_sitter as ts

    from cpt.engine.languages import language_for_path, ts_language

    parsers: dict[str, ts.Parser] = {}
    files = lines = errors = 0
    analyzer = None
    if "--query" in argv[1:]:
        from cpt.engine.analysis import Analyzer
        from cpt.engine.catalog import builtin_catalog

        analyzer = Analyzer(builtin_catalog())
    for name in Path(argv[0]).read_text(encoding="utf-8").splitlines():
        data = Path(name).read_bytes()
        spec = language_for_path(name, data[:128])
        if spec is None:
            continue
        parser = parsers.get(spec.name)
        if parser is None:
            parser = parsers[spec.name] = ts.Parser(ts_language(spec.name))
        tree = parser.parse(data)
        if analyzer is not None:
            ts.QueryCursor(analyzer.plan(spec).query).matches(tree.root_node)
        files += 1
        lines += _count_lines(data)
        errors += tree.root_node.has_error
    print(json.dumps({"files": files, "lines": lines, "files_with_parse_errors": errors}))
    return 0


# --- corpora -------------------------------------------------------------------------------

@dataclass
class Corpus:
    """A folder of copied files that every tool scans."""

    name: str
    root: Path
    files: list[Path]
    lines: int
    note: str = ""


def _count_lines(data: bytes) -> int:
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def _scannable(data: bytes) -> bool:
    """What cpt itself would read: no NUL in the head, valid UTF-8."""
    if b"\0" in data[:8192]:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _safe_parts(relative: Path) -> Path:
    """Rename folders that cpt's walker skips by name (stdlib `venv/`), so all tools see them."""
    from cpt.server.walk import DEFAULT_EXCLUDES

    parts = list(relative.parts)
    for index, part in enumerate(parts[:-1]):
        if part in DEFAULT_EXCLUDES or part.startswith("."):
            parts[index] = f"{part.lstrip('.')}_"
    return Path(*parts)


def _materialize(name: str, root: Path, sources: list[tuple[Path, Path]], note: str) -> Corpus:
    """Copy (source, relative) pairs into a fresh `root` and describe the corpus."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / ".semgrepignore").write_text("", encoding="utf-8")  # scan tests/ folders too
    files: list[Path] = []
    lines = 0
    for source, relative in sources:
        data = source.read_bytes()
        if not _scannable(data):
            continue
        target = root / _safe_parts(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        files.append(target)
        lines += _count_lines(data)
    return Corpus(name, root, files, lines, note)


def stdlib_sources(limit: int | None) -> list[tuple[Path, Path]]:
    """(file, path relative to the library) of the running interpreter's standard library,
    optionally an evenly spread slice of `limit` files."""
    library = Path(os.__file__).resolve().parent
    sources = []
    for path in sorted(library.rglob("*.py")):
        relative = path.relative_to(library)
        if {"site-packages", "dist-packages", "__pycache__"} & set(relative.parts):
            continue
        sources.append((path, relative))
    if limit is not None and len(sources) > limit:
        step = len(sources) / limit
        sources = [sources[int(index * step)] for index in range(limit)]
    return sources


def stdlib_corpus(work: Path, limit: int | None) -> Corpus:
    """The running interpreter's standard library (optionally an evenly spread slice)."""
    library = Path(os.__file__).resolve().parent
    sources = stdlib_sources(limit)
    name = "stdlib-quick" if limit is not None else "stdlib"
    note = f"Python {platform.python_version()} standard library at {library}"
    return _materialize(name, work / name, sources, note)


def _source_like(path: Path, relative: Path) -> bool:
    name = path.name
    if not name.endswith(JS_EXTENSIONS) or re.search(r"\.d\.[cm]?ts$", name):
        return False
    if BUNDLE_NAME.search(name) or BUNDLE_DIRS & set(relative.parts[:-1]):
        return False
    if name.endswith(".cjs") and path.with_suffix(".js").exists():
        return False  # the CommonJS twin of an ES module
    try:
        if path.stat().st_size > MAX_JS_BYTES:
            return False
        text = path.read_bytes()
    except OSError:
        return False
    lengths = [len(line) for line in text.splitlines()] or [0]
    return max(lengths) <= MINIFIED_LINE and sum(lengths) / len(lengths) <= MINIFIED_MEAN


def npm_corpus(work: Path) -> Corpus | None:
    """lodash-es, date-fns, rxjs and three from npm, source-like files only."""
    npm = shutil.which("npm")
    if npm is None:
        print("npm not found: skipping the JavaScript/TypeScript corpus "
              "(install Node.js to include it)")
        return None
    install = work / "npm"
    modules = install / "node_modules"
    if not all((modules / package / "package.json").is_file() for package in NPM_PACKAGES):
        install.mkdir(parents=True, exist_ok=True)
        manifest = install / "package.json"
        if not manifest.exists():
            manifest.write_text('{"name": "cpt-bench-corpus", "private": true}\n',
                                encoding="utf-8")
        print(f"npm install {' '.join(NPM_PACKAGES)} into {install} ...", flush=True)
        result = subprocess.run([npm, "install", "--no-audit", "--no-fund", *NPM_PACKAGES],
                                cwd=install, capture_output=True, text=True)
        if result.returncode != 0:
            print(f"npm install failed (exit {result.returncode}): skipping the JS corpus\n"
                  f"{result.stderr.strip()[-2000:]}")
            return None
    sources = []
    versions = []
    for package in NPM_PACKAGES:
        base = modules / package
        version = json.loads((base / "package.json").read_text(encoding="utf-8"))["version"]
        versions.append(f"{package}@{version}")
        for path in sorted(base.rglob("*")):
            relative = path.relative_to(base)
            if path.is_file() and _source_like(path, relative):
                sources.append((path, Path(package) / relative))
    return _materialize("js", work / "js", sources, ", ".join(versions))


# --- tools ---------------------------------------------------------------------------------

@dataclass
class Run:
    """One tool on one corpus."""

    tool: str
    corpus: str
    files: int
    lines: int
    wall: float | None = None
    cpu: float | None = None  # user + system seconds of the whole process tree
    peak_rss_mb: float | None = None
    tree_rss_mb: float | None = None
    findings: int | None = None
    files_seen: int | None = None
    returncode: int | None = None
    skipped: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def files_per_s(self) -> float | None:
        return self.files / self.wall if self.wall else None

    @property
    def lines_per_s(self) -> float | None:
        return self.lines / self.wall if self.wall else None


def _bin(*names: str, check: str | None = None) -> str | None:
    """Find an executable next to this interpreter first, then on PATH."""
    for name in names:
        for candidate in (Path(sys.executable).parent / name, shutil.which(name)):
            if candidate is None or not Path(candidate).is_file():
                continue
            if check is not None:
                try:
                    probe = subprocess.run([str(candidate), "--version"], capture_output=True,
                                           text=True, timeout=60)
                except (OSError, subprocess.TimeoutExpired):
                    continue
                if check not in (probe.stdout + probe.stderr).lower():
                    continue  # e.g. /usr/bin/sg is shadow-utils' "switch group"
            return str(candidate)
    return None


def _cpt_command() -> list[str]:
    found = _bin("cpt")
    return [found] if found else [sys.executable, "-m", "cpt.server.cli"]


def _measure(command: list[str], cwd: Path, out: Path) -> dict:
    """Run `command` in a fresh measuring child; return wall, return code and peak RSS."""
    err = out.with_suffix(".stderr")
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--_measure", str(out), str(err), "--",
         *command], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"measuring child failed: {result.stderr.strip()}")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    report["stderr"] = err.read_text(encoding="utf-8", errors="replace")
    return report


def _best(command: list[str], cwd: Path, out: Path, repeat: int) -> dict:
    """The fastest of `repeat` runs (peak RSS: the largest seen)."""
    best: dict | None = None
    peak = tree = 0.0
    for _ in range(repeat):
        report = _measure(command, cwd, out)
        peak = max(peak, report["peak_rss_mb"] or 0.0)
        tree = max(tree, report["tree_rss_mb"] or 0.0)
        if best is None or report["wall"] < best["wall"]:
            best = report
    assert best is not None
    best["peak_rss_mb"] = peak or None
    best["tree_rss_mb"] = tree or None
    return best


def _fill(run: Run, report: dict) -> Run:
    run.wall = report["wall"]
    run.cpu = report.get("cpu")
    run.peak_rss_mb = report["peak_rss_mb"]
    run.tree_rss_mb = report["tree_rss_mb"]
    run.returncode = report["returncode"]
    return run


def run_parse_only(corpus: Corpus, scratch: Path, repeat: int, query: bool = False) -> Run:
    listing = scratch / f"{corpus.name}-files.txt"
    listing.write_text("\n".join(str(path) for path in corpus.files) + "\n", encoding="utf-8")
    out = scratch / f"{corpus.name}-parse{'-query' if query else ''}.json"
    report = _best([sys.executable, str(Path(__file__).resolve()), "--_parse", str(listing),
                    *(["--query"] if query else [])], corpus.root, out, repeat)
    tool = "parse+query" if query else "parse-only"
    run = _fill(Run(tool, corpus.name, len(corpus.files), corpus.lines), report)
    if run.returncode == 0:
        parsed = json.loads(out.read_text(encoding="utf-8"))
        run.files_seen = parsed["files"]
        run.notes.append(f"{parsed['files_with_parse_errors']} files with parse errors")
    else:
        run.skipped = f"failed (exit {run.returncode}): {report['stderr'].strip()[-500:]}"
    return run


def run_cpt(corpus: Corpus, scratch: Path, jobs: int, repeat: int,
            cached: str | None = None) -> Run:
    """`cpt scan` with no cache (the cold rows), or with a primed one (`cached`).

    `cached` is "none changed" (a re-scan of the same files) or "one edit" (a line appended
    to one mid-sized file before each run, then taken out again).
    """
    suffix = "-" + cached.replace(" ", "-") if cached else ""
    out = scratch / f"{corpus.name}-cpt-j{jobs}{suffix}.json"
    command = [*_cpt_command(), "scan", str(corpus.root), "--jobs", str(jobs), "--format",
               "json", "-o", str(out), "--no-progress", "--fail-on", "none"]
    tool = f"cpt --jobs {jobs}"
    if cached is None:
        command.append("--no-cache")
        report = _best(command, corpus.root, out.with_suffix(".stdout"), repeat)
    else:
        tool = f"cpt cached, {cached}"
        report = _cached_best(command, corpus, scratch, out, repeat, cached == "one edit")
    run = _fill(Run(tool, corpus.name, len(corpus.files), corpus.lines), report)
    if run.returncode != 0 or not out.exists():
        run.skipped = f"failed (exit {run.returncode}): {report['stderr'].strip()[-500:]}"
        return run
    document = json.loads(out.read_text(encoding="utf-8"))
    run.findings = len(document["findings"])
    run.files_seen = document["files_scanned"]
    if document["files_skipped"]:
        run.notes.append(f"{document['files_skipped']} files skipped by cpt")
    return run


def _cached_best(command: list[str], corpus: Corpus, scratch: Path, out: Path, repeat: int,
                 edit: bool) -> dict:
    """The fastest of `repeat` runs over a cache a first (unmeasured) run filled."""
    folder = scratch / f"{corpus.name}-scan-cache"
    previous = os.environ.get("CPT_SCAN_CACHE_DIR")
    os.environ["CPT_SCAN_CACHE_DIR"] = str(folder)  # the measuring child inherits it
    edited = sorted(corpus.files, key=lambda path: path.stat().st_size)[len(corpus.files) // 2]
    original = edited.read_bytes()
    comment = b"\n// cpt benchmark edit " if edited.suffix != ".py" else b"\n# cpt benchmark edit "
    try:
        _measure(command, corpus.root, out.with_suffix(".stdout"))  # fills the cache
        best: dict | None = None
        for number in range(repeat):
            if edit:
                edited.write_bytes(original + comment + str(number).encode() + b"\n")
            report = _measure(command, corpus.root, out.with_suffix(".stdout"))
            if best is None or report["wall"] < best["wall"]:
                best = report
        assert best is not None
        return best
    finally:
        edited.write_bytes(original)
        if previous is None:
            os.environ.pop("CPT_SCAN_CACHE_DIR", None)
        else:
            os.environ["CPT_SCAN_CACHE_DIR"] = previous


def run_ast_grep(corpus: Corpus, scratch: Path, jobs: int, repeat: int) -> Run:
    run = Run("ast-grep", corpus.name, len(corpus.files), corpus.lines)
    binary = _bin("ast-grep") or _bin("sg", check="ast-grep")
    if binary is None:
        run.skipped = f"ast-grep not installed ({INSTALL_HINT})"
        return run
    out = scratch / f"{corpus.name}-ast-grep.jsonl"
    command = [binary, "scan", "--rule", str(RULES / "ast-grep.yml"), "--json=stream",
               "--inspect", "summary", "--threads", str(jobs), "--color", "never",
               "--no-ignore", "vcs", "--no-ignore", "parent", "--no-ignore", "hidden",
               "--no-ignore", "dot", "--no-ignore", "exclude", "--no-ignore", "global",
               str(corpus.root)]
    report = _best(command, corpus.root, out, repeat)
    _fill(run, report)
    if run.returncode not in (0, 1):
        run.skipped = f"failed (exit {run.returncode}): {report['stderr'].strip()[-500:]}"
        return run
    run.findings = sum(1 for line in out.read_text(encoding="utf-8").splitlines() if line.strip())
    match = re.search(r"scannedFileCount=(\d+)", report["stderr"])
    run.files_seen = int(match.group(1)) if match else None
    return run


def run_semgrep(corpus: Corpus, scratch: Path, jobs: int, repeat: int) -> Run:
    run = Run("semgrep", corpus.name, len(corpus.files), corpus.lines)
    binary = _bin("semgrep")  # no --version probe: it may wait on the network
    if binary is None:
        run.skipped = f"semgrep not installed ({INSTALL_HINT})"
        return run
    out = scratch / f"{corpus.name}-semgrep.json"
    command = [binary, "scan", "--config", str(RULES / "semgrep.yml"), "--metrics=off",
               "--disable-version-check", "--quiet", "--json", "-o", str(out), "--no-git-ignore",
               "--project-root", str(corpus.root), "--jobs", str(jobs), str(corpus.root)]
    os.environ.setdefault("SEMGREP_SEND_METRICS", "off")
    os.environ.setdefault("SEMGREP_ENABLE_VERSION_CHECK", "0")
    report = _best(command, corpus.root, out.with_suffix(".stdout"), repeat)
    _fill(run, report)
    if run.returncode not in (0, 1) or not out.exists():
        run.skipped = f"failed (exit {run.returncode}): {report['stderr'].strip()[-500:]}"
        return run
    document = json.loads(out.read_text(encoding="utf-8"))
    run.findings = len(document.get("results", []))
    run.files_seen = len(document.get("paths", {}).get("scanned", []))
    if document.get("errors"):
        run.notes.append(f"{len(document['errors'])} semgrep errors (timeouts/parse)")
    return run


def _keep(scratch: Path, corpus: Corpus, target: Path) -> None:
    """Copy the raw outputs of one corpus (`<corpus>-<tool>.*`) out of the scratch folder."""
    target.mkdir(parents=True, exist_ok=True)
    for path in scratch.glob(f"{corpus.name}-*"):
        if path.is_file() and path.suffix in (".json", ".jsonl"):
            shutil.copy2(path, target / path.name)


# --- report --------------------------------------------------------------------------------

def _fmt(value: float | None, digits: int = 1, thousands: bool = False) -> str:
    if value is None:
        return "-"
    if thousands:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if not numerator or not denominator:
        return None
    return numerator / denominator


def ratios(runs: list[Run]) -> dict[str, float | None]:
    """The target ratios of one corpus (None when a row is missing)."""
    by_tool = {run.tool: run for run in runs if run.skipped is None}

    def wall(tool: str) -> float | None:
        run = by_tool.get(tool)
        return run.wall if run else None

    peaks = [by_tool[tool].peak_rss_mb for tool in ("cpt --jobs 1", "cpt --jobs 2")
             if tool in by_tool and by_tool[tool].peak_rss_mb is not None]
    return {
        "cpt1_over_parse": _ratio(wall("cpt --jobs 1"), wall("parse-only")),
        "speedup_jobs2": _ratio(wall("cpt --jobs 1"), wall("cpt --jobs 2")),
        "cpt2_over_astgrep": _ratio(wall("cpt --jobs 2"), wall("ast-grep")),
        "semgrep_over_cpt2": _ratio(wall("semgrep"), wall("cpt --jobs 2")),
        "cpt_peak_rss": max(peaks) if peaks else None,
    }


def verdict(key: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    _, comparison, bound, _ = TARGETS[key]
    met = value <= bound if comparison == "<=" else value >= bound
    return "met" if met else "MISSED"


def print_corpus(corpus: Corpus, runs: list[Run], values: dict[str, float | None]) -> None:
    print()
    print(f"corpus {corpus.name}: {len(corpus.files):,} files, {corpus.lines:,} lines"
          f"  ({corpus.note})")
    header = (f"{'tool':<24} {'files':>7} {'lines':>9} {'wall s':>8} {'files/s':>8} "
              f"{'lines/s':>9} {'cpu s':>7} {'peak RSS MB':>11} {'tree MB':>8} {'findings':>8}")
    print(header)
    print("-" * len(header))
    for run in runs:
        if run.skipped is not None:
            print(f"{run.tool:<24} skipped: {run.skipped}")
            continue
        print(f"{run.tool:<24} {run.files:>7,} {run.lines:>9,} {_fmt(run.wall, 2):>8} "
              f"{_fmt(run.files_per_s, thousands=True):>8} "
              f"{_fmt(run.lines_per_s, thousands=True):>9} {_fmt(run.cpu, 1):>7} "
              f"{_fmt(run.peak_rss_mb):>11} "
              f"{_fmt(run.tree_rss_mb):>8} {_fmt(run.findings, thousands=True):>8}")
    for run in runs:
        if run.skipped is None and run.files_seen is not None and run.files_seen != run.files:
            print(f"  note: {run.tool} saw {run.files_seen} of {run.files} files")
        for note in run.notes:
            print(f"  note: {run.tool}: {note}")
    print("ratios:")
    for key, (label, comparison, bound, unit) in TARGETS.items():
        value = values[key]
        shown = "-" if value is None else (f"{value:.1f} MB" if unit == "MB" else f"{value:.2f}x")
        target = f"{comparison} {bound:g}{' MB' if unit == 'MB' else 'x'}"
        print(f"  {label:<30} {shown:>10}   target {target:<10} {verdict(key, value)}")
    by_tool = {run.tool: run.wall for run in runs if run.skipped is None}
    print("other figures (no target):")
    for label, numerator, denominator in FIGURES:
        value = _ratio(by_tool.get(numerator), by_tool.get(denominator))
        print(f"  {label:<44} {'-' if value is None else f'{value:.2f}x':>8}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--_measure"]:
        return _measure_main(argv[1:])
    if argv[:1] == ["--_parse"]:
        return _parse_main(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke test: {QUICK_FILES} stdlib files, no npm corpus")
    parser.add_argument("--no-external", action="store_true",
                        help="do not run ast-grep and Semgrep even if installed")
    parser.add_argument("--no-npm", action="store_true", help="leave out the npm JS/TS corpus")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per tool, fastest kept (default 1)")
    parser.add_argument("--jobs", type=int, default=2,
                        help="jobs/threads for the parallel rows (default 2)")
    parser.add_argument("--corpora", type=Path, default=HERE / ".corpora",
                        help="where corpora are built (default benchmarks/.corpora)")
    parser.add_argument("--results", type=Path, default=HERE / "results",
                        help="folder of the JSON results (default benchmarks/results)")
    parser.add_argument("--keep-output", type=Path, metavar="DIR",
                        help="copy every tool's raw output here (to diff the findings of two "
                             "builds: `cpt --jobs 1` and `--jobs 2` must also agree)")
    args = parser.parse_args(argv)
    if args.jobs < 2 or args.repeat < 1:
        parser.error("--jobs must be 2 or more and --repeat 1 or more")
    try:
        import cpt  # noqa: F401
    except ImportError:
        print("cpt is not importable: install the project first (pip install -e .)",
              file=sys.stderr)
        return 2

    started = time.perf_counter()
    args.corpora.mkdir(parents=True, exist_ok=True)
    # The repository's own cpt.toml excludes benchmarks/.corpora (it is not our code); a
    # config file here is found first, so the corpora are scanned with the defaults.
    (args.corpora / "cpt.toml").write_text("# benchmark corpora: default settings\n")
    corpora = [stdlib_corpus(args.corpora, QUICK_FILES if args.quick else None)]
    if not args.quick and not args.no_npm:
        js = npm_corpus(args.corpora)
        if js is not None:
            corpora.append(js)
    external = not args.no_external
    if external:
        found = {"ast-grep": _bin("ast-grep") or _bin("sg", check="ast-grep"),
                 "semgrep": _bin("semgrep")}
        for tool, binary in found.items():
            if binary is None:
                print(f"{tool} not found: its rows are skipped (install with {INSTALL_HINT})")
    print(f"cpu cores: {os.cpu_count()}; jobs {args.jobs}; repeat {args.repeat}; "
          f"python {platform.python_version()}; {platform.platform()}")

    all_runs: dict[str, list[Run]] = {}
    all_ratios: dict[str, dict[str, float | None]] = {}
    with tempfile.TemporaryDirectory(prefix="cpt-bench-") as temporary:
        scratch = Path(temporary)
        for corpus in corpora:
            print(f"\nmeasuring {corpus.name} ...", flush=True)
            runs = [run_parse_only(corpus, scratch, args.repeat),
                    run_parse_only(corpus, scratch, args.repeat, query=True),
                    run_cpt(corpus, scratch, 1, args.repeat),
                    run_cpt(corpus, scratch, args.jobs, args.repeat)]
            if args.jobs != 2:
                runs[-1].tool = "cpt --jobs 2"  # the ratio keys name the parallel row
                runs[-1].notes.append(f"ran with --jobs {args.jobs}")
            for cached in ("none changed", "one edit"):
                runs.append(run_cpt(corpus, scratch, args.jobs, args.repeat, cached))
                runs[-1].notes.append(f"--jobs {args.jobs}, cache filled by a run before")
            if external:
                runs.append(run_ast_grep(corpus, scratch, args.jobs, args.repeat))
                runs.append(run_semgrep(corpus, scratch, args.jobs, args.repeat))
            else:
                for tool in ("ast-grep", "semgrep"):
                    runs.append(Run(tool, corpus.name, len(corpus.files), corpus.lines,
                                    skipped="--no-external"))
            for run in runs:
                print(f"  {run.tool:<24} "
                      f"{'skipped' if run.skipped else _fmt(run.wall, 2) + ' s'}", flush=True)
            all_runs[corpus.name] = runs
            all_ratios[corpus.name] = ratios(runs)
            if args.keep_output is not None:
                _keep(scratch, corpus, args.keep_output)

    print("\n" + "=" * 100)
    if args.quick:
        print("QUICK smoke run on a small slice: the figures below are not meaningful")
    for corpus in corpora:
        print_corpus(corpus, all_runs[corpus.name], all_ratios[corpus.name])
    print()

    stamp = _dt.date.today().isoformat()
    args.results.mkdir(parents=True, exist_ok=True)
    target = args.results / f"scan-{stamp}{'-quick' if args.quick else ''}.json"
    document = {
        "date": _dt.datetime.now().isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version()},
        "jobs": args.jobs,
        "repeat": args.repeat,
        "corpora": [{"name": corpus.name, "files": len(corpus.files), "lines": corpus.lines,
                     "root": str(corpus.root), "source": corpus.note} for corpus in corpora],
        "runs": [dict(asdict(run), files_per_s=run.files_per_s, lines_per_s=run.lines_per_s)
                 for runs in all_runs.values() for run in runs],
        "ratios": {
            name: {key: {"value": value, "target": f"{TARGETS[key][1]} {TARGETS[key][2]:g}",
                         "verdict": verdict(key, value)} for key, value in values.items()}
            for name, values in all_ratios.items()
        },
        "seconds": round(time.perf_counter() - started, 1),
    }
    target.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {target} ({document['seconds']} s in all)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
