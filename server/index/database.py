"""Open, create, migrate and guard the index database.

One SQLite file per workspace in WAL mode, so the editor's server and a `cpt index` in a
terminal can read while the other writes. The schema version is `PRAGMA user_version`;
`PRAGMA application_id` marks the file as ours, so a foreign or corrupted file is recognized,
moved aside with a message, and rebuilt instead of crashing or being overwritten blindly.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when the schema is created or migrated (it loads numpy: slow)
    import sqlite_utils

log = logging.getLogger(__name__)

APPLICATION_ID = 0x43505449  # "CPTI"
_SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 30.0


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """`BEGIN IMMEDIATE` ... `COMMIT`, rolled back on any exception (autocommit connections)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class IndexUnavailable(RuntimeError):
    """The index cannot be opened or created (permissions, disk full, ...)."""


def _v1(db: sqlite_utils.Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("files").create({
        "id": int, "path": str, "language": str, "hash": str, "size": int, "mtime_ns": int,
        "lines": int, "analysis_key": str, "skipped": str, "suppressions": bytes,
        "indexed_at": float,
    }, pk="id", not_null={"path"})
    db.table("files").create_index(["path"], unique=True)
    db.table("units").create({
        "id": int, "file_id": int, "kind": str, "name": str,
        "line": int, "column": int, "end_line": int, "end_column": int,
        "name_line": int, "name_column": int, "name_end_column": int,
        "start_byte": int, "end_byte": int, "name_start_byte": int, "name_end_byte": int,
        "fingerprint": str, "size": int, "lines": int, "normalized": str, "sketch": bytes,
        "features": bytes,
    }, pk="id", foreign_keys=[("file_id", "files", "id")])
    db.table("units").create_index(["file_id"])
    db.table("units").create_index(["fingerprint"])
    db.table("unit_bands").create({"band": int, "unit_id": int},
                            foreign_keys=[("unit_id", "units", "id")])
    db.table("unit_bands").create_index(["band"])
    db.table("unit_bands").create_index(["unit_id"])
    db.table("findings").create({
        "id": int, "file_id": int, "unit_id": int, "element": str, "severity": str,
        "confidence": float, "source": str, "scope": str, "message": str,
        "line": int, "column": int, "end_line": int, "end_column": int, "related": bytes,
    }, pk="id", foreign_keys=[("file_id", "files", "id")])
    db.table("findings").create_index(["file_id"])
    db.table("findings").create_index(["element"])
    db.table("findings").create_index(["unit_id"])
    db.table("element_counts").create({"element": str, "findings": int, "files": int}, pk="element")
    db.table("elements").create({"id": str, "symbol": str, "name": str, "group": str,
                           "summary": str}, pk="id")
    # Substring search ("sing" finds Singleton, "user" finds getUserName): trigram tokenizer.
    db.table("units").enable_fts(["name"], create_triggers=True, tokenize="trigram")
    db.table("elements").enable_fts(["id", "symbol", "name", "summary"], create_triggers=True,
                              tokenize="trigram")


def _v2(db: sqlite_utils.Database) -> None:
    """`units.project`: the unit may be paired across files, and only such units keep bands."""
    db.execute("ALTER TABLE units ADD COLUMN project INTEGER NOT NULL DEFAULT 0")
    db.execute("CREATE INDEX idx_units_project_fingerprint ON units (fingerprint) "
               "WHERE project = 1")
    # Every file is analyzed again (its stored analysis no longer matches), then the
    # cross-file findings are rebuilt from scratch.
    db.execute("UPDATE files SET analysis_key = ''")
    db.execute("INSERT INTO meta (key, value) VALUES ('project_clean', '0') "
               "ON CONFLICT(key) DO UPDATE SET value = excluded.value")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2]
SCHEMA_VERSION = len(MIGRATIONS)


def open_index(path: Path,
               on_message: Callable[[str], None] | None = None) -> sqlite3.Connection:
    """Open (creating or migrating) the index at `path`; a bad file is moved aside and rebuilt."""
    path.parent.mkdir(parents=True, exist_ok=True)
    problem = _inspect(path)
    if problem is not None:
        moved = _move_aside(path)
        message = f"cpt: index {path} {problem}; moved it to {moved.name} and rebuilding"
        log.warning(message)
        if on_message is not None:
            on_message(message)
    conn = None
    try:
        conn = _connect(path)
        _migrate(conn)
    except sqlite3.DatabaseError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise IndexUnavailable(f"index {path} is busy: {error}") from error
        if conn is not None:
            conn.close()
        moved = _move_aside(path)
        message = f"cpt: index {path} is unreadable ({error}); moved it to {moved.name}"
        log.warning(message)
        if on_message is not None:
            on_message(message)
        conn = _connect(path)
        _migrate(conn)
    return conn


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False,
                           isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")  # with WAL: consistent after a crash, fewer fsyncs
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _inspect(path: Path) -> str | None:
    """Why the file at `path` is not a usable index of ours, or None."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise IndexUnavailable(f"cannot read index {path}: {error}") from error
    if not header:
        return None  # an empty file: SQLite creates the database in it
    if not header.startswith(_SQLITE_MAGIC) or len(header) < 100:
        return "is not an SQLite database (corrupted or foreign file)"
    # Read through SQLite, not from the header bytes: in WAL mode the newest header may still
    # sit in the -wal file (a process killed before a checkpoint).
    try:
        application_id, user_version, has_tables = _identity(path)
    except sqlite3.OperationalError:
        # In use: locked, or another process created it a moment ago and its WAL index is not
        # there yet for a read-only look. Opening it for writing decides (see open_index).
        return None
    except sqlite3.DatabaseError as error:
        return f"is unreadable ({error})"
    if application_id not in (0, APPLICATION_ID):
        return "belongs to another application"
    if application_id == 0 and (user_version != 0 or has_tables):
        return "is an SQLite database of another application"
    if user_version > SCHEMA_VERSION:
        return f"was written by a newer cpt (schema {user_version} > {SCHEMA_VERSION})"
    return None


def _migrate(conn: sqlite3.Connection) -> None:
    """Apply the missing migrations, each in one transaction with its version bump."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version >= SCHEMA_VERSION:
        return
    if version == 0 and _has_tables(conn):
        raise sqlite3.DatabaseError("not a cpt index (unknown tables, no schema version)")
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    while version < SCHEMA_VERSION:
        with write_transaction(conn):
            # Another process may have migrated while we waited for the write lock.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version < SCHEMA_VERSION:
                MIGRATIONS[version](db)
                version += 1
                conn.execute(f"PRAGMA user_version = {version}")
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _has_tables(conn: sqlite3.Connection) -> bool:
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").fetchone()
    return found is not None


def _identity(path: Path) -> tuple[int, int, bool]:
    """Read application_id, user_version and whether it has tables, without writing.

    Opening a foreign file in WAL mode would already change it.
    """
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                           timeout=BUSY_TIMEOUT_S)
    try:
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        has_tables = bool(conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall())
        return application_id, user_version, has_tables
    finally:
        conn.close()


def _move_aside(path: Path) -> Path:
    target = path.with_name(f"{path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(path) + suffix)
        if source.exists():
            try:
                source.replace(Path(str(target) + suffix))
            except OSError as error:
                raise IndexUnavailable(f"cannot move bad index {source} aside: {error}") from error
    return target
