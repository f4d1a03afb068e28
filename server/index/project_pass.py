"""Cross-file findings (clones across files) kept up to date in the index.

After a cold build every function is compared (through sketch bands, not pairwise). After a
few files change, only what the change can reach is recomputed:

1. the changed files' new units, against every unit sharing a fingerprint or a band with them;
2. their old units (read before the files were rewritten), the same way, against the index as
   it was: with 1, this names every unit that had or has a copy among the changed units;
3. those units, and every member of a band that became or stopped being boilerplate
   (more than MAX_BUCKET members), against every unit sharing a key with them.

Only units that take part (`units.project`, the detector's `takes_part`) have bands, so a
band's row count is the bucket the detector sees, before and after the change. Every other
unit keeps its copies, so the result equals a full pass (tested), and a unit that shares only
a band with the changed file costs one similarity, computed once per fingerprint pair.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgpack

from cpt.engine.analysis import Finding, Hit
from cpt.engine.catalog import Catalog
from cpt.engine.config import Settings
from cpt.engine.positions import Span
from cpt.engine.project import FileUnits, UnitRecord, analyze_project

from .records import unpack_suppressions

MAX_BUCKET = 40  # as the duplicate-code element: a band this common is boilerplate
_CHUNK = 500
_UNIT_COLUMNS = ("u.id, f.path, f.language, u.name, u.line, u.column, u.end_line, u.end_column, "
                 "u.name_line, u.name_column, u.name_end_column, u.start_byte, u.end_byte, "
                 "u.name_start_byte, u.name_end_byte, u.fingerprint, u.size, u.lines, "
                 "u.normalized, u.sketch, f.id, u.project")
_ID, _PATH, _LINE, _FINGERPRINT, _SKETCH, _FILE_ID, _PROJECT = 0, 1, 4, 15, 19, 20, 21
_FROM = "FROM units u JOIN files f ON f.id = u.file_id"


@dataclass
class Keys:
    """Fingerprints and sketch bands: what connects a unit to its clones."""

    fingerprints: set[str] = field(default_factory=set)
    bands: set[int] = field(default_factory=set)

    def update(self, other: Keys) -> None:
        self.fingerprints |= other.fingerprints
        self.bands |= other.bands


def _chunks(items: list) -> Iterable[list]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _marks(items: list) -> str:
    return ", ".join("?" for _ in items)


def units_with_keys(conn: sqlite3.Connection, keys: Keys) -> list[tuple]:
    rows: dict[int, tuple] = {}
    fingerprints = sorted(keys.fingerprints)
    for chunk in _chunks(fingerprints):
        for row in conn.execute(
                f"SELECT {_UNIT_COLUMNS} FROM units u JOIN files f ON f.id = u.file_id "
                f"WHERE u.kind = 'function' AND u.fingerprint IN ({_marks(chunk)})", chunk):
            rows[row[0]] = row
    bands = sorted(keys.bands)
    for chunk in _chunks(bands):
        for row in conn.execute(
                f"SELECT {_UNIT_COLUMNS} FROM units u JOIN files f ON f.id = u.file_id "
                "WHERE u.id IN (SELECT unit_id FROM unit_bands WHERE band IN "
                f"(SELECT band FROM unit_bands WHERE band IN ({_marks(chunk)}) "
                f"GROUP BY band HAVING count(*) <= {MAX_BUCKET}))", chunk):
            rows[row[0]] = row
    return list(rows.values())


def _bands(row: tuple) -> list[int]:
    """The unit's rows in `unit_bands` (units that take part only)."""
    return msgpack.unpackb(row[_SKETCH]) if row[_PROJECT] and row[_SKETCH] else []


def unit_rows_of_files(conn: sqlite3.Connection, paths: list[str]) -> list[tuple]:
    """The fingerprinted functions of these files as stored (read before they are rewritten)."""
    rows: list[tuple] = []
    for chunk in _chunks(paths):
        rows.extend(conn.execute(
            f"SELECT {_UNIT_COLUMNS} {_FROM} WHERE u.kind = 'function' AND u.fingerprint != '' "
            f"AND f.path IN ({_marks(chunk)})", chunk))
    return rows


