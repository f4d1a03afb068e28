"""Incremental edits must give the tree and findings that a fresh parse of the final text gives."""

import pytest

from cpt.engine.config import Settings
from cpt.engine.document import Document
from cpt.engine.languages import language_by_name

PY = language_by_name("python")

BASE = '''import os


def add(item, bucket=[]):  # 😀 emoji
    bucket.append(item)
    return bucket


def run(name):
    label = "漢字"
    os.system("echo " + name)
    try:
        return eval(name)
    except Exception:
        pass
'''


def lsp_position(text, index):
    """The LSP (line, UTF-16 character) of a str index, computed independently of LineIndex."""
    before = text[:index]
    line = before.count("\n")
    prefix = before[before.rfind("\n") + 1:]
    if prefix.endswith("\r"):
        prefix = prefix[:-1]
    return line, len(prefix.encode("utf-16-le")) // 2


def apply(document, text, start, end, new):
    """Apply the same edit to a Document (via LSP positions) and to a plain str."""
    document.apply_change(*lsp_position(text, start), *lsp_position(text, end), new)
    return text[:start] + new + text[end:]


def findings(analysis):
    return [(f.element, f.span.start_byte, f.span.end_byte, f.message) for f in analysis.findings]


def assert_same_as_fresh(document, text, analyzer):
    assert document.text == text
    fresh = analyzer.parse(text.encode("utf-8"), document.spec)
    assert str(document.tree.root_node) == str(fresh.root_node)
    expected = analyzer.analyze(text.encode("utf-8"), "x.py", PY, Settings())
    assert findings(document.analyze(analyzer, Settings())) == findings(expected)


def test_single_edit_updates_text_tree_and_findings(analyzer):
    document = Document(BASE, PY, analyzer, "x.py")
    text = BASE
    start = text.index("[]")
    text = apply(document, text, start, start + 2, "None")
    assert_same_as_fresh(document, text, analyzer)
    assert "mutable-default-argument" not in {f.element for f in document.analyze().findings}
    assert document.changed_ranges  # the default changed from a list to None


def test_edits_after_emoji_and_cjk_use_utf16_columns(analyzer):
    document = Document(BASE, PY, analyzer, "x.py")
    text = BASE
    start = text.index("emoji")
    text = apply(document, text, start, start + len("emoji"), "表情 😎")
    start = text.index("漢字") + 1
    text = apply(document, text, start, start + 1, "👍")
    assert_same_as_fresh(document, text, analyzer)


def test_edits_in_a_crlf_file(analyzer):
    crlf = BASE.replace("\n", "\r\n")
    document = Document(crlf, PY, analyzer, "x.py")
    text = crlf
    start = text.index("pass")
    text = apply(document, text, start, start + 4, "raise\r\n\r\n    x = 1")
    end_of_first_line = text.index("\r\n")
    text = apply(document, text, end_of_first_line, end_of_first_line, ", sys")
    assert_same_as_fresh(document, text, analyzer)
    assert text.count("\r\n") == document.text.count("\r\n")


def test_deleting_lines_and_inserting_at_the_end(analyzer):
    document = Document(BASE, PY, analyzer, "x.py")
    text = BASE
    start = text.index("def run")
    text = apply(document, text, start, len(text), "")
    text = apply(document, text, len(text), len(text), "class A:\n    pass\n")
    assert_same_as_fresh(document, text, analyzer)


def test_out_of_range_edit_is_clamped_to_the_end(analyzer):
    document = Document("x = 1\n", PY, analyzer)
    document.apply_change(10, 0, 12, 5, "y = [2]\n")
    assert document.text == "x = 1\ny = [2]\n"
    assert str(document.tree.root_node) == str(analyzer.parse(document.data, PY).root_node)


def test_replace_all_reparses(analyzer):
    document = Document(BASE, PY, analyzer, "x.py")
    document.replace_all("def f(a={}):\n    return a\n")
    assert_same_as_fresh(document, "def f(a={}):\n    return a\n", analyzer)


def test_previous_analysis_keeps_its_positions(analyzer):
    document = Document(BASE, PY, analyzer, "x.py")
    before = document.analyze()
    spans = [(f.span.start, f.span.end) for f in before.findings]
    document.apply_change(0, 0, 0, 0, "\n\n\n")
    assert [(f.span.start, f.span.end) for f in before.findings] == spans


hypothesis = pytest.importorskip("hypothesis")
st = pytest.importorskip("hypothesis.strategies")

SNIPPETS = ["", "x", "😀", "漢", "\n", "\r\n", "(", ")", "[]", "def g(a=[]):\n    pass\n",
            "    ", ":", "'", '"""', "try:\n    1\nexcept:\n    pass\n", "é", "#", "eval(s)"]


def _boundary(text, index):
    """Never split a CRLF: LSP has no position between CR and LF."""
    if 0 < index < len(text) and text[index - 1] == "\r" and text[index] == "\n":
        return index - 1
    return index


@hypothesis.settings(max_examples=60, deadline=None,
                     suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
@hypothesis.given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), st.sampled_from(SNIPPETS),
                                     st.sampled_from(SNIPPETS)), min_size=1, max_size=8),
                  st.booleans())
def test_random_edits_match_a_fresh_parse(analyzer, edits, crlf):
    text = BASE.replace("\n", "\r\n") if crlf else BASE
    document = Document(text, PY, analyzer, "x.py")
    for a, b, first, second in edits:
        start, end = sorted((_boundary(text, int(a * len(text))),
                             _boundary(text, int(b * len(text)))))
        text = apply(document, text, start, end, first + second)
        assert document.text == text
        assert str(document.tree.root_node) == str(analyzer.parse(document.data, PY).root_node)
    assert_same_as_fresh(document, text, analyzer)
