"""The index's incremental cross-file update finds the same clones as a full rebuild."""

import pytest

from cpt.server.index import project_pass
from cpt.server.index.store import WorkspaceIndex

STEPS = [
    "rows = []",
    "with open(path, newline='', encoding='utf-8') as handle:",
    "    reader = csv.reader(handle, delimiter=delimiter)",
    "    header = next(reader)",
    "    for row in reader:",
    "        if not row or row[0].startswith('#'):",
    "            continue",
    "        record = dict(zip(header, row))",
    "        record['id'] = int(record['id'])",
    "        rows.append(record)",
    "total = sum(item['id'] for item in rows)",
    "print(total, len(rows))",
    "return rows",
]


def function(name, drop=(), extra=None):
    """A clone of the CSV reader: `drop` leaves steps out, `extra` adds one (a near copy)."""
    lines = [f"def {name}(path, delimiter=','):"]
    for number, step in enumerate(STEPS):
        if number in drop:
            continue
        lines.append("    " + step)
        if extra is not None and number == 9:
            lines.append("        " + extra)
    return "\n".join(lines) + "\n"


def source(*functions, suppress=False):
    head = "import csv\n\n\n"
    if suppress:
        head += "# cpt: ignore[duplicate-code]\n"
    return head + "\n\n".join(functions)


def snapshot(index):
    return ([(item.path, item.element, item.line, item.column, item.message, tuple(item.related))
             for item in index.findings()], sorted(index.counts().items()))


@pytest.fixture
def small_buckets(monkeypatch):
    """Bands with more than 3 members are boilerplate, so that edits cross the limit."""
    def patch(index):
        monkeypatch.setattr(project_pass, "MAX_BUCKET", 3)
        element = next(item for item in index.catalog if item.id == "duplicate-code")
        monkeypatch.setattr(element.detector, "MAX_BUCKET", 3)
        return index
    return patch


@pytest.mark.parametrize("limited", [False, True], ids=["buckets", "small-buckets"])
def test_incremental_updates_equal_a_full_rebuild(tmp_path, small_buckets, limited):
    root = tmp_path / "ws"
    (root / "pkg").mkdir(parents=True)
    files = {
        "pkg/a.py": source(function("load_customers")),
        "pkg/b.py": source(function("read_suppliers")),
        "pkg/c.py": source(function("parse_orders", extra="record['ok'] = True")),
        "pkg/d.py": source(function("scan_items", drop=(10, 11)),
                           function("scan_other", drop=(11,))),
        "e.py": source(function("unrelated", drop=range(2, 10))),
    }
    for relative, text in files.items():
        (root / relative).write_text(text)
    rebuilt = 0

    def opened(name):
        index = WorkspaceIndex(root, tmp_path / f"{name}.sqlite3")
        return small_buckets(index) if limited else index

    index = opened("index")
    index.refresh()
    edits = [
        ("pkg/c.py", source(function("parse_orders"))),  # a near copy becomes exact
        ("pkg/b.py", source("def read_suppliers(path):\n    return open(path).read()\n")),
        ("pkg/f.py", source(function("load_more", drop=(11,)), function("load_again"))),
        ("pkg/a.py", None),  # removed
        ("pkg/c.py", "\n\n\n" + source(function("parse_orders"))),  # lines move
        ("pkg/d.py", source(function("scan_items", drop=(10, 11)), suppress=True)),
        ("pkg/g.py", source(function("one"), function("two", extra="x = 1"),
                            function("three", drop=(10,)))),
        ("pkg/f.py", None),
        ("pkg/b.py", source(function("read_suppliers", extra="record['b'] = 2"))),
    ]
    for number, (relative, text) in enumerate(edits):
        path = root / relative
        if text is None:
            path.unlink()
        else:
            path.write_text(text)
        if number % 2:
            index.refresh(only=[path])
        else:
            index.refresh()
        rebuilt += 1
        fresh = opened(f"rebuilt-{rebuilt}")
        fresh.refresh()
        assert snapshot(index) == snapshot(fresh), f"after edit {number}: {relative}"
        fresh.close()
    assert any(item.element == "duplicate-code" for item in index.findings())
    index.close()
