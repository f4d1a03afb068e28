"""The scan cache: unchanged files are not analyzed again, and the findings never differ."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cpt.engine.catalog import builtin_catalog
from cpt.server.scan import SettingsResolver, run_scan
from cpt.server.scan_cache import ScanCache, scan_cache_path

from .test_scan_cli import PRICE_SUM, write

RISKY = "def run(code):\n    return eval(code)\n"


@pytest.fixture
def project(tmp_path):
    write(tmp_path, "a.py", PRICE_SUM.format(name="price_sum"))
    write(tmp_path, "b.py", PRICE_SUM.format(name="sum_prices"))
    write(tmp_path, "risky.py", RISKY)
    write(tmp_path, "web/app.js", "function run(text) { return eval(text); }\n")
    return tmp_path


def scan(folder: Path, cache_folder: Path, jobs: int = 1, monkeypatch=None):
    """Scan `folder` from inside it, as `cpt scan .` does, with a cache in `cache_folder`."""
    monkeypatch.chdir(folder)
    monkeypatch.setenv("CPT_SCAN_CACHE_DIR", str(cache_folder))
    cache = ScanCache.open(scan_cache_path(str(folder)), warn=pytest.fail)
    assert cache is not None
    try:
        result = run_scan([Path(".")], SettingsResolver(builtin_catalog()), jobs, cache=cache)
    finally:
        cache.close()
    return result.from_cache, [row.as_json() for row in result.rows]


def elements(rows) -> set[tuple[str, str]]:
    return {(row["path"], row["element"]) for row in rows}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_second_scan_reuses_every_file_and_reports_the_same(project, tmp_path_factory,
                                                               monkeypatch, jobs):
    cache_folder = tmp_path_factory.mktemp("cache")
    cached, first = scan(project, cache_folder, jobs, monkeypatch)
    assert cached == 0
    assert {("a.py", "duplicate-code"), ("b.py", "duplicate-code"),
            ("risky.py", "code-injection"), ("web/app.js", "code-injection")} <= elements(first)
    cached, second = scan(project, cache_folder, jobs, monkeypatch)
    assert cached == 4 and second == first


def test_a_changed_file_is_analyzed_again_and_its_copies_follow(project, tmp_path_factory,
                                                                 monkeypatch):
    cache_folder = tmp_path_factory.mktemp("cache")
    scan(project, cache_folder, monkeypatch=monkeypatch)
    write(project, "b.py", "def sum_prices(items):\n    return sum(i.price for i in items)\n")
    write(project, "risky.py", "def run(code):\n    return int(code)\n")
    cached, rows = scan(project, cache_folder, monkeypatch=monkeypatch)
    assert cached == 2  # a.py and web/app.js
    found = elements(rows)
    assert ("risky.py", "code-injection") not in found
    assert ("a.py", "duplicate-code") not in found  # its copy in b.py is gone
    assert ("web/app.js", "code-injection") in found


def test_a_config_change_analyzes_every_file_it_governs_again(project, tmp_path_factory,
                                                               monkeypatch):
    cache_folder = tmp_path_factory.mktemp("cache")
    scan(project, cache_folder, monkeypatch=monkeypatch)
    write(project, "cpt.toml", 'ignore = ["code-injection"]\n')
    cached, rows = scan(project, cache_folder, monkeypatch=monkeypatch)
    assert cached == 0
    assert not {element for _path, element in elements(rows)} & {"code-injection"}
    assert scan(project, cache_folder, monkeypatch=monkeypatch)[0] == 4


def test_the_same_settings_give_the_same_key_in_every_process(project):
    # Regression: the key was built from repr(settings), and a frozenset's order changes with
    # the process's string hashing, so `ignore = [...]` made every start re-analyze all files.
    ids = '["code-injection", "god-class", "long-method", "deep-nesting", "singleton"]'
    write(project, "cpt.toml", f'ignore = {ids}\n[per-path-ignores]\n"tests/**" = {ids}\n')
    settings = f"SettingsResolver(builtin_catalog())({str(project / 'a.py')!r})"
    program = ("from cpt.engine.catalog import builtin_catalog\n"
               "from cpt.server.analysis_inputs import settings_key\n"
               "from cpt.server.scan import SettingsResolver\n"
               f"print(settings_key('k', {settings}))")
    keys = {
        subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout
        for seed in ("1", "2", "3")
    }
    assert len(keys) == 1


def test_no_cache_reads_and_writes_nothing(cpt, project, tmp_path_factory, monkeypatch):
    cache_folder = tmp_path_factory.mktemp("cache") / "scan"
    monkeypatch.setenv("CPT_SCAN_CACHE_DIR", str(cache_folder))
    run = cpt("scan", ".", "--format", "json", "--no-cache", cwd=project)
    assert run.code == 1 and run.json()["findings"]
    assert not cache_folder.exists()


def test_a_corrupted_cache_is_reported_replaced_and_changes_no_finding(cpt, project,
                                                                        tmp_path_factory,
                                                                        monkeypatch):
    cache_folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("CPT_SCAN_CACHE_DIR", str(cache_folder))
    expected = cpt("scan", ".", "--format", "json", "--no-cache", cwd=project)
    stored = scan_cache_path(str(project))
    stored.write_bytes(b"this is not a database" * 100)
    broken = cpt("scan", ".", "--format", "json", cwd=project)
    assert "scan cache not used" in broken.err
    assert (broken.code, broken.out) == (expected.code, expected.out)
    again = cpt("scan", ".", "--format", "json", cwd=project)
    assert again.err == "" and again.out == expected.out
    assert stored.is_file()  # a new cache took the broken one's place


def test_a_damaged_entry_is_a_miss(project, tmp_path_factory, monkeypatch):
    cache_folder = tmp_path_factory.mktemp("cache")
    _cached, first = scan(project, cache_folder, monkeypatch=monkeypatch)
    cache = ScanCache.open(scan_cache_path(str(project)), warn=pytest.fail)
    assert cache is not None
    cache.conn.execute("UPDATE files SET result = substr(result, 1, 20)")
    cache.conn.execute("DELETE FROM projects")
    cache.close()
    cached, rows = scan(project, cache_folder, monkeypatch=monkeypatch)
    assert cached == 0 and rows == first


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_folder_others_may_write_is_not_trusted(cpt, project, tmp_path_factory,
                                                  monkeypatch):
    cache_folder = tmp_path_factory.mktemp("cache")
    cache_folder.chmod(0o777)
    monkeypatch.setenv("CPT_SCAN_CACHE_DIR", str(cache_folder))
    run = cpt("scan", ".", "--format", "json", cwd=project)
    assert "other users may write in the folder" in run.err
    assert run.code == 1 and run.json()["findings"]
    assert list(cache_folder.iterdir()) == []


def test_a_reinstall_with_the_same_code_keeps_the_cache():
    """A fresh `pip install` in CI rewrites cpt's files (new mtimes, same bytes)."""
    import cpt.engine.positions as module

    program = "from cpt.server.analysis_inputs import code_key; print(code_key())"

    def key() -> str:
        return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                              check=True).stdout

    before = key()
    path = Path(module.__file__)
    times = path.stat()
    try:
        os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns + 10**12))
        assert key() == before
    finally:
        os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))


