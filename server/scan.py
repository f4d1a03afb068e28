"""`cpt scan`: analyze many files in parallel processes, then run the cross-file pass."""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from cpt.engine.analysis import Analyzer, Finding
from cpt.engine.catalog import Catalog, load_catalog
from cpt.engine.config import ConfigProblem, Settings, find_config, load_settings
from cpt.engine.fingerprint import dice, remembered_trigrams
from cpt.engine.languages import LANGUAGES
from cpt.engine.project import (
    FileUnits,
    ProjectContext,
    Similarities,
    UnitRecord,
    analyze_project,
    fewest_lines,
    file_units,
)

from .analysis_inputs import catalog_key, settings_key
from .scan_cache import ScanCache, file_key, pack, project_key, unpack
from .walk import Candidate, discover

_BINARY_SNIFF = 8192


@dataclass
class Row:
    """A finding flattened for output: human positions, relative path."""

    element: str
    symbol: str
    group: str
    severity: str
    message: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    confidence: float
    source: str
    related: list[dict] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        """The JSON object of the `findings` list."""
        result = {key: getattr(self, key) for key in (
            "element", "symbol", "group", "severity", "message", "path", "line", "column",
            "end_line", "end_column", "confidence", "source")}
        if self.related:
            result["related"] = self.related
        return result


@dataclass
class FileResult:
    """What a worker sends back for one file."""

    path: str
    rows: list[Row] = field(default_factory=list)
    units: FileUnits | None = None
    skipped: str | None = None
    errors: list[str] = field(default_factory=list)
    lines: int = 0
    fixed: bytes | None = None  # the file's text after its safe fixes (--fix / --diff)
    original: bytes | None = None
    cache_key: str | None = None  # of the bytes analyzed, when the scan keeps a cache
    cache_inputs: str | None = None  # the key of its settings and cpt's code


@dataclass
class ScanResult:
    """Everything a scan found, ready for a formatter."""

    rows: list[Row]
    files_scanned: int
    skipped: list[tuple[str, str]]
    errors: list[str]
    catalog: Catalog
    lines: int = 0
    fixes: dict[str, tuple[str, bytes | None, bytes]] = field(default_factory=dict)
    # absolute path -> (shown path, original text, fixed text)
    from_cache: int = 0  # files whose results came from the scan cache


class SettingsResolver:
    """Find and cache the configuration of each file (nearest cpt.toml / pyproject.toml)."""

    def __init__(self, catalog: Catalog, explicit: Path | None = None,
                 select: list[str] | None = None, ignore: list[str] | None = None):
        self.catalog = catalog
        self.select = select
        self.ignore = ignore
        self.problems: list[ConfigProblem] = []
        self._by_file: dict[Path, Settings] = {}
        self._by_dir: dict[Path, Settings] = {}
        self._by_spelling: dict[str, Settings] = {}
        self._explicit = self._load(explicit) if explicit is not None else None

    def _load(self, path: Path) -> Settings:
        if path not in self._by_file:
            settings, problems = load_settings(path, self.catalog)
            self.problems.extend(problems)
            self._by_file[path] = settings.with_overrides(self.select, self.ignore)
        return self._by_file[path]

    def configured_fail_on(self) -> str | None:
        """The `fail-on` of the configuration files met, if one sets it."""
        return next((item.fail_on for item in self._by_file.values() if item.fail_on), None)

    def __call__(self, path: str | Path) -> Settings:
        if self._explicit is not None:
            return self._explicit
        # Looked up for every file and every cross-file pair: resolving each path again
        # dominated the index's warm start, so folders are cached by their spelling first.
        spelled = os.path.dirname(os.fspath(path))
        known = self._by_spelling.get(spelled)
        if known is not None:
            return known
        settings = self._settings_of(Path(path).resolve().parent)
        self._by_spelling[spelled] = settings
        return settings

    def _settings_of(self, folder: Path) -> Settings:
        settings = self._by_dir.get(folder)
        if settings is None:
            config = find_config(folder)
            settings = (self._load(config) if config is not None
                        else Settings().with_overrides(self.select, self.ignore))
            self._by_dir[folder] = settings
        return settings


