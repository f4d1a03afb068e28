"""`cpt scan` end to end: discovery, output formats, exit codes, configuration, bad input."""

import json
import textwrap
from itertools import combinations, islice
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "shop"

RISKY = textwrap.dedent('''\
    import subprocess

    def run(cmd):
        subprocess.run("ls " + cmd, shell=True)
''')
CLEAN = "def add(a, b):\n    return a + b\n"
PRICE_SUM = textwrap.dedent('''\
    def {name}(items, limit):
        total = 0
        for item in items:
            if item.price > limit:
                total += item.price * 2
            else:
                total += item.price
        return total
''')  # two copies of it under other names are duplicate code


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


@pytest.mark.parametrize("command", [[], ["scan"], ["elements"], ["explain"], ["elements", "test"]])
def test_every_subcommand_has_version_and_help(cpt, command):
    version = cpt(*command, "--version")
    assert version.code == 0 and version.out.startswith("cpt ")
    help_run = cpt(*command, "--help")
    assert help_run.code == 0 and "usage: cpt" in help_run.out


def test_json_report_has_the_documented_shape(cpt, tmp_path):
    write(tmp_path, "app/run.py", RISKY)
    result = cpt("scan", "app", "--format", "json", "--no-progress", cwd=tmp_path)
    assert result.code == 1
    report = result.json()
    assert set(report) >= {"version", "files_scanned", "files_skipped", "findings"}
    assert report["files_scanned"] == 1 and report["files_skipped"] == 0
    [finding] = [f for f in report["findings"] if f["element"] == "command-injection"]
    assert finding == {
        "element": "command-injection", "symbol": "Cm", "group": "security",
        "severity": "error", "message": finding["message"], "path": "app/run.py",
        "line": 4, "column": 5, "end_line": 4, "end_column": 44, "confidence": 1.0,
        "source": "rule",
    }


def test_json_and_sarif_reports_are_laid_out_as_json_indent_2(cpt, tmp_path):
    """Reports are written finding by finding; their text is still json.dumps(indent=2)."""
    write(tmp_path, "a.py", PRICE_SUM.format(name="prix_total_é"))
    write(tmp_path, "b.py", PRICE_SUM.format(name="total_des_prix"))
    write(tmp_path, "risky.py", RISKY)
    run = cpt("scan", ".", "--format", "json", cwd=tmp_path)
    report = json.loads(run.out)
    assert any(f["related"] for f in report["findings"] if f["element"] == "duplicate-code")
    assert any("é" in f["message"] for f in report["findings"])
    assert run.out == json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    sarif = cpt("scan", ".", "--format", "sarif", cwd=tmp_path).out
    document = json.loads(sarif)
    assert any(result.get("relatedLocations") for result in document["runs"][0]["results"])
    assert sarif == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    write(tmp_path, "clean/ok.py", CLEAN)
    empty = cpt("scan", "clean", "--format", "sarif", cwd=tmp_path).out
    assert json.loads(empty)["runs"][0]["results"] == []
    assert empty == json.dumps(json.loads(empty), indent=2, ensure_ascii=False) + "\n"


def test_exit_codes(cpt, tmp_path):
    write(tmp_path, "clean.py", CLEAN)
    write(tmp_path, "risky.py", RISKY)
    assert cpt("scan", "clean.py", cwd=tmp_path).code == 0
    assert cpt("scan", "risky.py", cwd=tmp_path).code == 1
    assert cpt("scan", "risky.py", "--fail-on", "none", cwd=tmp_path).code == 0
    unknown = cpt("scan", "risky.py", "--select", "no-such-element", cwd=tmp_path)
    assert unknown.code == 2 and "no-such-element" in unknown.err
    assert cpt("scan", "missing-folder", cwd=tmp_path).code == 2


