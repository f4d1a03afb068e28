"""The element pages that diagnostics link to are generated from the cards and kept fresh."""

from cpt.server.element_docs import DOCS, expected_pages


def test_generated_element_pages_are_up_to_date():
    pages = expected_pages()
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in DOCS.glob("*.md")}
    stale = sorted(name for name in pages if on_disk.get(name) != pages[name])
    extra = sorted(set(on_disk) - set(pages))
    assert not stale and not extra, (
        f"run `python -m cpt.server.element_docs` (stale: {stale}, extra: {extra})")