def custom_element_roots(paths: list[Path]) -> list[Path]:
    """Find a team's `.cpt/elements/` folders above the scanned paths."""
    roots: list[Path] = []
    for path in paths:
        path = path.resolve()
        for folder in (path if path.is_dir() else path.parent, *path.parents):
            candidate = folder / ".cpt" / "elements"
            if candidate.is_dir():
                if candidate not in roots:
                    roots.append(candidate)
                break
    return roots


# --- worker side -------------------------------------------------------------------------

WORKER: dict = {}


def init_worker(extra_roots: list[Path], catalog: Catalog | None = None,
                analyzer: Analyzer | None = None) -> None:
    """Load the catalog and the analyzer of this process (unless the parent's are given)."""
    catalog = catalog if catalog is not None else load_catalog(extra_roots)
    WORKER["catalog"] = catalog
    WORKER["analyzer"] = analyzer if analyzer is not None else Analyzer(catalog)
    WORKER["cross_file"] = [element for element in catalog if element.detector is not None
                            and getattr(element.detector, "detect_project", None) is not None]


def read_source(path: Path, max_size: int) -> tuple[bytes | None, str | None]:
    try:
        size = path.stat().st_size
        if size > max_size:
            return None, f"too large ({size / 1_048_576:.1f} MiB > {max_size / 1_048_576:.1f} MiB)"
        data = path.read_bytes()
    except OSError as error:
        return None, f"cannot read: {error.strerror or error}"
    if b"\0" in data[:_BINARY_SNIFF]:
        return None, "binary file"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, f"not valid UTF-8 (byte {error.start})"
    return data, None


def analyze_file(task: tuple[Candidate, Settings, str, bool, str | None]) -> FileResult:
    """Analyze one file in a worker; every failure becomes a one-line skip reason."""
    candidate, settings, cwd, fixing, inputs_key = task
    path = candidate.path
    shown = _relative(path, cwd)
    data, reason = read_source(path, settings.max_file_size)
    if data is None:
        return FileResult(shown, skipped=reason)
    result = _analyzed(data, candidate, settings, shown, fixing)
    if inputs_key is not None:
        result.cache_key = file_key(inputs_key, str(path), data)
        result.cache_inputs = inputs_key
    return result


def _analyzed(data: bytes, candidate: Candidate, settings: Settings, shown: str,
              fixing: bool) -> FileResult:
    path = candidate.path
    analyzer: Analyzer = WORKER["analyzer"]
    try:
        analysis = analyzer.analyze(data, str(path), LANGUAGES[candidate.language], settings)
    except RecursionError:
        return FileResult(shown, skipped="nested too deeply to analyze")
    except Exception as error:  # cpt: ignore[broad-except] one bad file must not end the scan
        return FileResult(shown, skipped=f"analysis failed: {type(error).__name__}: {error}")
    fixed = None
    if fixing:
        fixed, analysis = _fixed(analyzer, analysis, candidate, settings)
    rows = [_row(finding, analysis.lines, shown) for finding in analysis.findings]
    # The parent holds every file's records until the cross-file pass: send only those a
    # cross-file element may pair (duplicate-code compares functions above its thresholds).
    units = file_units(analysis, lambda unit: _takes_part(unit, settings),
                       fewest_lines(WORKER["cross_file"], settings, str(path)))
    units.path = str(path)
    for unit in units.units:
        object.__setattr__(unit, "path", units.path)  # one string for the file's records
    return FileResult(shown, rows=rows, units=units, errors=analysis.errors,
                      lines=analysis.lines.line_count, fixed=fixed,
                      original=data if fixed is not None else None)