def test_patterns_alone_scan_clean(cpt, tmp_path):
    write(tmp_path, "config.py", textwrap.dedent('''\
        class Config:
            _instance = None

            def __new__(cls):
                if cls._instance is None:
                    cls._instance = super().__new__(cls)
                return cls._instance
    '''))
    result = cpt("scan", ".", "--format", "json", cwd=tmp_path)
    assert result.code == 0
    assert [f["element"] for f in result.json()["findings"]] == ["singleton"]


def test_broken_config_names_file_line_and_key(cpt, tmp_path):
    write(tmp_path, "pyproject.toml",
          '[project]\nname = "x"\n\n[tool.cpt]\nselect = ["singleton"]\n'
          'colour = "red"\nignore = ["not-an-element"]\n')
    write(tmp_path, "a.py", CLEAN)
    result = cpt("scan", ".", cwd=tmp_path)
    assert result.code == 2
    assert "pyproject.toml:6: colour: unknown key" in result.err
    assert "pyproject.toml:7: ignore: unknown element id 'not-an-element'" in result.err


def test_nearest_config_applies_per_folder(cpt, tmp_path):
    write(tmp_path, "a/risky.py", RISKY)
    write(tmp_path, "b/risky.py", RISKY)
    write(tmp_path, "b/cpt.toml", 'ignore = ["command-injection"]\n')
    report = cpt("scan", ".", "--format", "json", cwd=tmp_path).json()
    paths = {f["path"] for f in report["findings"] if f["element"] == "command-injection"}
    assert paths == {"a/risky.py"}


def test_thresholds_and_severity_from_config(cpt, tmp_path):
    write(tmp_path, "cpt.toml", '[thresholds]\nmax-parameters = 2\n[severity]\n'
                                '"long-parameter-list" = "error"\n')
    write(tmp_path, "f.py", "def f(a, b, c):\n    return a\n")
    report = cpt("scan", ".", "--format", "json", cwd=tmp_path).json()
    [finding] = report["findings"]
    assert (finding["element"], finding["severity"]) == ("long-parameter-list", "error")


def test_gitignore_and_default_excludes(cpt, tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path, ".gitignore", "generated/\n*.gen.py\n")
    write(tmp_path, "src/risky.py", RISKY)
    write(tmp_path, "generated/risky.py", RISKY)
    write(tmp_path, "src/risky.gen.py", RISKY)
    write(tmp_path, "node_modules/pkg/index.js", "eval(userInput)\n")
    write(tmp_path, ".venv/pyvenv.cfg", "home = /usr\n")
    write(tmp_path, ".venv/lib/risky.py", RISKY)
    report = cpt("scan", ".", "--format", "json", cwd=tmp_path).json()
    assert {f["path"] for f in report["findings"]} == {"src/risky.py"}
    assert report["files_scanned"] == 1


def test_shebang_chooses_the_language(cpt, tmp_path):
    write(tmp_path, "bin/tool", "#!/usr/bin/env python3\n" + RISKY)
    report = cpt("scan", ".", "--format", "json", cwd=tmp_path).json()
    assert [f["path"] for f in report["findings"]] == ["bin/tool"]


def test_bad_files_are_skipped_with_one_line_each(cpt, tmp_path):
    write(tmp_path, "binary.py", b"\x00\x01\x02" * 100)
    write(tmp_path, "latin1.py", "x = 'caf\xe9'\n".encode("latin-1"))
    write(tmp_path, "huge.py", b"x = 1\n" * 600_000)
    write(tmp_path, "nested.py", b"x = " + b"(" * 10_000 + b"1" + b")" * 10_000 + b"\n")
    write(tmp_path, "nested.js", b"x = " + b"[" * 10_000 + b"]" * 10_000 + b";\n")
    write(tmp_path, "risky.py", RISKY)
    result = cpt("scan", ".", "--format", "json", "--no-progress", cwd=tmp_path)
    assert result.code == 1
    report = result.json()
    skipped = {item["path"]: item["reason"] for item in report["skipped"]}
    assert set(skipped) == {"binary.py", "latin1.py", "huge.py"}
    assert "binary" in skipped["binary.py"] and "UTF-8" in skipped["latin1.py"]
    assert "too large" in skipped["huge.py"]
    assert len([line for line in result.err.splitlines() if "skipped" in line]) == 3
    assert report["files_scanned"] == 3
    assert any(f["path"] == "risky.py" for f in report["findings"])