class _Units:
    """Units read from the index during one update, each key looked up once."""

    def __init__(self, conn: sqlite3.Connection, root: Path):
        self.conn, self.root = conn, root
        self.rows: dict[int, tuple] = {}
        self.counts: dict[int, int] = {}  # rows under a band in unit_bands, now
        self._by_fingerprint: dict[str, set[int]] = {}
        self._by_band: dict[int, set[int]] = {}
        self._loaded: set[str | int] = set()  # keys whose units have all been read
        self._suppressions: dict[int, list] = {}
        self._paths: dict[str, str] = {}

    def path(self, relative: str) -> str:
        """The absolute path of a stored (relative) one, as the detectors see it."""
        found = self._paths.get(relative)
        if found is None:
            found = self._paths[relative] = str(self.root / relative)
        return found

    def count(self, bands: Iterable[int]) -> None:
        wanted = sorted(set(bands) - self.counts.keys())
        for band in wanted:
            self.counts[band] = 0
        for chunk in _chunks(wanted):
            self.counts.update(self.conn.execute(
                f"SELECT band, count(*) FROM unit_bands WHERE band IN ({_marks(chunk)}) "
                "GROUP BY band", chunk))

    def load(self, fingerprints: Iterable[str], bands: Iterable[int]) -> None:
        """Read the units that take part and share one of these keys (if not read yet)."""
        fingerprints = sorted(set(fingerprints) - self._loaded)
        self._loaded.update(fingerprints)
        for chunk in _chunks(fingerprints):
            self._add(self.conn.execute(
                f"SELECT {_UNIT_COLUMNS} {_FROM} WHERE u.project = 1 AND "
                f"u.fingerprint IN ({_marks(chunk)})", chunk))
        bands = sorted(set(bands) - self._loaded)
        self._loaded.update(bands)
        for chunk in _chunks(bands):
            self._add(self.conn.execute(
                f"SELECT {_UNIT_COLUMNS} {_FROM} WHERE u.id IN (SELECT unit_id FROM unit_bands "
                f"WHERE band IN ({_marks(chunk)}))", chunk))

    def _add(self, rows: Iterable[tuple]) -> None:
        for row in rows:
            if row[_ID] in self.rows:
                continue
            self.rows[row[_ID]] = row
            if row[_PROJECT]:
                self._by_fingerprint.setdefault(row[_FINGERPRINT], set()).add(row[_ID])
            for band in _bands(row):
                self._by_band.setdefault(band, set()).add(row[_ID])

    def sharing(self, fingerprints: Iterable[str], bands: Iterable[int]) -> list[tuple]:
        """Loaded units with one of these keys."""
        ids: set[int] = set()
        for key in fingerprints:
            ids |= self._by_fingerprint.get(key, set())
        for band in bands:
            ids |= self._by_band.get(band, set())
        return [self.rows[unit_id] for unit_id in ids]

    def suppressions(self, file_ids: set[int]) -> dict[int, list]:
        wanted = sorted(file_ids - self._suppressions.keys())
        for file_id in wanted:
            self._suppressions[file_id] = []
        for chunk in _chunks(wanted):
            for file_id, packed in self.conn.execute(
                    f"SELECT id, suppressions FROM files WHERE id IN ({_marks(chunk)})", chunk):
                self._suppressions[file_id] = unpack_suppressions(packed)
        return self._suppressions


@dataclass
class _Run:
    """The project detectors over some units, keeping the findings of the focused ones."""

    findings: list[tuple[tuple, Finding]] = field(default_factory=list)  # (unit row, finding)
    copies: set[tuple[str, int]] = field(default_factory=set)  # (path, line) of their copies
    unknown: bool = False  # a focused hit did not name its copies


def _run(units: _Units, rows: Iterable[tuple], focus: set[int], small: Callable[[int], bool],
         catalog: Catalog, settings_for: Callable[[str], Settings], memo: dict,
         suppressed: bool = True) -> _Run:
    """Detect over `rows` (by id), focused on `focus`; bands that are not `small` are dropped."""
    rows = list({row[_ID]: row for row in rows}.values())
    suppressions = (units.suppressions({row[_FILE_ID] for row in rows}) if suppressed
                    else {})
    files, by_name = _file_units(units.path, rows, suppressions, small)
    focused = {id(by_name[key][1]) for key, (row, _record) in by_name.items() if row[_ID] in focus}
    hits: list[tuple[str, Hit]] = []
    results = analyze_project(files, catalog, settings_for,
                              lambda record: id(record) in focused, memo, hits)
    run = _Run()
    for path, hit in hits:
        found = by_name.get((path, hit.span.start_byte, hit.span.end_byte))
        if found is None or found[0][_ID] not in focus:
            continue
        copies = hit.data.get("copies")
        if copies is None:
            run.unknown = True
            continue
        run.copies.update((item[0], item[1]) for item in copies)
    for path, findings in results.items():
        for finding in findings:
            found = by_name.get((path, finding.span.start_byte, finding.span.end_byte))
            if found is not None and found[0][_ID] in focus:
                run.findings.append((found[0], finding))
    return run