def _takes_part(unit: UnitRecord, settings: Settings) -> bool:
    """Whether some cross-file element may use this unit (see `takes_part` of a detector)."""
    for element in WORKER["cross_file"]:
        decide = getattr(element.detector, "takes_part", None)
        if decide is None or decide(unit, ProjectContext(element, lambda _path: settings)):
            return True
    return False


def _fixed(analyzer: Analyzer, analysis, candidate: Candidate, settings: Settings):
    """Apply every safe fix; return the new text (None if nothing changed) and its analysis."""
    from cpt.engine.fixes import apply_edits, fix_all

    edits = fix_all(analysis, catalog=analyzer.catalog)
    if not edits:
        return None, analysis
    new = apply_edits(analysis.source, edits)
    # Report what is left after fixing, exactly as a rescan of the fixed file would.
    return new, analyzer.analyze(new, str(candidate.path), LANGUAGES[candidate.language],
                                 settings)


def _relative(path: Path, cwd: str) -> str:
    try:
        return os.path.relpath(path, cwd)
    except ValueError:  # another drive on Windows
        return str(path)


def _row(finding: Finding, lines, shown: str) -> Row:
    line, column = lines.human(*finding.span.start)
    end_line, end_column = lines.human(*finding.span.end)
    related = []
    for item in finding.related:
        if item.path is None:
            r_line, r_column = lines.human(*item.span.start)
            r_end_line, r_end_column = lines.human(*item.span.end)
            related.append({"path": shown, "line": r_line, "column": r_column,
                            "end_line": r_end_line, "end_column": r_end_column,
                            "message": item.message})
        else:
            related.append({"path": item.path, "line": item.line, "column": item.column,
                            "end_line": item.end_line, "end_column": item.end_column,
                            "message": item.message})
    return Row(finding.element, finding.symbol, finding.group, finding.severity, finding.message,
               shown, line, column, end_line, end_column, round(finding.confidence, 3),
               finding.source, related, finding.data)


# --- parent side -------------------------------------------------------------------------