def test_suppression_comments(cpt, tmp_path):
    write(tmp_path, "a.py",
          RISKY.replace('shell=True)', 'shell=True)  # cpt: ignore[command-injection]'))
    write(tmp_path, "b.py", RISKY.replace('shell=True)', 'shell=True)  # cpt: ignore'))
    write(tmp_path, "c.py", "# cpt: ignore-file\n" + RISKY)
    write(tmp_path, "d.py", RISKY.replace('shell=True)', 'shell=True)  # cpt: ignore[singleton]'))
    write(tmp_path, "e.js", "// cpt: ignore-file[code-injection]\neval(userInput);\n")
    report = cpt("scan", ".", "--format", "json", cwd=tmp_path).json()
    assert {f["path"] for f in report["findings"]} == {"d.py"}


def test_parallel_scan_matches_serial(cpt):
    serial = cpt("scan", EXAMPLES, "--format", "json", "--jobs", "1", "--no-cache").json()
    parallel = cpt("scan", EXAMPLES, "--format", "json", "--jobs", "2", "--no-cache").json()
    assert serial["findings"] == parallel["findings"] and serial["findings"]


def test_parallel_scan_finds_the_same_near_copies_as_serial(cpt, tmp_path):
    """Enough near copies (thousands of pairs) that `--jobs 2` compares them in a pool."""
    extras = ["total += item", "total -= 1", "count = count * 2", "seen.append(item)",
              "del cache[item]", "assert total", "print(total, count)", "count = -count"]
    heads = ["for item in items:", "while items:", "with open(name) as item:",
             "if items and limit:", "for item in sorted(items, key=len):", "try:"]
    for number, head in enumerate(heads):
        functions = [
            f"def copy_{copy}(items, limit, name, cache):\n    total = 0\n"
            f"    count = len(items)\n    seen = []\n    {head}\n        total += limit\n"
            f"        count += 1\n" + "".join(f"        {line}\n" for line in chosen)
            + ("    except ValueError:\n        total = None\n" if head == "try:" else "")
            + "    return total, count, seen\n"
            for copy, chosen in enumerate(islice(combinations(extras, 3), 40))
        ]
        write(tmp_path, f"copies_{number}.py", "\n\n".join(functions))
    serial = cpt("scan", ".", "--format", "json", "--jobs", "1", "--no-cache", cwd=tmp_path).json()
    parallel = cpt("scan", ".", "--format", "json", "--jobs", "2", "--no-cache",
                   cwd=tmp_path).json()
    duplicates = [f for f in serial["findings"] if f["element"] == "duplicate-code"]
    assert len(duplicates) == 6 * 40 and "alike" in duplicates[0]["message"]
    assert parallel["findings"] == serial["findings"]


def test_duplicates_across_files_point_at_each_other(cpt, tmp_path):
    write(tmp_path, "a.py", PRICE_SUM.format(name="price_sum"))
    write(tmp_path, "b.py", PRICE_SUM.format(name="sum_prices").replace("total", "acc"))
    report = cpt("scan", ".", "--format", "json", cwd=tmp_path).json()
    duplicates = [f for f in report["findings"] if f["element"] == "duplicate-code"]
    assert {f["path"] for f in duplicates} == {"a.py", "b.py"}
    first = next(f for f in duplicates if f["path"] == "a.py")
    assert first["line"] == 1 and first["column"] == 5
    assert first["related"][0]["path"] == "b.py" and first["related"][0]["line"] == 1


