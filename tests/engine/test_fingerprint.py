"""Clone fingerprints: Type-1/2 clones are identical, Type-3 close, unrelated code far apart."""

import itertools

import pytest

from cpt.engine import fingerprint
from cpt.engine.config import Settings
from cpt.engine.languages import language_by_name

PY = language_by_name("python")

ORIGINAL = '''
def load_customers(path, delimiter=","):
    customers = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader)
        for row in reader:
            if not row or row[0].startswith("#"):
                continue
            record = dict(zip(header, row))
            record["id"] = int(record["id"])
            customers.append(record)
    return customers
'''

RENAMED_AND_LITERALS = '''
def read_suppliers(filename, sep=";"):
    suppliers = []
    with open(filename, newline="\\n", encoding="latin-1") as stream:
        rows = csv.reader(stream, delimiter=sep)
        columns = next(rows)
        for line in rows:
            if not line or line[1].startswith("//"):
                continue
            entry = dict(zip(columns, line))
            entry["code"] = int(entry["code"])
            suppliers.append(entry)
    return suppliers
'''

REFORMATTED_WITH_COMMENTS = '''
def load_customers( path ,
                    delimiter = "," ):
  # Read every customer of the export.
  customers = [ ]
  with open(path,newline="",encoding="utf-8") as handle:  # text mode
      reader = csv.reader(
          handle,
          delimiter=delimiter,
      )
      header = next(reader)
      for row in reader:
          if not row or row[0].startswith("#"):
              continue
          record = dict(zip(header, row))
          record["id"] = \\
              int(record["id"])
          customers.append(record)
  return customers
'''

STATEMENT_ADDED = ORIGINAL.replace(
    "            customers.append(record)\n",
    "            record[\"name\"] = record[\"name\"].strip()\n"
    "            customers.append(record)\n")
STATEMENT_REMOVED = ORIGINAL.replace("        header = next(reader)\n", "")

UNRELATED = [
    '''
def render_invoice(invoice, template):
    lines = []
    total = 0
    for item in invoice.items:
        amount = item.price * item.quantity
        total += amount
        lines.append(template.format(name=item.name, amount=amount))
    tax = round(total * 0.19, 2)
    lines.append(f"Tax: {tax}")
    lines.append(f"Total: {total + tax}")
    return "\\n".join(lines)
''',
    '''
def retry(action, attempts=3, delay=0.5):
    last_error = None
    while attempts > 0:
        try:
            return action()
        except ConnectionError as error:
            last_error = error
            attempts -= 1
            time.sleep(delay)
            delay *= 2
    raise RuntimeError("gave up") from last_error
''',
    '''
class_map = None
def parse_args(argv):
    parser = argparse.ArgumentParser(prog="cpt")
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--format", choices=["text", "json", "sarif"])
    parser.add_argument("--jobs", type=int, default=0)
    options = parser.parse_args(argv)
    if not options.paths:
        options.paths = ["."]
    return options
''',
    '''
def merge(left, right):
    result = {}
    for key in left.keys() | right.keys():
        if key in left and key in right and isinstance(left[key], dict):
            result[key] = merge(left[key], right[key])
        elif key in right:
            result[key] = right[key]
        else:
            result[key] = left[key]
    return result
''',
]


def unit(analyzer, text):
    analysis = analyzer.analyze(text.encode("utf-8"), "f.py", PY, Settings())
    return analysis.module.top_level_functions[0]


@pytest.mark.parametrize("clone", [RENAMED_AND_LITERALS, REFORMATTED_WITH_COMMENTS],
                         ids=["type2-renamed-literals", "type1-reformatted-comments"])
def test_type1_and_type2_clones_share_the_fingerprint(analyzer, clone):
    original = unit(analyzer, ORIGINAL)
    copy = unit(analyzer, clone)
    assert copy.normalized == original.normalized
    assert copy.fingerprint == original.fingerprint
    assert fingerprint.similarity(original, copy) == 1.0


@pytest.mark.parametrize("changed", [STATEMENT_ADDED, STATEMENT_REMOVED], ids=["added", "removed"])
def test_type3_clones_stay_similar(analyzer, changed):
    original = unit(analyzer, ORIGINAL)
    copy = unit(analyzer, changed)
    assert copy.fingerprint != original.fingerprint
    assert fingerprint.similarity(original, copy) >= 0.8


def test_unrelated_functions_are_far_apart(analyzer):
    units = [unit(analyzer, ORIGINAL)] + [unit(analyzer, text) for text in UNRELATED]
    scores = [fingerprint.similarity(a, b) for a, b in itertools.combinations(units, 2)]
    assert len({u.fingerprint for u in units}) == len(units)
    assert sum(scores) / len(scores) < 0.5
    assert max(scores) < 0.8


def test_similarity_edge_cases():
    assert fingerprint.similarity("", "") == 1.0
    assert fingerprint.similarity("def I():;", "") == 0.0
    assert fingerprint.similarity("a b c d", "a b c d") == 1.0


def test_indentation_width_does_not_matter():
    two = "def f(a):\n  if a:\n    return 1\n  return 2\n"
    four = "def f(a):\n    if a:\n        return 1\n    return 2\n"
    assert fingerprint.normalize(two, PY) == fingerprint.normalize(four, PY)


def test_structure_still_matters():
    nested = "def f(a):\n    if a:\n        g()\n        h()\n"
    flat = "def f(a):\n    if a:\n        g()\n    h()\n"
    assert fingerprint.normalize(nested, PY) != fingerprint.normalize(flat, PY)


def test_strings_numbers_and_names_stay_distinct():
    assert fingerprint.normalize('x = "a"\n', PY) == "I=S;"
    assert fingerprint.normalize("x = 1\n", PY) == "I=N;"
    assert fingerprint.normalize("x = y\n", PY) == "I=I;"


def test_trailing_commas_and_continuations_are_layout():
    one = "call(a, b)\n"
    assert fingerprint.normalize("call(\n    a,\n    b,\n)\n", PY) == fingerprint.normalize(one, PY)
    continued = fingerprint.normalize("x = a + \\\n    b\n", PY)
    assert continued == fingerprint.normalize("x = a + b\n", PY)


def test_backslash_newline_stays_inside_the_string():
    """Regression (idlelib/run.py): a backslash-newline in a string let its words in."""
    triple = 'x = f"""\\\n    words in the string\n"""\n'
    short = "x = 'one \\\ntwo'\n"
    assert fingerprint.normalize(triple, PY) == "I=S;"
    assert fingerprint.normalize(short, PY) == "I=S;"


def test_fingerprints_do_not_depend_on_what_the_process_normalized_before():
    """Scan workers and the index compare fingerprints made by different processes."""
    import subprocess
    import sys

    script = '''
import sys
from cpt.engine.catalog import builtin_catalog
from cpt.engine.analysis import Analyzer
from cpt.engine.config import Settings
from cpt.engine.languages import language_by_name
analyzer = Analyzer(builtin_catalog())
for name in sys.argv[1:]:
    source = {"go": b"package m\\nfunc f() error { if x == nil { return nil }; return err }\\n",
              "javascript": b"function f() { const x = null; throw new Error(x); }\\n",
              "python": open(%r, "rb").read()}[name]
    analysis = analyzer.analyze(source, "x", language_by_name(name), Settings())
print([function.fingerprint for function in analysis.module.functions])
'''.replace("%r", repr(str(__import__("pathlib").Path(__file__))))

    def fingerprints(*languages):
        return subprocess.run([sys.executable, "-c", script, *languages], capture_output=True,
                              text=True, check=True).stdout

    assert fingerprints("python") == fingerprints("go", "javascript", "python")