def update(conn: sqlite3.Connection, root: Path, catalog: Catalog,
           settings_for: Callable[[str | Path], Settings], changed: list[str],
           old_rows: list[tuple] | None,
           count: Callable[[Iterable[int], int], None] = lambda _ids, _sign: None,
           memo: dict[str, dict[str, Any]] | None = None) -> None:
    """Recompute the cross-file findings (inside the caller's transaction).

    `old_rows` are the changed and removed files' units before the refresh (None: compare
    everything). `count(file_ids, -1 or 1)` is called around rewriting those files' findings.
    """
    memo = memo if memo is not None else {}
    if old_rows is None:
        rows = list(conn.execute(f"SELECT {_UNIT_COLUMNS} {_FROM} "
                                 "WHERE u.kind = 'function' AND u.project = 1"))
        units = _Units(conn, root)
        suppressions = units.suppressions({row[_FILE_ID] for row in rows})
        files, by_name = _file_units(units.path, rows, suppressions, lambda _band: True)
        results = analyze_project(files, catalog, settings_for, None, memo)
        conn.execute("DELETE FROM findings WHERE scope = 'project'")
        _insert(conn, root, [(by_name[(path, item.span.start_byte, item.span.end_byte)][0], item)
                             for path, found in results.items() for item in found])
        return

    def detect(rows: Iterable[tuple], focus: set[int], small: Callable[[int], bool],
               suppressed: bool = True) -> _Run:
        return _run(units, rows, focus, small, catalog, settings_for, memo, suppressed)

    units = _Units(conn, root)
    changed_paths = set(changed)
    new = [row for row in unit_rows_of_files(conn, changed) if row[_PROJECT]]
    old = [row for row in old_rows if row[_PROJECT]]
    new_bands = Counter(band for row in new for band in _bands(row))
    old_bands = Counter(band for row in old for band in _bands(row))
    units.count(new_bands.keys() | old_bands.keys())
    before = {band: units.counts[band] - new_bands[band] + old_bands[band]
              for band in new_bands.keys() | old_bands.keys()}

    def small_now(band: int) -> bool:
        return units.counts.get(band, 0) <= MAX_BUCKET

    def small_before(band: int) -> bool:
        return before.get(band, units.counts.get(band, 0)) <= MAX_BUCKET

    new_keys = ({row[_FINGERPRINT] for row in new}, {band for band in new_bands if small_now(band)})
    old_keys = ({row[_FINGERPRINT] for row in old},
                {band for band in old_bands if small_before(band)})
    units.load(new_keys[0] | old_keys[0], new_keys[1] | old_keys[1])
    # 1. The changed files' units now; 2. as they were (their rows in the index are gone).
    now = detect(units.sharing(*new_keys) + new, {row[_ID] for row in new}, small_now)
    gone = detect([row for row in units.sharing(*old_keys) if row[_PATH] not in changed_paths]
                  + old, {row[_ID] for row in old}, small_before, suppressed=False)
    # 3. Units that had or have a copy there, and the members of bands that crossed the limit.
    crossing = {band for band in before if small_now(band) != small_before(band)}
    units.load((), crossing)
    copies = now.copies | gone.copies
    reached = [row for row in units.rows.values() if row[_PATH] not in changed_paths and (
        now.unknown or gone.unknown or (units.path(row[_PATH]), row[_LINE]) in copies
        or crossing.intersection(_bands(row)))]
    findings = now.findings
    if reached:
        keys = ({row[_FINGERPRINT] for row in reached},
                {band for row in reached for band in _bands(row)})
        units.count(keys[1])
        keys = (keys[0], {band for band in keys[1] if small_now(band)})
        units.load(*keys)
        findings = findings + detect(units.sharing(*keys) + reached,
                                     {row[_ID] for row in reached}, small_now).findings
    changed_ids = [file_id for chunk in _chunks(changed) for (file_id,) in conn.execute(
        f"SELECT id FROM files WHERE path IN ({_marks(chunk)})", chunk)]
    reached_ids = sorted({row[_ID] for row in reached})
    touched = set(changed_ids) | {row[_FILE_ID] for row in reached}
    count(touched, -1)
    for chunk in _chunks(reached_ids):
        conn.execute(f"DELETE FROM findings WHERE scope = 'project' AND unit_id IN "
                     f"({_marks(chunk)})", chunk)
    for chunk in _chunks(changed_ids):
        conn.execute(f"DELETE FROM findings WHERE scope = 'project' AND file_id IN "
                     f"({_marks(chunk)})", chunk)
    _insert(conn, root, findings)
    count(touched, 1)