def test_a_lower_duplicate_threshold_in_config_reports_short_copies(cpt, tmp_path):
    """A scan fingerprints only functions long enough to pair, as the nearest config says."""
    body = textwrap.dedent('''\
        def {name}(items, limit):
            kept = [item.price * limit for item in items if item.price > limit]
            return sum(kept) + len(kept) * limit - min(kept, default=0) + max(kept, default=0)
    ''')
    for folder in ("default", "short"):
        write(tmp_path, f"{folder}/a.py", body.format(name="price_sum"))
        write(tmp_path, f"{folder}/b.py", body.format(name="sum_prices"))
    write(tmp_path, "short/cpt.toml", "[thresholds]\nduplicate-min-lines = 3\n"
                                      "duplicate-min-tokens = 10\n")
    for jobs in ("1", "2"):
        report = cpt("scan", ".", "--format", "json", "--jobs", jobs, "--no-cache",
                     cwd=tmp_path).json()
        paths = {f["path"] for f in report["findings"] if f["element"] == "duplicate-code"}
        assert paths == {"short/a.py", "short/b.py"}


def test_sarif_report_carries_rules_and_locations(cpt, tmp_path):
    write(tmp_path, "src/risky.py", RISKY)
    sarif = cpt("scan", ".", "--format", "sarif", cwd=tmp_path).json()
    assert sarif["version"] == "2.1.0" and "sarif" in sarif["$schema"]
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {rule["id"] for rule in rules} >= {"singleton", "sql-injection", "command-injection"}
    rule = next(rule for rule in rules if rule["id"] == "command-injection")
    assert rule["help"]["markdown"] and rule["properties"]["security-severity"]
    [result] = run["results"]
    assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == "command-injection"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "src/risky.py"
    assert location["region"]["startLine"] == 4


def test_output_file_and_text_report(cpt, tmp_path):
    write(tmp_path, "risky.py", RISKY)
    result = cpt("scan", ".", "--output", "report.txt", cwd=tmp_path)
    text = (tmp_path / "report.txt").read_text()
    assert result.out == ""
    assert "risky.py\n  4:5" in text and "command-injection" in text
    assert text.rstrip().splitlines()[-1].startswith("1 finding in 1 file")


FIXABLE = textwrap.dedent('''\
    def add(item, bucket=[]):
        bucket.append(item)
        return bucket
''')


def test_diff_previews_and_fix_applies_the_safe_fixes(cpt, tmp_path):
    write(tmp_path, "bucket.py", FIXABLE)
    preview = cpt("scan", ".", "--diff", cwd=tmp_path)
    assert preview.code == 1
    assert "-def add(item, bucket=[]):" in preview.out and "+    if bucket is None:" in preview.out
    assert (tmp_path / "bucket.py").read_text() == FIXABLE  # --diff changes nothing
    fixed = cpt("scan", ".", "--fix", "--format", "json", cwd=tmp_path)
    assert "fixed bucket.py" in fixed.err
    assert fixed.json()["findings"] == [] and fixed.code == 0
    text = (tmp_path / "bucket.py").read_text()
    assert "bucket=None" in text and "bucket = []" in text
    assert cpt("scan", ".", "--diff", cwd=tmp_path).out == ""


def test_clone_copies_are_named_in_the_same_order_whatever_the_worker_order(cpt, tmp_path):
    # Regression: copies were listed in the order workers finished, so --jobs 2 differed.
    body = "def f{n}(rows, limit):\n" + "".join(
        f"    if rows[{i}] > limit:\n        rows[{i}] = limit * {i}\n" for i in range(6)
    ) + "    return rows\n"
    for n in range(6):
        write(tmp_path, f"m{n}.py", "x = 1\n" * (n * 50) + body.format(n=n))
    serial = cpt("scan", ".", "--format", "json", "--jobs", "1", "--no-cache", cwd=tmp_path).json()
    parallel = cpt("scan", ".", "--format", "json", "--jobs", "2", "--no-cache",
                   cwd=tmp_path).json()
    assert len([f for f in serial["findings"] if f["element"] == "duplicate-code"]) == 6
    assert serial["findings"] == parallel["findings"]