def run_scan(
    paths: list[Path],
    resolver: SettingsResolver,
    jobs: int,
    progress: Callable[[int, int], None] | None = None,
    on_skip: Callable[[str, str], None] | None = None,
    extra_roots: list[Path] | None = None,
    fixing: bool = False,
    cache: ScanCache | None = None,
) -> ScanResult:
    """Scan files below `paths` with `jobs` processes and return every finding.

    With a `cache` (never when fixing), files and a cross-file pass met before are not
    analyzed again; the findings are the same either way.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(*SCAN_GC_THRESHOLDS)
    try:
        return _scan(paths, resolver, jobs, progress, on_skip, extra_roots, fixing, cache)
    finally:
        gc.set_threshold(*thresholds)


def _scan(paths: list[Path], resolver: SettingsResolver, jobs: int,
          progress: Callable[[int, int], None] | None,
          on_skip: Callable[[str, str], None] | None, extra_roots: list[Path] | None,
          fixing: bool, cache: ScanCache | None) -> ScanResult:
    cwd = os.getcwd()
    candidates = [
        candidate for candidate in discover(paths)
        if not resolver(candidate.path).excluded(candidate.path)
    ]
    if jobs > 1:
        # Largest files first: a big file picked up last would leave the other workers idle.
        candidates.sort(key=_size, reverse=True)
    catalog = resolver.catalog
    cache = None if fixing else cache
    inputs = _InputKeys(catalog) if cache is not None else None
    tasks = [(candidate, settings, cwd, fixing, inputs(settings) if inputs else None)
             for candidate in candidates for settings in (resolver(candidate.path),)]
    stored, tasks = _stored_results(cache, tasks) if cache is not None else ({}, tasks)
    extra_roots = extra_roots or []
    results: list[FileResult] = []
    shared: dict = {}
    total = len(tasks) + len(stored)
    arriving = chain(((result, None) for result in stored.values()),
                     _results(tasks, jobs, extra_roots, catalog))
    unpacked: list[FileResult] = []  # analyzed in this process: pickled after the peak
    for done, (result, pickled) in enumerate(arriving, start=1):
        if cache is not None and result.cache_key is not None and result.cache_key not in stored:
            if pickled is not None:
                _keep(cache, result, pickled)
            else:
                unpacked.append(result)
        if result.units is not None:
            _share_values(result.units, shared)
        results.append(result)
        if result.skipped and on_skip is not None:
            on_skip(result.path, result.skipped)
        if progress is not None:
            progress(done, total)
    if cache is not None:
        cache.flush()
    rows = [row for result in results for row in result.rows]
    keys = [result.cache_key for result in results]
    whole = (project_key(key for key in keys if key is not None)
             if cache is not None and None not in keys else None)
    project_rows = cache.project(whole) if cache is not None and whole is not None else None
    if not isinstance(project_rows, list):
        project_rows = _cross_file_rows(results, catalog, resolver, jobs, cwd)
    rows.extend(project_rows)
    rows.sort(key=lambda row: (row.path, row.line, row.column, row.element))
    if cache is not None:
        # Pickling while the units were arriving grew one process's peak memory by 3-4 MB.
        for result in unpacked:
            _keep(cache, result, pack(result))
        cache.finish(list(stored), (whole, project_rows) if whole is not None else None)
    skipped = [(result.path, result.skipped) for result in results if result.skipped]
    errors = [error for result in results for error in result.errors]
    fixes = {result.units.path: (result.path, result.original, result.fixed)
             for result in results if result.fixed is not None and result.units is not None}
    return ScanResult(rows, len(results) - len(skipped), skipped, errors, catalog,
                      sum(result.lines for result in results), fixes, from_cache=len(stored))


def _keep(cache: ScanCache, result: FileResult, pickled: bytes) -> None:
    assert result.cache_key is not None and result.cache_inputs is not None
    cache.add(result.cache_key, pickled, result.path, result.cache_inputs)


class _InputKeys:
    """The analysis-inputs key of each distinct settings object met in a scan."""

    def __init__(self, catalog: Catalog):
        self.catalog_hash = catalog_key(catalog)
        self._known: dict[int, tuple[Settings, str]] = {}

    def __call__(self, settings: Settings) -> str:
        known = self._known.get(id(settings))
        if known is None:
            known = self._known[id(settings)] = (settings, settings_key(self.catalog_hash,
                                                                        settings))
        return known[1]


def _stored_results(cache: ScanCache, tasks: list) -> tuple[dict[str, FileResult], list]:
    """The cached result of each task whose file is unchanged, and the tasks left to run."""
    wanted: dict[str, int] = {}
    left: list[int] = []
    for position, task in enumerate(tasks):
        candidate, settings, _cwd, _fixing, inputs_key = task
        data, _reason = read_source(candidate.path, settings.max_file_size)
        key = None if data is None else file_key(inputs_key, str(candidate.path), data)
        if key is None or key in wanted:
            left.append(position)  # unreadable (the worker says why) or named twice
        else:
            wanted[key] = position
    found = {key: value for key, value in cache.files(list(wanted)).items()
             if isinstance(value, FileResult)}
    left.extend(position for key, position in wanted.items() if key not in found)
    return ({key: found[key] for key in wanted if key in found},
            [tasks[position] for position in sorted(left)])


def _cross_file_rows(results: list[FileResult], catalog: Catalog, resolver: SettingsResolver,
                     jobs: int, cwd: str) -> list[Row]:
    """The findings of the cross-file elements (duplicate code across files) as rows."""
    # Sorted: the cross-file pass (and the order of copies it names) must not depend on which
    # worker finished first.
    units = sorted((result.units for result in results if result.units is not None),
                   key=lambda item: item.path)
    shown = {result.units.path: result.path for result in results if result.units is not None}
    project = analyze_project(units, catalog, resolver, similarities=_similarities_for(jobs, units))
    by_path: dict[str, list[FileUnits]] = {}
    for item in units:
        by_path.setdefault(item.path, []).append(item)
    rows: list[Row] = []
    for path in list(project):
        findings = project.pop(path)  # each file's findings are freed once they are rows
        lines = _HumanLines(by_path.get(path, []))
        for finding in findings:
            rows.append(_project_row(finding, shown.get(path, path), lines, cwd))
    return rows


def _share_values(units: FileUnits, shared: dict) -> None:
    """Make equal sketch keys and fingerprints of different files one object each.

    Every record arrives with its own copies (one pickle per file); the band keys alone, eight
    integers a unit, were a fifth of a scan's memory while most of them repeat.
    """
    for unit in units.units:
        object.__setattr__(unit, "sketch", tuple(shared.setdefault(key, key)
                                                 for key in unit.sketch))
        object.__setattr__(unit, "fingerprint",
                           shared.setdefault(unit.fingerprint, unit.fingerprint))


def _size(candidate: Candidate) -> int:
    try:
        return candidate.path.stat().st_size
    except OSError:
        return 0


class _HumanLines:
    """Human positions of cross-file findings come from the unit records of their file."""

    def __init__(self, units: list[FileUnits]):
        """`units`: the records of one file (a list: a file named twice is scanned twice)."""
        self.records = {
            (unit.name_span.start_byte, unit.name_span.end_byte): unit
            for item in units for unit in item.units
        }


def _project_row(finding: Finding, shown: str, lines: _HumanLines, cwd: str) -> Row:
    record = lines.records.get((finding.span.start_byte, finding.span.end_byte))
    line = record.name_line if record else finding.span.start[0] + 1
    column = record.name_column if record else finding.span.start[1] + 1
    end_column = record.name_end_column if record else column
    related = [
        {"path": _relative(Path(item.path), cwd) if item.path else shown, "line": item.line,
         "column": item.column, "end_line": item.end_line, "end_column": item.end_column,
         "message": item.message}
        for item in finding.related
    ]
    return Row(finding.element, finding.symbol, finding.group, finding.severity, finding.message,
               shown, line, column, line, end_column,
               round(finding.confidence, 3), finding.source, related, finding.data)


# --- similarities of the cross-file pass ------------------------------------------------

# Fewer similarities (~40 µs each) take less time than forking a pool and feeding it.
MIN_PARALLEL_PAIRS = 4000
CHUNK_PAIRS = 3000  # contiguous pairs share units: a worker reuses their trigram counts
# The token streams of the scanned units, set before the pool forks so that its workers
# inherit them instead of receiving them pickled; pairs are sent as indices into it.
_STREAMS: list[str] = []
# A similarity worker's trigram counts of the streams it met last (see `remembered_trigrams`).
_TRIGRAMS: dict = {}
_MAX_TRIGRAMS = 4000


def _similarities_for(jobs: int, files: list[FileUnits]) -> Similarities | None:
    """Similarities computed by `jobs` processes, where they can fork (None: the detector's)."""
    if jobs <= 1 or sys.platform != "linux":
        return None
    return lambda pairs: _parallel_similarities(pairs, files, jobs)


def _parallel_similarities(pairs: Iterable[tuple[UnitRecord, UnitRecord]],
                           files: list[FileUnits], jobs: int) -> list[float]:
    """The similarity of each pair; a pool computes them while the detector finds more."""
    numbers: dict[str, int] = {}
    for item in files:
        for unit in item.units:
            if unit.fingerprint not in numbers:
                numbers[unit.fingerprint] = len(_STREAMS)
                _STREAMS.append(unit.normalized)
    pool = None
    parts: list = []
    chunk: list[tuple[int, int]] = []
    try:
        for first, second in pairs:
            chunk.append((numbers[first.fingerprint], numbers[second.fingerprint]))
            if len(chunk) >= (CHUNK_PAIRS if pool is not None else MIN_PARALLEL_PAIRS):
                if pool is None:
                    pool = multiprocessing.get_context("fork").Pool(jobs)
                parts.append(pool.apply_async(_pair_similarities, (chunk,)))
                chunk = []
        if pool is None:
            return _pair_similarities(chunk)  # too few to pay for the fork
        parts.append(pool.apply_async(_pair_similarities, (chunk,)))
        return [alike for part in parts for alike in part.get()]
    finally:
        if pool is not None:
            pool.terminate()  # every result is in (or the pass failed): nothing left to run
            pool.join()
        _STREAMS.clear()
        _TRIGRAMS.clear()


def _pair_similarities(indices: list[tuple[int, int]]) -> list[float]:
    """`dice` of the trigrams of each pair of streams (indices into `_STREAMS`)."""
    def grams(number: int) -> Counter:
        return remembered_trigrams(number, _STREAMS[number], _TRIGRAMS, _MAX_TRIGRAMS)

    return [dice(grams(first), grams(second)) for first, second in indices]


def _prepared_analyzer(catalog: Catalog, tasks: list) -> Analyzer:
    """An analyzer with the query plans of the scanned languages, built before the fork.

    Each worker built its own: the detectors imported, the combined queries compiled, once
    per process and language (half a second of each worker's start).
    """
    analyzer = Analyzer(catalog)
    for language in {task[0].language for task in tasks}:
        analyzer.plan(LANGUAGES[language])
    for element in catalog:
        _ = element.detector  # imported once here (the workers list the cross-file ones)
    return analyzer


# The cyclic collector runs rarely in a scan: a scan makes no cyclic garbage (the models are
# acyclic, ADR 10; reports are laid out without json's cyclic closures), so the collector only
# walked live objects: 6.4 s of a 45 s one-process stdlib scan, 0.5 s with these thresholds.
SCAN_GC_THRESHOLDS = (50_000, 20, 100)


def _init_scan_worker(extra_roots: list[Path], catalog: Catalog | None,
                      analyzer: Analyzer | None = None) -> None:
    init_worker(extra_roots, catalog, analyzer)
    # The catalog and its detectors live as long as the scan: keep them out of the cyclic
    # collector, which runs every few hundred model objects and took ~10 % of the analysis
    # (a fifth less frozen).
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SCAN_GC_THRESHOLDS)  # a spawned worker does not inherit the parent's


