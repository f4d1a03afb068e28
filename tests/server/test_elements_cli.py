"""`cpt elements`, `cpt explain` and a team's own elements in `.cpt/elements/`."""

import textwrap
from pathlib import Path

CARD = textwrap.dedent('''\
    id = "no-print"
    symbol = "Np"
    name = "Print Call"
    group = "idiom"
    period = 1
    severity = "warning"
    languages = ["python"]
    summary = "print() left in library code writes to the user's stdout."
    message = "`print` in library code; use logging."
''')
QUERY = '((call function: (identifier) @_name) @match (#eq? @_name "print"))\n'
FIXTURE = '# expect: no-print\nprint("debug")\n# ok: no-print\nlog.info("fine")\n'


def make_element(root: Path, card=CARD, query=QUERY, fixture=FIXTURE, name="no-print") -> Path:
    folder = root / ".cpt" / "elements" / name
    (folder / "queries").mkdir(parents=True)
    (folder / "fixtures").mkdir()
    (folder / "element.toml").write_text(card)
    (folder / "queries" / "python.scm").write_text(query)
    (folder / "fixtures" / "sample.py").write_text(fixture)
    return folder


def test_elements_lists_the_table_as_text_and_json(cpt):
    text = cpt("elements")
    assert text.code == 0
    assert "period" in text.out.splitlines()[0] and "Sg" in text.out and "Sq" in text.out
    cards = cpt("elements", "--format", "json").json()
    ids = {card["id"] for card in cards}
    assert {"singleton", "observer", "sql-injection", "duplicate-code"} <= ids
    symbols = [card["symbol"] for card in cards]
    assert len(symbols) == len(set(symbols))
    for card in cards:
        for targets in card["relationships"].values():
            assert set(targets) <= ids


def test_explain_by_id_symbol_and_name(cpt):
    by_id = cpt("explain", "sql-injection")
    assert by_id.code == 0 and "Sq  SQL Injection" in by_id.out and "Use instead" in by_id.out
    assert cpt("explain", "Sg").out == cpt("explain", "singleton").out
    assert "Observer" in cpt("explain", "observer", "--format", "json").json()["name"]
    missing = cpt("explain", "no-such-thing")
    assert missing.code == 2 and "no element" in missing.err


def test_team_element_is_scanned_and_tested(cpt, tmp_path):
    make_element(tmp_path)
    (tmp_path / "lib.py").write_text('def f():\n    print("x")\n')
    report = cpt("scan", ".", "--format", "json", cwd=tmp_path).json()
    assert [(f["element"], f["line"]) for f in report["findings"]] == [("no-print", 2)]
    tested = cpt("elements", "test", cwd=tmp_path)
    assert tested.code == 0, tested.out
    assert "1 element(s) tested: 0 failure(s)" in tested.out


def test_failing_fixture_is_reported_with_file_and_line(cpt, tmp_path):
    make_element(tmp_path, fixture='# ok: no-print\nprint("debug")\n# expect: no-print\nlog.x()\n')
    result = cpt("elements", "test", cwd=tmp_path)
    assert result.code == 1
    sample = tmp_path / ".cpt/elements/no-print/fixtures/sample.py"
    assert f"{sample}:2: no-print: reported here but marked ok" in result.out
    assert f"{sample}:4: no-print: expected here but not reported" in result.out


def test_invalid_elements_are_reported_precisely_and_skipped(cpt, tmp_path):
    make_element(tmp_path, card=CARD.replace('symbol = "Np"', 'symbol = "np"'))
    make_element(tmp_path, name="bad-query", card=CARD.replace("no-print", "bad-query")
                 .replace('"Np"', '"Bq"'), query="((call function: (nonsense_node)) @match)\n")
    (tmp_path / "lib.py").write_text('print("x")\n')
    scan = cpt("scan", ".", "--format", "json", cwd=tmp_path)
    assert scan.code == 0 and scan.json()["findings"] == []
    assert "symbol 'np' must be one capital" in scan.err
    assert "bad-query/queries/python.scm: query does not compile" in scan.err
    tested = cpt("elements", "test", cwd=tmp_path)
    assert tested.code == 1 and "invalid element" in tested.out