def test_two_scans_at_once_share_the_cache(project, tmp_path_factory, monkeypatch):
    """CI jobs and a pre-commit hook may scan the same folder at the same time."""
    monkeypatch.setenv("CPT_SCAN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    for name in range(30):  # enough files that both runs write while the other one does
        write(project, f"more/m{name}.py", PRICE_SUM.format(name=f"f{name}") + RISKY)
    command = [sys.executable, "-m", "cpt", "scan", ".", "--format", "json", "--jobs", "1"]
    runs = [subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    expected = subprocess.run([*command, "--no-cache"], cwd=project, capture_output=True,
                              text=True, timeout=120)
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == expected.returncode == 1
        assert err == "" and out == expected.stdout
    again = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
    assert again.stderr == "" and again.stdout == expected.stdout


def test_the_cache_keeps_one_result_per_file_however_often_it_changes(project,
                                                                      tmp_path_factory,
                                                                      monkeypatch):
    import sqlite3

    cache_folder = tmp_path_factory.mktemp("cache")
    for round_number in range(3):
        write(project, "risky.py", RISKY + f"\nLIMIT = {round_number}\n")
        cached, rows = scan(project, cache_folder, monkeypatch=monkeypatch)
        assert ("risky.py", "code-injection") in elements(rows)
        assert cached == (0 if round_number == 0 else 3)
    with sqlite3.connect(scan_cache_path(str(project))) as conn:
        paths = [path for (path,) in conn.execute("SELECT path FROM files")]
    assert sorted(paths) == ["a.py", "b.py", "risky.py", "web/app.js"]


def test_a_change_to_a_team_element_analyzes_again(cpt, tmp_path, tmp_path_factory,
                                                   monkeypatch):
    from .test_elements_cli import QUERY, make_element

    monkeypatch.setenv("CPT_SCAN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    folder = make_element(tmp_path)
    write(tmp_path, "lib.py", 'def f():\n    print("x")\n    input("y")\n')
    first = cpt("scan", ".", "--format", "json", cwd=tmp_path).json()
    assert [(f["element"], f["line"]) for f in first["findings"]] == [("no-print", 2)]
    (folder / "queries" / "python.scm").write_text(QUERY.replace('"print"', '"input"'))
    second = cpt("scan", ".", "--format", "json", cwd=tmp_path).json()
    assert [(f["element"], f["line"]) for f in second["findings"]] == [("no-print", 3)]