def _results(tasks: list, jobs: int, extra_roots: list[Path],
             catalog: Catalog) -> Iterator[tuple[FileResult, bytes | None]]:
    """Each file's result, with its pickle when a worker made one for the cache."""
    if jobs <= 1 or len(tasks) < 2:
        _init_scan_worker(extra_roots, catalog)
        for task in tasks:
            yield analyze_file(task), None
        return
    forked = sys.platform == "linux"
    context = multiprocessing.get_context("fork" if forked else "spawn")
    chunk = max(1, min(8, len(tasks) // (jobs * 16) or 1))
    # Forked workers inherit the parent's catalog and analyzer; spawned ones load their own.
    initargs = ((extra_roots, catalog, _prepared_analyzer(catalog, tasks)) if forked
                else (extra_roots, None))
    with context.Pool(jobs, initializer=_init_scan_worker, initargs=initargs) as pool:
        for result in pool.imap_unordered(_analyze_file_packed, tasks, chunksize=chunk):
            if isinstance(result, bytes):
                yield unpack(result), result
            else:
                yield result, None


def _analyze_file_packed(task: tuple) -> FileResult | bytes:
    """A worker's result, pickled here once when the parent will keep it in the cache.

    The pool pickles results anyway; the parent then stores these bytes as they are.
    """
    result = analyze_file(task)
    return pack(result) if result.cache_key else result
