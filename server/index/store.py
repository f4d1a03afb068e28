"""The workspace index: refresh it, and answer what the editor and the CLI ask of it."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import msgpack

from cpt.engine.catalog import Catalog, load_catalog
from cpt.engine.config import Settings
from cpt.server.scan import custom_element_roots

from . import project_pass
from .database import open_index, write_transaction
from .location import default_db_path
from .records import IndexedFile, pack_suppressions
from .refresh import (
    FolderSettings,
    RefreshReport,
    batches,
    catalog_key,
    plan,
    prepare_worker,
    relative_path,
    run_tasks,
)

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
FULL_PROJECT_PASS_ABOVE = 200  # changed files; fewer are updated around their clones only


@dataclass
class IndexedFinding:
    """A finding as stored: enough for a diagnostic, a table cell or a SARIF result."""

    path: str  # relative to the workspace root
    element: str
    severity: str
    confidence: float
    source: str
    scope: str  # "file" (the file's own analysis) or "project" (cross-file)
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    related: list[tuple[str | None, int, int, int, int, str]]


def _groups(values: list) -> Iterator[tuple[list, str]]:
    """Values in groups small enough for one `IN (?, ...)`, with their placeholders."""
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        yield chunk, ", ".join("?" * len(chunk))


class WorkspaceIndex:
    """One workspace's SQLite index (see docs/decisions/0006-workspace-index.md)."""

    def __init__(self, root: Path, db_path: Path | None = None, catalog: Catalog | None = None,
                 resolver: Callable[[str | Path], Settings] | None = None,
                 on_message: Callable[[str], None] | None = None,
                 catalog_hash: str | None = None):
        self.root = Path(root).resolve()
        self.path = Path(db_path) if db_path is not None else default_db_path(self.root)
        self.extra_roots = custom_element_roots([self.root])
        self.catalog = catalog if catalog is not None else load_catalog(self.extra_roots)
        self.resolver = resolver if resolver is not None else FolderSettings(self.catalog)
        self.conn = open_index(self.path, on_message)
        self.catalog_hash = catalog_hash or catalog_key(self.catalog)
        # What the cross-file detectors remember between updates (similarities by fingerprint
        # pair): an editor changes the same file again and again.
        self._memo: dict[str, dict] = {}
        self._sync_elements()

    # --- writing -----------------------------------------------------------------------

    def refresh(self, jobs: int = 1, progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None,
                only: Iterable[Path] | None = None,
                start_method: str | None = None) -> RefreshReport:
        """Bring the index up to date with the files on disk (all, or `only` these)."""
        started = time.perf_counter()
        only = [Path(path).resolve() for path in only] if only is not None else None
        existing = self._existing(only)
        tasks, unchanged, removed = plan(self.root, self.catalog_hash, self.resolver,
                                         existing, only)
        report = RefreshReport(files=len(tasks) + unchanged, unchanged=unchanged)
        changed_paths: list[str] = []
        # The changed files' units as they were: the cross-file update needs their old copies
        # (not kept when so many files change that the update compares everything anyway).
        old_rows: list[tuple] | None = []
        # A run killed between writing files and the cross-file pass leaves the cross-file
        # findings stale; the flag makes the next run redo that pass over everything.
        interrupted = self._meta("project_clean") == "0"
        if removed:
            old_rows = self._old_rows(old_rows, removed, len(removed))
            self._transaction(lambda: self._remove(removed))
            report.removed = len(removed)
        done = 0
        for batch in batches(run_tasks(tasks, jobs, self.extra_roots, start_method), cancelled):
            fresh = [item.path for item in batch if item.skipped != "unchanged"]
            old_rows = self._old_rows(old_rows, fresh,
                                      len(changed_paths) + len(fresh) + len(removed))
            self._transaction(functools.partial(self._write, batch))
            for item in batch:
                if item.skipped == "unchanged":
                    report.unchanged += 1
                else:
                    report.analyzed += 1
                    changed_paths.append(item.path)
                    if item.skipped:
                        report.skipped.append((item.path, item.skipped))
            done += len(batch)
            if progress is not None:
                progress(done, len(tasks))
        report.cancelled = done < len(tasks)
        if changed_paths or removed or interrupted:
            self._update_project(changed_paths, old_rows, full=interrupted)
        if not report.cancelled:
            self._set_meta("last_refresh", str(time.time()))
        report.seconds = time.perf_counter() - started
        return report

    def prepare(self) -> None:
        """Load what the first refresh of a changed file needs (while the server is idle)."""
        prepare_worker(self.extra_roots)
        for element in self.catalog:
            _ = element.detector  # imported on first use: the cross-file pass asks every one

    def _old_rows(self, rows: list[tuple] | None, paths: list[str], changed: int
                  ) -> list[tuple] | None:
        if rows is None or changed > FULL_PROJECT_PASS_ABOVE:
            return None
        return rows + project_pass.unit_rows_of_files(self.conn, paths)

    def _transaction(self, work: Callable[[], None]) -> None:
        with write_transaction(self.conn):
            work()

    def _existing(self, only: list[Path] | None) -> dict[str, tuple]:
        sql = "SELECT path, size, mtime_ns, hash, analysis_key FROM files"
        if only is None:
            return {row[0]: row for row in self.conn.execute(sql)}
        paths = [relative_path(self.root, path) for path in only]
        return {row[0]: row for chunk, marks in _groups(paths)
                for row in self.conn.execute(f"{sql} WHERE path IN ({marks})", chunk)}

    def _file_ids(self, paths: list[str]) -> list[int]:
        return [file_id for chunk, marks in _groups(paths) for (file_id,) in self.conn.execute(
            f"SELECT id FROM files WHERE path IN ({marks})", chunk)]

    def _count(self, file_ids: Iterable[int], sign: int) -> None:
        """Add (1) or take away (-1) these files' findings in the per-element counts."""
        totals: dict[str, list[int]] = {}
        for chunk, marks in _groups(sorted(file_ids)):
            for element, found, files in self.conn.execute(
                    "SELECT element, count(*), count(DISTINCT file_id) FROM findings "
                    f"WHERE file_id IN ({marks}) GROUP BY element", chunk):
                total = totals.setdefault(element, [0, 0])
                total[0] += found
                total[1] += files
        self.conn.executemany(
            "INSERT INTO element_counts (element, findings, files) VALUES (?, ?, ?) "
            "ON CONFLICT(element) DO UPDATE SET findings = findings + excluded.findings, "
            "files = files + excluded.files",
            [(element, sign * found, sign * files) for element, (found, files) in totals.items()])
        self.conn.execute("DELETE FROM element_counts WHERE findings <= 0")

    def _remove(self, paths: list[str]) -> None:
        self._set_meta("project_clean", "0")
        ids = self._file_ids(paths)
        self._count(ids, -1)
        for file_id in ids:
            self._clear_file(file_id)
            self.conn.execute("DELETE FROM files WHERE id = ?", (file_id,))

    def _clear_file(self, file_id: int) -> None:
        self.conn.execute("DELETE FROM unit_bands WHERE unit_id IN "
                          "(SELECT id FROM units WHERE file_id = ?)", (file_id,))
        self.conn.execute("DELETE FROM findings WHERE file_id = ? OR unit_id IN "
                          "(SELECT id FROM units WHERE file_id = ?)", (file_id, file_id))
        self.conn.execute("DELETE FROM units WHERE file_id = ?", (file_id,))

    def _write(self, batch: list[IndexedFile]) -> None:
        now = time.time()
        fresh = [item.path for item in batch if item.skipped != "unchanged"]
        if fresh:
            # Set with the rows it is about: a kill before the cross-file pass redoes it all.
            self._set_meta("project_clean", "0")
            self._count(self._file_ids(fresh), -1)
        for item in batch:
            if item.skipped == "unchanged":
                self.conn.execute("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
                                  (item.size, item.mtime_ns, item.path))
                continue
            file_id = self.conn.execute(
                "INSERT INTO files (path, language, hash, size, mtime_ns, lines, analysis_key, "
                "skipped, suppressions, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(path) DO UPDATE SET language = excluded.language, "
                "hash = excluded.hash, size = excluded.size, mtime_ns = excluded.mtime_ns, "
                "lines = excluded.lines, analysis_key = excluded.analysis_key, "
                "skipped = excluded.skipped, suppressions = excluded.suppressions, "
                "indexed_at = excluded.indexed_at RETURNING id",
                (item.path, item.language, item.hash, item.size, item.mtime_ns, item.lines,
                 item.analysis_key, item.skipped, pack_suppressions(item.suppressions), now),
            ).fetchone()[0]
            self._clear_file(file_id)
            for unit, bands in zip(item.units, item.bands, strict=True):
                columns = ", ".join(f'"{key}"' for key in unit)
                marks = ", ".join("?" for _ in unit)
                unit_id = self.conn.execute(
                    f"INSERT INTO units (file_id, {columns}) VALUES (?, {marks}) RETURNING id",
                    (file_id, *unit.values())).fetchone()[0]
                if bands:
                    self.conn.executemany("INSERT INTO unit_bands (band, unit_id) VALUES (?, ?)",
                                          [(band, unit_id) for band in bands])
            self.conn.executemany(
                "INSERT INTO findings (file_id, element, severity, confidence, source, scope, "
                "message, line, column, end_line, end_column, related) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(file_id, row["element"], row["severity"], row["confidence"], row["source"],
                  row["scope"], row["message"], row["line"], row["column"], row["end_line"],
                  row["end_column"], row["related"]) for row in item.findings])
        if fresh:
            self._count(self._file_ids(fresh), 1)

    def _update_project(self, changed: list[str], old_rows: list[tuple] | None,
                        full: bool = False) -> None:
        full = full or old_rows is None or len(changed) > FULL_PROJECT_PASS_ABOVE

        def update() -> None:
            project_pass.update(self.conn, self.root, self.catalog, self.resolver, changed,
                                None if full else old_rows, self._count, self._memo)
            if full:
                self._update_counts()
            self._set_meta("project_clean", "1")
        self._transaction(update)

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _update_counts(self) -> None:
        self.conn.execute("DELETE FROM element_counts")
        self.conn.execute("INSERT INTO element_counts (element, findings, files) "
                          "SELECT element, count(*), count(DISTINCT file_id) FROM findings "
                          "GROUP BY element")

    def _set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    def _sync_elements(self) -> None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'catalog'").fetchone()
        if row is not None and row[0] == self.catalog_hash:
            return

        def sync() -> None:
            self.conn.execute("DELETE FROM elements")
            self.conn.executemany(
                'INSERT INTO elements (id, symbol, name, "group", summary) VALUES (?, ?, ?, ?, ?)',
                [(item.id, item.symbol, item.name, item.group, item.summary)
                 for item in self.catalog])
            self._set_meta("catalog", self.catalog_hash)
            self._set_meta("root", str(self.root))
        self._transaction(sync)

    def close(self) -> None:
        self.conn.close()

    # --- reading -----------------------------------------------------------------------

    def relative(self, path: Path | str) -> str:
        return relative_path(self.root, Path(path).resolve())

    def findings(self, path: str | None = None, element: str | None = None,
                 limit: int | None = None) -> list[IndexedFinding]:
        """Stored findings, of one file (relative path) and/or one element, in file order."""
        where, args = [], []
        if path is not None:
            where.append("f.path = ?")
            args.append(path)
        if element is not None:
            where.append("n.element = ?")
            args.append(element)
        sql = ("SELECT f.path, n.element, n.severity, n.confidence, n.source, n.scope, "
               "n.message, n.line, n.column, n.end_line, n.end_column, n.related "
               "FROM findings n JOIN files f ON f.id = n.file_id"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY f.path, n.line, n.column, n.element"
               + (f" LIMIT {int(limit)}" if limit is not None else ""))
        found = []
        for row in self.conn.execute(sql, args):
            related = [tuple(item) for item in msgpack.unpackb(row[11])] if row[11] else []
            found.append(IndexedFinding(*row[:11], related=related))  # type: ignore[misc]
        return found

    def counts(self) -> dict[str, tuple[int, int]]:
        """Per element: (findings, files) in the workspace."""
        return {row[0]: (row[1], row[2]) for row in self.conn.execute(
            "SELECT element, findings, files FROM element_counts")}

    def file_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM files WHERE skipped IS NULL").fetchone()[0]

    def search_units(self, text: str, limit: int = 50) -> list[dict]:
        """Functions and classes whose name contains `text` (FTS5 trigram index)."""
        text = text.strip()
        if not text:
            return []
        if len(text) >= 3:
            phrase = '"' + text.replace('"', '""') + '"'
            sql = ("SELECT u.kind, u.name, f.path, u.name_line, u.name_column, u.name_end_column "
                   "FROM units_fts JOIN units u ON u.rowid = units_fts.rowid "
                   "JOIN files f ON f.id = u.file_id WHERE units_fts MATCH ? "
                   "ORDER BY rank LIMIT ?")
            args: tuple = (phrase, limit)
        else:  # the trigram index needs three characters; short names are matched directly
            sql = ("SELECT u.kind, u.name, f.path, u.name_line, u.name_column, u.name_end_column "
                   "FROM units u JOIN files f ON f.id = u.file_id WHERE u.name LIKE ? LIMIT ?")
            args = (f"%{text}%", limit)
        keys = ("kind", "name", "path", "line", "column", "end_column")
        return [dict(zip(keys, row, strict=True)) for row in self.conn.execute(sql, args)]

    def search_elements(self, text: str) -> list[str]:
        """Element ids matching `text` by id, symbol, name or summary."""
        text = text.strip()
        if not text:
            return []
        exact = [row[0] for row in self.conn.execute(
            "SELECT id FROM elements WHERE lower(symbol) = lower(?) OR id = lower(?)",
            (text, text))]
        if len(text) < 3:
            return exact
        phrase = '"' + text.replace('"', '""') + '"'
        found = [row[0] for row in self.conn.execute(
            "SELECT e.id FROM elements_fts JOIN elements e ON e.rowid = elements_fts.rowid "
            "WHERE elements_fts MATCH ? ORDER BY rank", (phrase,))]
        return exact + [item for item in found if item not in exact]

    def last_refresh(self) -> float | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'last_refresh'").fetchone()
        return float(row[0]) if row else None
