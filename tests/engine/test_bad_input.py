"""Hostile or broken input: analysis may find less, but it never raises and never hangs."""

import time

import pytest

from cpt.engine.config import Settings
from cpt.engine.document import Document
from cpt.engine.languages import LANGUAGES, language_by_name

PY = language_by_name("python")
# Languages whose extraction query exists (others are being added language by language).
READY = sorted(name for name in LANGUAGES if language_by_name(name).queries_file.is_file())


def analyze(analyzer, source, spec=PY):
    started = time.perf_counter()
    analysis = analyzer.analyze(source, "bad.py", spec, Settings())
    assert time.perf_counter() - started < 10
    assert analysis.errors == []  # no detector failed
    return analysis


@pytest.mark.parametrize("language", READY)
def test_ten_thousand_nested_brackets(analyzer, language):
    spec = language_by_name(language)
    source = b"x = " + b"(" * 10_000 + b"1" + b")" * 10_000 + b"\n"
    analyze(analyzer, source, spec)
    analyze(analyzer, b"y = " + b"[" * 10_000 + b"\n", spec)  # never closed


def test_deeply_nested_default_and_eval(analyzer):
    source = (b"def f(a=" + b"(" * 5_000 + b"[]" + b")" * 5_000 + b"):\n    eval("
              + b"(" * 5_000 + b"a" + b")" * 5_000 + b")\n")
    found = {f.element for f in analyze(analyzer, source).findings}
    assert "code-injection" in found


def test_invalid_utf8_bytes(analyzer):
    source = b"def f(x=[]):\n    s = '\xff\xfe\xc3('\n    return eval(s + x)\n\x80\x81\n"
    analysis = analyze(analyzer, source)
    assert "mutable-default-argument" in {f.element for f in analysis.findings}
    for finding in analysis.findings:
        analysis.lines.position_of(finding.span.start_byte)


def test_binary_content(analyzer):
    source = bytes(range(256)) * 40 + b"\x00\x00def f(:\n\x00"
    analyze(analyzer, source)


def test_empty_and_whitespace_only(analyzer):
    assert analyze(analyzer, b"").findings == []
    assert analyze(analyzer, b"\n\r\n   \t\n").findings == []


def test_partial_tree_mid_edit_never_raises(analyzer):
    text = ("class Config:\n    _instance = None\n\n    def __new__(cls):\n"
            "        if cls._instance is None:\n            cls._instance = super().__new__(cls)\n"
            "        return cls._instance\n")
    document = Document(text, PY, analyzer, "bad.py")
    # Type a new method one character at a time: most intermediate states do not parse.
    typed = ("\n    def add(self, item, bucket=[]):\n        try:\n            eval(item)\n"
             "        except:\n            pass\n")
    line = text.count("\n")
    column = 0
    for char in typed:
        document.apply_change(line, column, line, column, char)
        if char == "\n":
            line, column = line + 1, 0
        else:
            column += 1
        analysis = document.analyze(analyzer, Settings())
        assert analysis.errors == []
    assert document.text == text + typed
    found = {f.element for f in document.analyze().findings}
    assert {"mutable-default-argument", "code-injection", "swallowed-exception"} <= found


def test_unbalanced_code_in_every_language(analyzer):
    snippets = [b"class A { void f( { if (", b"func f( { for {", b"def f(:\n  if x\n    return",
                b"function f() { return `${", b"\"unterminated", b"/* never closed"]
    for language in READY:
        for snippet in snippets:
            analyze(analyzer, snippet * 50, language_by_name(language))
