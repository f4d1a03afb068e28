"""Build and refresh a workspace index.

Only files whose content (or analysis inputs) changed are analyzed again; every file's rows
are replaced in one transaction, so a process killed at any moment leaves each file either
fully old or fully new, never half written or duplicated.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from cpt.engine.config import CONFIG_FILES, Settings
from cpt.engine.languages import LANGUAGES
from cpt.engine.project import takes_part
from cpt.server.analysis_inputs import catalog_key, settings_key
from cpt.server.scan import WORKER, SettingsResolver, init_worker, read_source
from cpt.server.walk import Candidate, discover, walked_candidate

from .records import IndexedFile, content_hash, finding_rows, unit_rows

BATCH_FILES = 64
BATCH_SECONDS = 0.5


@dataclass
class RefreshReport:
    """What one refresh did, for the progress line and the benchmark."""

    files: int = 0
    analyzed: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    cancelled: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.analyzed or self.removed)


@dataclass
class _Task:
    candidate: Candidate
    relative: str
    settings: Settings
    analysis_key: str
    old_hash: str | None
    size: int
    mtime_ns: int


class FolderSettings(SettingsResolver):
    """A `SettingsResolver` that asks the parent folder when a folder has no config file.

    `find_config` walks up to the root again from each of a workspace's thousands of folders.
    """

    def _settings_of(self, folder: Path) -> Settings:
        settings = self._by_dir.get(folder)
        if settings is None:
            if folder.parent != folder and not any((folder / name).is_file()
                                                   for name in CONFIG_FILES):
                settings = self._by_dir[folder] = self._settings_of(folder.parent)
            else:
                settings = super()._settings_of(folder)
        return settings


def relative_path(root: Path, path: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


class _Paths:
    """Relative paths and exclusion by string, for the resolved paths a walk yields.

    `relative_path` and `Settings.excluded` resolve every path again (a dozen system calls
    each): on a warm start of 10,000 files that was most of the time to "index ready".
    """

    def __init__(self, root: Path):
        self.root = root
        self.prefix = os.path.join(str(root), "")
        self._rootless: dict[int, tuple[str | None, Settings]] = {}

    def relative(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return relative_path(self.root, Path(path))
        relative = path[len(self.prefix):]
        return relative if os.sep == "/" else relative.replace(os.sep, "/")

    def excluded(self, settings: Settings, path: str) -> bool:
        """`settings.excluded(path)` for a resolved path."""
        if not settings.exclude:
            return False
        known = self._rootless.get(id(settings))
        if known is None:
            root = os.path.join(str(settings.root.resolve()), "") if settings.root else None
            # Without a root, `excluded` takes the path as relative to the configuration.
            known = self._rootless[id(settings)] = (root, replace(settings, root=None))
        root, rootless = known
        if root is not None and path.startswith(root):
            path = path[len(root):]
        return rootless.excluded(path)


def plan(root: Path, catalog_hash: str, resolver: SettingsResolver, existing: dict[str, tuple],
         only: Iterable[Path] | None = None) -> tuple[list[_Task], int, list[str]]:
    """Decide which files need analysis; return tasks, the unchanged count and removed paths.

    `root` and the paths in `only` are resolved; so are the paths the walk yields.
    """
    keys: dict[int, str] = {}
    tasks: list[_Task] = []
    unchanged = 0
    seen: set[str] = set()
    paths = _Paths(root)
    if only is None:
        candidates: Iterable[Candidate] = discover([root])
    else:
        found = (walked_candidate(root, path) for path in only)
        candidates = [candidate for candidate in found if candidate is not None]
    for candidate in candidates:
        spelled = os.fspath(candidate.path)
        settings = resolver(spelled)
        if paths.excluded(settings, spelled):
            continue
        relative = paths.relative(spelled)
        seen.add(relative)
        try:
            stat = os.stat(spelled)
        except OSError:
            continue
        key = keys.get(id(settings))
        if key is None:
            key = keys[id(settings)] = settings_key(catalog_hash, settings)
        row = existing.get(relative)
        if (row is not None and row[1] == stat.st_size and row[2] == stat.st_mtime_ns
                and row[4] == key):
            unchanged += 1
            continue
        same_inputs = row is not None and row[4] == key
        old_hash = row[3] if row is not None and same_inputs else None
        tasks.append(_Task(candidate, relative, settings, key, old_hash,
                           stat.st_size, stat.st_mtime_ns))
    if only is None:
        removed = [path for path in existing if path not in seen]
    else:
        wanted = {paths.relative(os.fspath(path)) for path in only}
        removed = [path for path in wanted if path in existing and path not in seen]
    return tasks, unchanged, removed


def index_file(task: _Task) -> IndexedFile:
    """Analyze one file in a worker (or say it did not change)."""
    result = IndexedFile(task.relative, task.candidate.language, "", task.size, task.mtime_ns,
                         task.analysis_key)
    data, reason = read_source(task.candidate.path, task.settings.max_file_size)
    if data is None:
        result.skipped = reason
        return result
    result.hash = content_hash(data)
    if result.hash == task.old_hash:
        result.skipped = "unchanged"  # touched, same content: only the stat is refreshed
        return result
    analyzer = WORKER["analyzer"]
    try:
        analysis = analyzer.analyze(data, str(task.candidate.path),
                                    LANGUAGES[task.candidate.language], task.settings)
    except RecursionError:
        result.skipped = "nested too deeply to analyze"
        return result
    except Exception as error:  # cpt: ignore[broad-except] one bad file must not end indexing
        result.skipped = f"analysis failed: {type(error).__name__}: {error}"
        return result
    result.lines = analysis.lines.line_count
    result.suppressions = analysis.suppressions
    catalog = WORKER["catalog"]
    result.units, result.bands = unit_rows(
        analysis, lambda unit: takes_part(unit, catalog, task.settings))
    result.findings = finding_rows(analysis)
    result.errors = analysis.errors
    return result


def prepare_worker(extra_roots: list[Path]) -> None:
    """Load the in-process analyzer (a server does it while idle, before the first save)."""
    if "analyzer" not in WORKER:
        init_worker(extra_roots)


def run_tasks(tasks: list[_Task], jobs: int, extra_roots: list[Path],
              start_method: str | None = None) -> Iterator[IndexedFile]:
    """Analyze in `jobs` processes, largest files first so no worker idles at the end.

    The language server passes "spawn": forking a process that runs threads is unsafe.
    """
    if not tasks:
        return  # a warm start: loading the analyzer's element table would be most of it
    if (jobs <= 1 and start_method is None) or len(tasks) < 8:
        prepare_worker(extra_roots)
        for task in tasks:
            yield index_file(task)
        return
    tasks = sorted(tasks, key=lambda task: task.size, reverse=True)
    method = start_method or ("fork" if sys.platform == "linux" else "spawn")
    context = multiprocessing.get_context(method)
    chunk = max(1, min(8, len(tasks) // (jobs * 16) or 1))
    with context.Pool(jobs, initializer=init_worker, initargs=(extra_roots,)) as pool:
        yield from pool.imap_unordered(index_file, tasks, chunksize=chunk)


def batches(results: Iterable[IndexedFile], cancelled: Callable[[], bool] | None
            ) -> Iterator[list[IndexedFile]]:
    """Group results so each transaction holds many files but none waits long."""
    batch: list[IndexedFile] = []
    started = time.monotonic()
    for result in results:
        batch.append(result)
        if len(batch) >= BATCH_FILES or time.monotonic() - started >= BATCH_SECONDS:
            yield batch
            batch, started = [], time.monotonic()
            if cancelled is not None and cancelled():
                return
    if batch:
        yield batch


__all__ = ["FolderSettings", "RefreshReport", "batches", "catalog_key", "index_file", "plan",
           "prepare_worker", "relative_path", "run_tasks"]
