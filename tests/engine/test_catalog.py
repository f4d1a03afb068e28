"""Element cards are validated with one precise message per problem; bad elements are skipped."""

import textwrap

from cpt.engine.catalog import load_catalog, validate_card

CARD = '''
id = "{id}"
symbol = "{symbol}"
name = "Test element"
group = "smell"
period = 2
severity = "warning"
languages = ["python"]
summary = "A test element."
message = "Found {{name}}."
{extra}
'''

DETECT = "def detect(ctx):\n    return []\n"


def make_element(root, element_id, symbol, extra="", detect=True, query=None, folder=None):
    folder = root / "smell" / (folder or element_id)
    folder.mkdir(parents=True)
    (folder / "element.toml").write_text(
        CARD.format(id=element_id, symbol=symbol, extra=textwrap.dedent(extra)), encoding="utf-8")
    if detect:
        (folder / "detect.py").write_text(DETECT, encoding="utf-8")
    if query is not None:
        (folder / "queries").mkdir()
        (folder / "queries" / "python.scm").write_text(query, encoding="utf-8")
    return folder


def problems_of(catalog, folder):
    return [p.reason for p in catalog.problems if folder in p.path.parents or p.path == folder]


def test_a_valid_custom_element_loads(tmp_path):
    make_element(tmp_path, "custom-thing", "Zq", query="(call) @match")
    catalog = load_catalog(extra_roots=[tmp_path])
    assert catalog.problems == []
    element = catalog["custom-thing"]
    assert not element.builtin and "python" in element.queries


def test_unknown_key(tmp_path):
    folder = make_element(tmp_path, "with-typo", "Zq", extra='severty = "error"')
    catalog = load_catalog(extra_roots=[tmp_path])
    assert problems_of(catalog, folder) == ["unknown key 'severty'"]
    assert "with-typo" not in catalog


def test_bad_symbol(tmp_path):
    folder = make_element(tmp_path, "bad-symbol", "zz1")
    catalog = load_catalog(extra_roots=[tmp_path])
    assert problems_of(catalog, folder) == [
        "symbol 'zz1' must be one capital and an optional small letter"]


def test_duplicate_symbol(tmp_path):
    folder = make_element(tmp_path, "another-singleton", "Sg")
    catalog = load_catalog(extra_roots=[tmp_path])
    assert problems_of(catalog, folder) == ["symbol 'Sg' is already taken by 'singleton'"]
    assert catalog["singleton"].builtin


def test_duplicate_id(tmp_path):
    folder = make_element(tmp_path, "singleton", "Zq")
    catalog = load_catalog(extra_roots=[tmp_path])
    [reason] = problems_of(catalog, folder)
    assert reason.startswith("id 'singleton' is already taken by ")
    assert "creational" in reason


def test_relationship_to_a_missing_element(tmp_path):
    folder = make_element(tmp_path, "lonely", "Zq", extra='''
        [relationships]
        combines_with = ["singleton", "no-such-element"]
    ''')
    catalog = load_catalog(extra_roots=[tmp_path])
    assert problems_of(catalog, folder) == [
        "combines_with names 'no-such-element', which is not an element of the table"]
    assert "lonely" in catalog  # a dangling link is reported, the element still works


def test_query_that_does_not_compile(tmp_path):
    folder = make_element(tmp_path, "broken-query", "Zq", detect=False,
                          query="(no_such_node_type) @match")
    catalog = load_catalog(extra_roots=[tmp_path])
    [reason] = problems_of(catalog, folder)
    assert reason.startswith("query does not compile: ")
    assert "broken-query" not in catalog


def test_query_without_match_capture(tmp_path):
    folder = make_element(tmp_path, "no-match", "Zq", detect=False, query="(call) @found")
    catalog = load_catalog(extra_roots=[tmp_path])
    assert problems_of(catalog, folder) == ["query has no @match capture to report"]


def test_id_differs_from_folder(tmp_path):
    folder = make_element(tmp_path, "real-id", "Zq", folder="other-folder")
    catalog = load_catalog(extra_roots=[tmp_path])
    assert problems_of(catalog, folder) == ["id 'real-id' differs from its folder 'other-folder'"]


def test_no_detection(tmp_path):
    folder = make_element(tmp_path, "does-nothing", "Zq", detect=False)
    catalog = load_catalog(extra_roots=[tmp_path])
    assert problems_of(catalog, folder) == [
        "no detection: add detect.py or queries/<language>.scm"]


def test_invalid_toml(tmp_path):
    folder = tmp_path / "smell" / "broken-toml"
    folder.mkdir(parents=True)
    (folder / "element.toml").write_text('id = "broken-toml\n', encoding="utf-8")
    catalog = load_catalog(extra_roots=[tmp_path])
    [reason] = problems_of(catalog, folder)
    assert reason.startswith("not valid TOML: ")


def test_every_problem_of_a_card_is_named():
    card = {"id": "Bad_Id", "symbol": "sg", "name": "", "group": "misc", "period": 9,
            "severity": "fatal", "languages": ["cobol"], "summary": "x", "message": "y",
            "relationships": {"friends_with": []}, "thresholds": {"limit": "ten"},
            "confidence": 2}
    assert validate_card(card) == [
        "id 'Bad_Id' must be kebab-case (e.g. 'long-method')",
        "symbol 'sg' must be one capital and an optional small letter",
        "group 'misc' is not one of creational, structural, behavioral, data, concurrency, "
        "idiom, smell, security",
        "period 9 must be 1 to 5",
        "severity 'fatal' is not one of error, warning, info, hint",
        "language 'cobol' is not one of go, java, javascript, python, typescript",
        "name must be a non-empty string",
        "relationship 'friends_with' is not one of combines_with, conflicts_with, evolves_to, "
        "alternative_to",
        "threshold 'limit' must be a number",
        "confidence must be a number in (0, 1]",
    ]


def test_missing_required_keys():
    assert validate_card({"id": "x"}) == [
        f"missing required key {key!r}" for key in
        ("symbol", "name", "group", "period", "severity", "languages", "summary", "message")]
