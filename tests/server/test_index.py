"""`cpt index`: the workspace index in a real SQLite file, refreshed by content hash."""

import sqlite3
import textwrap
from pathlib import Path

import pytest

from cpt.server.index.store import WorkspaceIndex

CLONE = '''
def {name}(path, delimiter=","):
    rows = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader)
        for row in reader:
            if not row or row[0].startswith("#"):
                continue
            record = dict(zip(header, row))
            record["id"] = int(record["id"])
            {extra}rows.append(record)
    return rows
'''


def clone(name, extra=""):
    return "import csv\n" + CLONE.format(name=name, extra=extra)


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    """Every index of these tests lives in a temporary cache folder, never in ~/.cache."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CPT_INDEX_DIR", str(folder))
    return folder


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "ws"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "customers.py").write_text(clone("load_customers"))
    (root / "pkg" / "suppliers.py").write_text(
        clone("read_suppliers", extra='record["active"] = record.get("active") == "yes"\n'
              '            '))
    (root / "app.js").write_text(textwrap.dedent("""\
        function run(input) {
          return eval(input);
        }
        """))
    (root / "notes.md").write_text("not code\n")
    return root


def rows(db, sql):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_index_builds_refreshes_only_changed_files_and_lives_in_the_cache(cpt, workspace,
                                                                           cache_dir):
    first = cpt("index", workspace, "--format", "json").json()
    assert (first["files"], first["analyzed"], first["unchanged"]) == (3, 3, 0)
    assert Path(first["index"]).parent == cache_dir  # never inside the repository
    assert not list(workspace.rglob("*.sqlite3"))
    assert first["elements"]["code-injection"] == {"findings": 1, "files": 1}

    again = cpt("index", workspace, "--format", "json").json()
    assert (again["analyzed"], again["unchanged"]) == (0, 3)

    (workspace / "app.js").write_text("function run(input) {\n  return input;\n}\n")
    (workspace / "pkg" / "suppliers.py").unlink()
    changed = cpt("index", workspace, "--format", "json").json()
    assert (changed["analyzed"], changed["unchanged"], changed["removed"]) == (1, 1, 1)
    assert "code-injection" not in changed["elements"]
    assert rows(changed["index"], "PRAGMA journal_mode") == [("wal",)]
    assert rows(changed["index"], "SELECT count(*) FROM files") == [(2,)]


def test_near_clones_across_files_are_found_and_follow_edits(workspace, tmp_path):
    index = WorkspaceIndex(workspace, tmp_path / "index.sqlite3")
    index.refresh()
    found = index.findings(element="duplicate-code")
    assert sorted(item.path for item in found) == ["pkg/customers.py", "pkg/suppliers.py"]
    customers = next(item for item in found if item.path == "pkg/customers.py")
    assert customers.scope == "project"
    assert customers.related[0][0] == "pkg/suppliers.py"
    assert "alike" in customers.related[0][5]  # a near copy, not an identical one

    # The copy drifts away: both findings go, although only one file was re-analyzed.
    (workspace / "pkg" / "suppliers.py").write_text(textwrap.dedent("""\
        def read_suppliers(path):
            return [line.split(";") for line in open(path)]
        """))
    report = index.refresh()
    assert report.analyzed == 1
    assert index.findings(element="duplicate-code") == []

    # And back: the incremental update equals what a full rebuild finds.
    (workspace / "pkg" / "suppliers.py").write_text(clone("read_suppliers"))
    index.refresh(only=[workspace / "pkg" / "suppliers.py"])
    incremental = [(item.path, item.line, item.message) for item in index.findings()]
    rebuilt = WorkspaceIndex(workspace, tmp_path / "rebuilt.sqlite3")
    rebuilt.refresh()
    assert incremental == [(item.path, item.line, item.message) for item in rebuilt.findings()]
    assert len(index.findings(element="duplicate-code")) == 2


def test_search_finds_units_and_elements(workspace, tmp_path):
    index = WorkspaceIndex(workspace, tmp_path / "index.sqlite3")
    index.refresh()
    assert [unit["name"] for unit in index.search_units("suppl")] == ["read_suppliers"]
    assert index.search_units("run")[0]["path"] == "app.js"
    assert index.search_elements("Sg") == ["singleton"]
    assert "duplicate-code" in index.search_elements("duplicate")


@pytest.mark.parametrize("content", [b"this is not a database at all" * 10,
                                     b"SQLite format 3\x00" + b"\x00" * 200])
def test_a_corrupted_index_is_moved_aside_and_rebuilt(cpt, workspace, cache_dir, content):
    first = cpt("index", workspace, "--format", "json").json()
    db = Path(first["index"])
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    db.write_bytes(content)
    result = cpt("index", workspace, "--format", "json")
    assert result.code == 0, result.err
    assert "moved it to" in result.err
    assert result.json()["analyzed"] == 3
    assert list(cache_dir.glob("*.bad-*"))


def test_a_foreign_database_is_not_overwritten(cpt, workspace, tmp_path):
    foreign = tmp_path / "theirs.sqlite3"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
        conn.execute("INSERT INTO invoices VALUES (42)")
    result = cpt("index", workspace, "--db", foreign, "--format", "json")
    assert result.code == 0, result.err
    assert "another application" in result.err or "not a cpt index" in result.err
    moved = next(tmp_path.glob("theirs.sqlite3.bad-*"))
    assert rows(moved, "SELECT * FROM invoices") == [(42,)]


def test_table_text_json_and_html(cpt, workspace, tmp_path):
    text = cpt("table", workspace)
    assert text.code == 0, text.err
    assert "Ci 1" in text.out and "Dc 2" in text.out
    data = cpt("table", workspace, "--format", "json", "--no-refresh").json()
    cells = {item["id"]: item for item in data["elements"]}
    assert cells["duplicate-code"]["count"] == 2
    assert cells["code-injection"]["occurrences"][0]["path"] == "app.js"
    assert {item["group"] for item in data["elements"]} <= set(data["groups"])
    page = tmp_path / "table.html"
    result = cpt("table", workspace, "--html", page, "--no-refresh")
    assert result.code == 0
    html = page.read_text()
    assert "http://" not in html and "https://" not in html.split("<script>")[0]
    assert '"code-injection"' in html


CHROMIUM = next((name for name in ("chromium", "chromium-browser", "google-chrome")
                 if __import__("shutil").which(name)), None)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (Debian package chromium)")
def test_table_page_renders_in_a_browser_with_every_cell_and_its_occurrences(
        cpt, workspace, tmp_path):
    import re
    import subprocess

    page = tmp_path / "table.html"
    assert cpt("table", workspace, "--html", page).code == 0

    def render(fragment=""):
        result = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
             page.as_uri() + fragment],
            capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    dom = render()
    cells = dict(re.findall(r'data-element="([a-z-]+)" data-count="(\d+)"', dom))
    data = cpt("table", workspace, "--format", "json", "--no-refresh").json()
    assert cells == {item["id"]: str(item["count"]) for item in data["elements"]}
    assert cells["code-injection"] == "1" and cells["duplicate-code"] == "2"
    assert "elements present" in dom
    # Clicking a cell (or opening its link) lists where the element occurs.
    listed = render("#duplicate-code")
    occurrences = re.search(r'<ol id="occurrences">(.*?)</ol>', listed, re.S).group(1)
    assert "pkg/customers.py:3" in occurrences and "pkg/suppliers.py:3" in occurrences


def test_excludes_of_each_project_apply_relative_to_its_configuration(tmp_path):
    # Guards plan(), which matches excludes by string instead of resolving every path.
    root = tmp_path / "ws"
    for relative in ("a.py", "gen/b.py", "sub/gen/c.py", "sub/d.py", "sub/lib/gen.py"):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text("def f(items=[]):\n    return items\n")
    (root / "cpt.toml").write_text('exclude = ["gen/**"]\n')
    (root / "sub" / "cpt.toml").write_text('exclude = ["gen/**", "lib/gen.py"]\n')
    index = WorkspaceIndex(root, tmp_path / "index.sqlite3")
    index.refresh()
    assert sorted({item.path for item in index.findings()}) == ["a.py", "sub/d.py"]
    index.refresh(only=[root / "sub" / "gen" / "c.py", root / "sub" / "d.py"])
    assert sorted({item.path for item in index.findings()}) == ["a.py", "sub/d.py"]