def _insert(conn: sqlite3.Connection, root: Path, findings: list[tuple[tuple, Finding]]) -> None:
    inserts = []
    for row, finding in findings:
        related = [[_relative(root, item.path) if item.path else None, item.line,
                    item.column, item.end_line, item.end_column, item.message]
                   for item in finding.related]
        inserts.append((row[_FILE_ID], row[_ID], finding.element, finding.severity,
                        round(finding.confidence, 3), finding.source, "project",
                        finding.message, row[8], row[9], row[8], row[10],
                        msgpack.packb(related) if related else None))
    conn.executemany(
        "INSERT INTO findings (file_id, unit_id, element, severity, confidence, source, scope, "
        "message, line, column, end_line, end_column, related) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", inserts)


def _relative(root: Path, path: str) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def _file_units(path_of: Callable[[str], str], rows: list[tuple],
                suppressions: dict[int, list], small: Callable[[int], bool]
                ) -> tuple[list[FileUnits], dict[tuple[str, int, int], tuple[tuple, UnitRecord]]]:
    """Unit records grouped by file, without the bands that are not `small` (boilerplate)."""
    by_file: dict[int, FileUnits] = {}
    by_name: dict[tuple[str, int, int], tuple[tuple, UnitRecord]] = {}
    for row in sorted(rows, key=lambda item: (item[1], item[11])):
        (_unit_id, relative, language, name, line, column, end_line, end_column, name_line,
         name_column, name_end_column, start_byte, end_byte, name_start_byte, name_end_byte,
         fingerprint, size, lines, normalized, sketch, file_id, _project) = row
        path = path_of(relative)
        record = UnitRecord(
            path=path, kind="function", name=name,
            span=Span(start_byte, end_byte, (line - 1, column - 1), (end_line - 1, end_column - 1)),
            name_span=Span(name_start_byte, name_end_byte, (name_line - 1, name_column - 1),
                           (name_line - 1, name_end_column - 1)),
            line=line, column=column, end_line=end_line, end_column=end_column,
            name_line=name_line, name_column=name_column, name_end_column=name_end_column,
            fingerprint=fingerprint, size=size, lines=lines, normalized=normalized or "",
            sketch=tuple(band for band in msgpack.unpackb(sketch) if small(band))
            if sketch else (),
        )
        if file_id not in by_file:
            by_file[file_id] = FileUnits(path, language, [], suppressions.get(file_id, []))
        by_file[file_id].units.append(record)
        by_name[(path, name_start_byte, name_end_byte)] = (row, record)
    return list(by_file.values()), by_name


def neighbour_units(conn: sqlite3.Connection, root: Path, units: list[UnitRecord],
                    exclude: set[str]) -> list[FileUnits]:
    """Indexed units that may be clones of `units`.

    Files in `exclude` are left out: the editor has newer text for them.
    """
    keys = Keys()
    for unit in units:
        keys.fingerprints.add(unit.fingerprint)
        keys.bands.update(unit.sketch)
    stored = _Units(conn, root)
    rows = [row for row in units_with_keys(conn, keys) if stored.path(row[_PATH]) not in exclude]
    suppressions = stored.suppressions({row[_FILE_ID] for row in rows})
    return _file_units(stored.path, rows, suppressions, lambda _band: True)[0]
