"""The index survives SIGKILL at any moment and two writers at once (real processes)."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

STDLIB = Path(sysconfig.get_paths()["stdlib"])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """~200 real Python files: enough that indexing takes seconds on one core."""
    root = tmp_path_factory.mktemp("corpus")
    for package in ("email", "json", "http", "logging", "concurrency", "urllib", "xml/dom",
                    "importlib", "asyncio"):
        source = STDLIB / package
        if source.is_dir():
            shutil.copytree(source, root / package.replace("/", "_"),
                            ignore=shutil.ignore_patterns("__pycache__", "test*"))
    return root


def index(root, db, *extra):
    return subprocess.Popen([sys.executable, "-m", "cpt", "index", str(root), "--db", str(db),
                             "--no-progress", "--format", "json", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def snapshot(db):
    """Everything a user can observe, without row ids (which differ between builds)."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        files = conn.execute("SELECT path, hash FROM files ORDER BY path").fetchall()
        units = conn.execute(
            "SELECT f.path, u.kind, u.name, u.start_byte, u.fingerprint FROM units u "
            "JOIN files f ON f.id = u.file_id ORDER BY 1, 4, 2, 3").fetchall()
        findings = conn.execute(
            "SELECT f.path, n.element, n.line, n.column, n.scope, n.message FROM findings n "
            "JOIN files f ON f.id = n.file_id ORDER BY 1, 3, 4, 2, 5, 6").fetchall()
        orphans = conn.execute("SELECT count(*) FROM units WHERE file_id NOT IN "
                               "(SELECT id FROM files)").fetchone()[0]
    assert orphans == 0
    return files, units, findings


def indexed_files(db):
    try:
        with sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM files").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    db = tmp_path_factory.mktemp("reference") / "index.sqlite3"
    process = index(corpus, db, "--jobs", "2")
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return snapshot(db)


def test_sigkill_at_any_moment_loses_and_duplicates_nothing(corpus, reference, tmp_path):
    db = tmp_path / "index.sqlite3"
    total = len(reference[0])
    for stop_at in (1, total // 3, (2 * total) // 3):
        process = index(corpus, db, "--jobs", "1")
        deadline = time.monotonic() + 120
        while indexed_files(db) < stop_at and process.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert indexed_files(db) < total or process.returncode == 0
    process = index(corpus, db, "--jobs", "2")
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert "moved it" not in err  # the killed runs left a sound database, not a corrupt one
    assert snapshot(db) == reference


def test_two_writers_at_once_neither_corrupt_nor_deadlock(corpus, reference, tmp_path):
    db = tmp_path / "index.sqlite3"
    first = index(corpus, db, "--jobs", "1")
    second = index(corpus, db, "--jobs", "1")
    for process in (first, second):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    assert snapshot(db) == reference
    assert os.path.getsize(db) > 0
