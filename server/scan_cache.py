"""Scan results kept between runs (docs/decisions/0011-scan-cache.md).

A file whose bytes, settings and analysis inputs (cpt's code, grammars, elements) are the same
as last time is not analyzed again; when no file changed, neither is the cross-file pass. The
cache lives in the user's cache folder, never in the repository: it holds pickles, and a cache
file that came with a cloned repository must never be loaded. Any failure to open, read or
write it is reported in one line and the scan goes on without it, with the same findings.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from cpt.server.index.database import write_transaction
from cpt.server.index.location import user_cache_folder

SCHEMA = 2
MAX_AGE_DAYS = 30
_BUSY_MS = 2000
_BATCH_FILES = 64
_BATCH_BYTES = 1 << 20


def scan_cache_folder() -> Path:
    """`CPT_SCAN_CACHE_DIR`, else `scan/` in cpt's user cache folder."""
    override = os.environ.get("CPT_SCAN_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    return user_cache_folder() / "scan"


def scan_cache_path(cwd: str) -> Path:
    """One cache per folder a scan runs from: the reported paths are relative to it."""
    resolved = str(Path(cwd).resolve())
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9._-]", "_", Path(resolved).name or "root")[:40]
    return scan_cache_folder() / f"{name}-{digest}.sqlite3"


