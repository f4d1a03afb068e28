"""Cross-file findings (clones across files) kept up to date in the index.

After a cold build every function is compared (through sketch bands, not pairwise). After a
few files change, only the neighbourhood is recomputed: units that share a fingerprint or a
band with the changed files' old or new units ("affected"), compared against everything that
shares a key with them. An affected unit's finding depends only on its neighbours, and all of
them are loaded, so the result equals a full pass at a fraction of the cost.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import msgpack

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
                 "u.normalized, u.sketch, f.id")


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


def keys_of_files(conn: sqlite3.Connection, paths: list[str]) -> Keys:
    keys = Keys()
    for chunk in _chunks(paths):
        for fingerprint, sketch in conn.execute(
                "SELECT u.fingerprint, u.sketch FROM units u JOIN files f ON f.id = u.file_id "
                f"WHERE u.kind = 'function' AND f.path IN ({_marks(chunk)})", chunk):
            if fingerprint:
                keys.fingerprints.add(fingerprint)
            if sketch:
                keys.bands.update(msgpack.unpackb(sketch))
    return keys


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


def _keys_of_rows(rows: list[tuple]) -> Keys:
    keys = Keys()
    for row in rows:
        if row[15]:
            keys.fingerprints.add(row[15])
        if row[19]:
            keys.bands.update(msgpack.unpackb(row[19]))
    return keys


def update(conn: sqlite3.Connection, root: Path, catalog: Catalog,
           settings_for: Callable[[str | Path], Settings], changed: list[str], old_keys: Keys,
           full: bool) -> None:
    """Recompute the cross-file findings (inside the caller's transaction)."""
    if full:
        rows = list(conn.execute(
            f"SELECT {_UNIT_COLUMNS} FROM units u JOIN files f ON f.id = u.file_id "
            "WHERE u.kind = 'function' AND u.fingerprint != ''"))
        keep = None
    else:
        keys = Keys()
        keys.update(old_keys)
        keys.update(keys_of_files(conn, changed))
        affected = units_with_keys(conn, keys)
        keep = {row[0] for row in affected}
        neighbours = units_with_keys(conn, _keys_of_rows(affected))
        rows = list({row[0]: row for row in affected + neighbours}.values())
    files, unit_ids = file_units_of_rows(conn, root, rows)
    focus = None
    if keep is not None:
        wanted = {(str(root / row[1]), row[13], row[14]) for row in rows if row[0] in keep}

        def focus(unit: UnitRecord) -> bool:
            return (unit.path, unit.name_span.start_byte, unit.name_span.end_byte) in wanted
    results = analyze_project(files, catalog, lambda path: settings_for(path), focus)
    if keep is None:
        conn.execute("DELETE FROM findings WHERE scope = 'project'")
    else:
        for chunk in _chunks(sorted(keep)):
            conn.execute(f"DELETE FROM findings WHERE scope = 'project' AND unit_id IN "
                         f"({_marks(chunk)})", chunk)
        for chunk in _chunks(changed):
            conn.execute("DELETE FROM findings WHERE scope = 'project' AND file_id IN "
                         f"(SELECT id FROM files WHERE path IN ({_marks(chunk)}))", chunk)
    inserts = []
    for path, findings in results.items():
        for finding in findings:
            unit_id, file_id, record = unit_ids[(path, finding.span.start_byte,
                                                 finding.span.end_byte)]
            if keep is not None and unit_id not in keep:
                continue
            related = [[_relative(root, item.path) if item.path else None, item.line,
                        item.column, item.end_line, item.end_column, item.message]
                       for item in finding.related]
            inserts.append((file_id, unit_id, finding.element, finding.severity,
                            round(finding.confidence, 3), finding.source, "project",
                            finding.message, record.name_line, record.name_column,
                            record.name_line, record.name_end_column,
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


def file_units_of_rows(conn: sqlite3.Connection, root: Path, rows: list[tuple]
                ) -> tuple[list[FileUnits], dict[tuple[str, int, int], tuple]]:
    by_file: dict[int, FileUnits] = {}
    unit_ids: dict[tuple[str, int, int], tuple] = {}
    for row in sorted(rows, key=lambda item: (item[1], item[11])):
        (unit_id, relative, language, name, line, column, end_line, end_column, name_line,
         name_column, name_end_column, start_byte, end_byte, name_start_byte, name_end_byte,
         fingerprint, size, lines, normalized, sketch, file_id) = row
        path = str(root / relative)
        record = UnitRecord(
            path=path, kind="function", name=name,
            span=Span(start_byte, end_byte, (line - 1, column - 1), (end_line - 1, end_column - 1)),
            name_span=Span(name_start_byte, name_end_byte, (name_line - 1, name_column - 1),
                           (name_line - 1, name_end_column - 1)),
            line=line, column=column, end_line=end_line, end_column=end_column,
            name_line=name_line, name_column=name_column, name_end_column=name_end_column,
            fingerprint=fingerprint, size=size, lines=lines, normalized=normalized or "",
            sketch=tuple(msgpack.unpackb(sketch)) if sketch else (),
        )
        if file_id not in by_file:
            by_file[file_id] = FileUnits(path, language, [], [])
        by_file[file_id].units.append(record)
        unit_ids[(path, name_start_byte, name_end_byte)] = (unit_id, file_id, record)
    for chunk in _chunks(sorted(by_file)):
        for file_id, packed in conn.execute(
                f"SELECT id, suppressions FROM files WHERE id IN ({_marks(chunk)})", chunk):
            by_file[file_id].suppressions = unpack_suppressions(packed)
    return list(by_file.values()), unit_ids


def neighbour_units(conn: sqlite3.Connection, root: Path, units: list[UnitRecord],
                    exclude: set[str]) -> list[FileUnits]:
    """Indexed units that may be clones of `units`.

    Files in `exclude` are left out: the editor has newer text for them.
    """
    keys = Keys()
    for unit in units:
        keys.fingerprints.add(unit.fingerprint)
        keys.bands.update(unit.sketch)
    rows = [row for row in units_with_keys(conn, keys) if str(root / row[1]) not in exclude]
    return file_units_of_rows(conn, root, rows)[0]
