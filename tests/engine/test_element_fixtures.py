"""Every element folder's annotated fixtures are its spec: run them all, one test per file."""

import pytest

from cpt.engine.catalog import builtin_catalog
from cpt.engine.fixtures import check_fixture, fixture_files, parse_markers

CATALOG = builtin_catalog()
CASES = [
    pytest.param(element, path, spec, id=f"{element.id}/{path.name}")
    for element in CATALOG
    for path, spec in fixture_files(element)
]


def test_catalog_loads_without_problems():
    assert CATALOG.problems == []
    assert len(CATALOG.elements) >= 15


@pytest.mark.parametrize("element", list(CATALOG), ids=lambda element: element.id)
def test_every_element_has_fixtures_for_each_language(element):
    covered = {
        spec.name if spec.name != "tsx" else "typescript" for _, spec in fixture_files(element)
    }
    missing = set(element.languages) - covered
    assert not missing, f"{element.id} has no fixtures for {sorted(missing)}"


@pytest.mark.parametrize("element,path,spec", CASES)
def test_fixture(element, path, spec, analyzer):
    markers = [
        m for m in parse_markers(path.read_text(encoding="utf-8")) if m.element == element.id
    ]
    assert any(m.kind == "expect" for m in markers), f"{path} has no expect: {element.id} marker"
    assert any(m.kind == "ok" for m in markers), f"{path} has no ok: {element.id} marker"
    failures = check_fixture(path, spec, analyzer, {element.id})
    assert not failures, "\n".join(map(str, failures))
