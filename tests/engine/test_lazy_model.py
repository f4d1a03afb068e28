"""Model values computed on first read (fingerprints, call arguments) equal the eager ones."""

from cpt.engine import fingerprint
from cpt.engine.config import Settings
from cpt.engine.fingerprint import FingerprintCache
from cpt.engine.languages import language_by_name

PY = language_by_name("python")
JS = language_by_name("javascript")

SOURCE = b'''
class Repo:
    def load(self, path):
        rows = []
        for line in open(path):
            rows.append(line.split(","))
        return rows

    def short(self):
        return 1

values = sorted(map(int, "3,1".split(",")), key=lambda v: -v)
'''


def _module(analyzer, source, spec, cache=None):
    analyzer.fingerprints = cache
    try:
        return analyzer.analyze(source, "x", spec, Settings()).module
    finally:
        analyzer.fingerprints = None


def test_fingerprints_read_later_equal_normalizing_the_unit_text(analyzer):
    module = _module(analyzer, SOURCE, PY)
    for function in module.functions:
        text = SOURCE[function.span.start_byte:function.span.end_byte].decode()
        if function.lines < fingerprint.MIN_FINGERPRINT_LINES:
            assert (function.normalized, function.fingerprint) == ("", "")
        else:
            assert function.normalized == fingerprint.normalize(text, PY)
            assert function.fingerprint == fingerprint.digest(function.normalized)
    (repo,) = module.classes
    assert repo.fingerprint == fingerprint.class_fingerprint(repo)


def test_fingerprints_through_the_editor_cache_are_the_same(analyzer):
    plain = _module(analyzer, SOURCE, PY)
    cached = _module(analyzer, SOURCE, PY, FingerprintCache())
    assert [f.fingerprint for f in cached.functions] == [f.fingerprint for f in plain.functions]
    assert [k.fingerprint for k in cached.classes] == [k.fingerprint for k in plain.classes]


def test_call_arguments_are_the_arguments_field_of_the_call(analyzer):
    source = b"f(1, 2)\nnew Map()\nnew Set\nobj.run(x)\n"
    module = _module(analyzer, source, JS)
    found = {call.callee: call for _, call in module.all_calls()}
    assert found["f"].arguments.type == "arguments"
    assert [arg.text for arg in found["f"].args] == [b"1", b"2"]
    assert found["Map"].is_new and found["Map"].arguments.type == "arguments"
    assert found["Set"].arguments is None and found["Set"].args == []
    assert [arg.text for arg in found["obj.run"].args] == [b"x"]