def file_key(inputs_key: str, path: str, data: bytes) -> str:
    """The key of one file's result: its settings and code inputs, its path and its bytes."""
    digest = hashlib.blake2b(data, digest_size=16)
    digest.update(f"\0{inputs_key}\0{path}".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def project_key(file_keys: Iterable[str]) -> str:
    """The key of the cross-file findings: every scanned file's key, in a stable order."""
    digest = hashlib.blake2b(digest_size=16)
    for key in sorted(file_keys):
        digest.update(key.encode())
    return digest.hexdigest()


class ScanCache:
    """Results by file key in one SQLite file: read at the start, written as results arrive."""

    def __init__(self, conn: sqlite3.Connection, path: Path, warn: Callable[[str], None]):
        self.conn = conn
        self.path = path
        self.warn = warn
        self._failed = False
        self._pending: list[tuple[str, str, str, bytes]] = []
        self._pending_bytes = 0

    @classmethod
    def open(cls, path: Path, warn: Callable[[str], None]) -> ScanCache | None:
        """Open (or create) the cache; on any failure warn once and return None."""
        try:
            if not path.parent.is_dir():
                path.parent.mkdir(parents=True, mode=0o700)
            unsafe = _unsafe_folder(path.parent)
            if unsafe:
                warn(f"scan cache not used ({path.parent}): {unsafe}")
                return None
            conn = sqlite3.connect(path, timeout=_BUSY_MS / 1000, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA cache_size=-256")  # KiB: the scan's memory is for the scan
            if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
                _create(conn)
            conn.execute("SELECT 1 FROM files LIMIT 1").fetchone()  # readable?
        except (OSError, sqlite3.Error) as error:
            warn(f"scan cache not used ({path}): {error}")
            if _corrupted(error) and path.is_file():
                _discard(path, warn)  # the next scan starts a new one
            return None
        return cls(conn, path, warn)

    def files(self, keys: list[str]) -> dict[str, Any]:
        """The stored results of these keys (missing or unreadable ones are left out)."""
        return self._load("files", keys)

    def project(self, key: str) -> Any | None:
        return self._load("projects", [key]).get(key)

    def add(self, key: str, blob: bytes, path: str, inputs: str) -> None:
        """Keep one new (packed) result; written in batches, so no scan holds them all.

        It replaces the result of the file's previous bytes under the same settings: the
        cache holds one result per file and configuration, however often the file changes.
        """
        self._pending.append((path, inputs, key, blob))
        self._pending_bytes += len(blob)
        if len(self._pending) >= _BATCH_FILES or self._pending_bytes >= _BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Write the results kept so far (before the cross-file pass needs the memory)."""
        self._write(lambda now: None)

    def finish(self, used: list[str], project: tuple[str, Any] | None) -> None:
        """Write what is left, mark the reused results, drop the long unused ones."""
        def rest(now: float) -> None:
            self.conn.executemany("UPDATE files SET used = ? WHERE key = ?",
                                  ((now, key) for key in used))
            if project is not None:
                self.conn.execute(
                    "INSERT OR REPLACE INTO projects (key, result, used) VALUES (?, ?, ?)",
                    (project[0], pack(project[1]), now))
            self.conn.execute("DELETE FROM files WHERE used < ?",
                              (now - MAX_AGE_DAYS * 86400,))
            # A cross-file result is worth keeping only while nothing changed: keep the last.
            self.conn.execute("DELETE FROM projects WHERE used < ?", (now,))

        self._write(rest)

    def _write(self, more: Callable[[float], None]) -> None:
        pending, self._pending, self._pending_bytes = self._pending, [], 0
        if self._failed:
            return
        now = time.time()
        try:
            with write_transaction(self.conn):
                self.conn.executemany(
                    "INSERT OR REPLACE INTO files (path, inputs, key, result, used) "
                    "VALUES (?, ?, ?, ?, ?)", (item + (now,) for item in pending))
                more(now)
        except (sqlite3.Error, OSError) as error:
            self._failed = True
            self.warn(f"scan cache not updated ({self.path}): {error}")

    def close(self) -> None:
        self.conn.close()

    def _load(self, table: str, keys: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if self._failed:
            return found
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                rows = self.conn.execute(
                    f"SELECT key, result FROM {table} WHERE key IN "
                    f"({', '.join('?' * len(chunk))})", chunk)
                for key, blob in rows:
                    try:
                        found[key] = unpack(blob)
                    except Exception:  # cpt: ignore[broad-except] a damaged entry is a miss
                        continue
        except sqlite3.Error as error:
            self._failed = True
            self.warn(f"scan cache not used ({self.path}): {error}")
            if _corrupted(error):
                self.close()
                _discard(self.path, self.warn)
            return {}
        return found


def _create(conn: sqlite3.Connection) -> None:
    """Make the tables, once: a scan started at the same moment may be doing it too."""
    with write_transaction(conn):
        if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA:
            return
        conn.execute("DROP TABLE IF EXISTS files")
        conn.execute("DROP TABLE IF EXISTS projects")
        conn.execute("CREATE TABLE files (path TEXT NOT NULL, inputs TEXT NOT NULL,"
                     " key TEXT NOT NULL UNIQUE, result BLOB NOT NULL, used REAL NOT NULL,"
                     " PRIMARY KEY (path, inputs))")
        conn.execute("CREATE TABLE projects (key TEXT PRIMARY KEY, result BLOB NOT NULL,"
                     " used REAL NOT NULL)")
        conn.execute(f"PRAGMA user_version={SCHEMA}")


def _unsafe_folder(folder: Path) -> str | None:
    """Why pickles in `folder` cannot be trusted: another user could write them."""
    if os.name != "posix":
        return None
    info = folder.stat()
    if info.st_uid != os.getuid():
        return "the folder belongs to another user"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "other users may write in the folder"
    return None


def pack(value: Any) -> bytes:
    """A result as stored (not compressed: zlib cost a quarter second per stdlib scan)."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def unpack(blob: bytes) -> Any:
    return pickle.loads(blob)


def _corrupted(error: Exception) -> bool:
    """Not a database, or a damaged one; a locked or read-only cache is left alone."""
    return isinstance(error, sqlite3.DatabaseError) and not isinstance(
        error, sqlite3.OperationalError)


def _discard(path: Path, warn: Callable[[str], None]) -> None:
    """Remove a damaged cache (it holds nothing that a scan cannot compute again)."""
    for suffix in ("", "-wal", "-shm"):
        try:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        except OSError as error:
            warn(f"cannot remove {path}{suffix}: {error}")
