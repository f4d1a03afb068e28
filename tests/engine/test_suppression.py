"""Suppression comments hide findings; text that only looks like one (in a string) does not."""

from cpt.engine.config import Settings
from cpt.engine.languages import language_by_name
from cpt.engine.positions import LineIndex
from cpt.engine.suppression import find_suppressions

PY = language_by_name("python")
JS = language_by_name("javascript")
MDA = "mutable-default-argument"


def reported(analyzer, source, spec=PY):
    analysis = analyzer.analyze(source.encode("utf-8"), "s.py", spec, Settings())
    return {(f.element, f.span.start[0] + 1) for f in analysis.findings}, analysis


def test_ignore_with_ids_hides_only_those_elements(analyzer):
    found, analysis = reported(analyzer, (
        "def a(x=[]):  # cpt: ignore[mutable-default-argument]\n    return x\n"
        "def b(x=[]):  # cpt: ignore[long-method, broad-except]\n    return x\n"
    ))
    assert found == {(MDA, 3)}
    used = {s.line: s.used for s in analysis.suppressions}
    assert used == {0: {MDA}, 2: set()}  # the second one suppresses nothing: the server says so


def test_bare_ignore_hides_everything_on_its_line(analyzer):
    found, _ = reported(analyzer, (
        "def a(x=[], y={}):  # cpt: ignore\n    return x\n"
        "def b(x=[]):\n    return x\n"
    ))
    assert found == {(MDA, 3)}


def test_ignore_file_near_the_top_hides_the_whole_file(analyzer):
    found, _ = reported(analyzer, (
        "# cpt: ignore-file[mutable-default-argument]\n"
        "def a(x=[]):\n    try:\n        pass\n    except Exception:\n        pass\n"
    ))
    assert (MDA, 2) not in found
    assert ("swallowed-exception", 5) in found


def test_bare_ignore_file(analyzer):
    found, _ = reported(analyzer, "# cpt: ignore-file\ndef a(x=[]):\n    eval(x)\n")
    assert found == set()


def test_ignore_file_far_down_does_not_count(analyzer):
    source = "\n" * 20 + "# cpt: ignore-file\ndef a(x=[]):\n    return x\n"
    found, _ = reported(analyzer, source)
    assert (MDA, 22) in found


def test_markers_inside_strings_are_not_honoured(analyzer):
    found, analysis = reported(analyzer, (
        'def a(x=[], note="# cpt: ignore"):\n    return x\n'
        'def b(x=[], doc="""\n# cpt: ignore-file\n"""):\n    return x\n'
        "def c(x=[], y='cpt: ignore'):\n    return x\n"
    ))
    assert found == {(MDA, 1), (MDA, 3), (MDA, 7)}
    assert analysis.suppressions == []


def test_comment_after_a_string_with_a_hash_is_still_a_comment(analyzer):
    found, _ = reported(analyzer, 'def a(x=[], y="#"):  # cpt: ignore\n    return x\n')
    assert found == set()


def test_javascript_line_and_block_comments():
    source = (b'const s = "// cpt: ignore";\nf(); // cpt: ignore[sql-injection]\n'
              b"/* cpt: ignore */ g();\n")
    found = find_suppressions(source, JS, LineIndex(source))
    assert [(s.line, s.ids) for s in found] == [(1, frozenset({"sql-injection"})), (2, None)]


def test_positions_of_a_suppression():
    source = b"x = 1  # cpt: ignore[a, b]\n"
    [found] = find_suppressions(source, PY, LineIndex(source))
    assert source[found.start:found.end] == b"cpt: ignore[a, b]"
    assert found.ids == frozenset({"a", "b"}) and not found.whole_file
