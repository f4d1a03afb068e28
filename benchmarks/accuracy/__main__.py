"""`python -m benchmarks.accuracy`: print precision, recall and F1 of the periodic table.

    python -m benchmarks.accuracy                  # everything (a few minutes)
    python -m benchmarks.accuracy --quick          # a few elements, Python examples only
    python -m benchmarks.accuracy --elements observer,sql-injection --json out.json
    python -m benchmarks.accuracy --dump /tmp/variants   # write every analyzed variant

Datasets: `fixtures` (the elements' own annotated fixtures, for reference) and the independent
set the targets apply to: `rename`, `reorder`, `reformat` and `split` variants of the fixtures
(see variants.py) and `handwritten`, the examples of benchmarks/accuracy_corpus/ written after
the detectors without reading them. Counting rules: counting.py and docs/accuracy.md.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import platform
import sys
from pathlib import Path

from cpt.engine.catalog import Element, builtin_catalog
from cpt.engine.fixtures import fixture_files

from . import fingerprints
from .counting import NONE, Counts, Scores
from .runner import CORPUS, INDEPENDENT, ROOT, SPLIT_PER_FILE, RunResult, run

QUICK_ELEMENTS = ("observer", "strategy", "sql-injection", "duplicate-code", "broad-except")
QUICK_LANGUAGES = {"python"}
LANGUAGES = ("python", "javascript", "typescript", "java", "go")
GROUP_ORDER = ("creational", "structural", "behavioral", "data", "concurrency", "idiom", "smell",
               "security")
RECALL_TARGET = 0.80
VARIANTS = ("rename", "reorder", "reformat", "split")
FAILING_EXAMPLES = 6  # per element and kind in the printed list (all of them in --json)


def precision_target(element: Element) -> float:
    """Precision wanted on the independent set: 0.90 for problems, 0.85 for patterns."""
    return 0.85 if element.is_pattern else 0.90


def fmt(value: float | None) -> str:
    """A ratio in four characters, or a dash when there is nothing to divide."""
    return f"{value:.2f}" if value is not None else "  - "


def mark(value: float | None, target: float) -> str:
    """PASS or MISS against a lower bound; n/a without data."""
    if value is None:
        return "n/a"
    return "PASS" if value >= target else "MISS"


def triple(counts: Counts) -> str:
    """Precision, recall and F1 in one column group."""
    return f"{fmt(counts.precision)} {fmt(counts.recall)} {fmt(counts.f1)}"


def element_rows(scores: Scores, elements: list[Element]) -> list[dict]:
    """Per element: fixtures and independent figures, targets and marks."""
    rows = []
    for element in elements:
        fixtures = scores.total(["fixtures"], element=element.id)
        independent = scores.total(INDEPENDENT, element=element.id)
        target = precision_target(element)
        rows.append({
            "element": element.id, "group": element.group, "target_precision": target,
            "fixtures": fixtures.as_dict(), "independent": independent.as_dict(),
            "by_dataset": {dataset: scores.total([dataset], element=element.id).as_dict()
                           for dataset in INDEPENDENT + (SPLIT_PER_FILE,)},
            "by_language": {language: scores.total(INDEPENDENT, element=element.id,
                                                   language=language).as_dict()
                            for language in LANGUAGES},
            "precision_mark": mark(independent.precision, target),
            "recall_mark": mark(independent.recall, RECALL_TARGET),
            "_counts": (fixtures, independent),
        })
    return rows


def print_report(result: RunResult, elements: list[Element], fingerprint_figures: dict,
                 fingerprint_notes: list[str], quick: bool) -> dict:
    """Print every table; return the same figures as data."""
    scores = result.scores
    now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"Accuracy of the periodic table -- {now}, {len(elements)} elements"
          f"{' (quick)' if quick else ''}, Python {platform.python_version()}")
    files = ", ".join(f"{name} {scores.files[name]}" for name in ("fixtures",) + INDEPENDENT)
    print(f"files analyzed: {files}; variants dropped: {len(result.dropped)}; "
          f"{result.seconds:.1f} s")
    print()
    rows = element_rows(scores, elements)
    header = (f"{'element':26} {'group':11} {'fixtures P    R    F1':22} | "
              f"{'independent TP   FP   FN':25} {'P    R    F1':15} | "
              f"{'P target':9} {'mark':4}  {'R>=0.80':7}")
    print(header)
    print("-" * len(header))
    for group in GROUP_ORDER:
        for row in rows:
            if row["group"] != group:
                continue
            fixtures, independent = row["_counts"]
            print(f"{row['element']:26} {row['group']:11} {triple(fixtures):22} | "
                  f"{'':11}{independent.tp:4} {independent.fp:4} {independent.fn:4} "
                  f"{triple(independent):15} | "
                  f">= {row['target_precision']:.2f}   {row['precision_mark']:4}  "
                  f"{row['recall_mark']}")
    print()
    print(f"{'language':12} {'fixtures P    R    F1':22} | {'independent P    R    F1':26}")
    by_language = {}
    for language in LANGUAGES:
        fixtures = scores.total(["fixtures"], language=language)
        independent = scores.total(INDEPENDENT, language=language)
        by_language[language] = {"fixtures": fixtures.as_dict(),
                                  "independent": independent.as_dict()}
        print(f"{language:12} {triple(fixtures):22} | {'':12}{triple(independent):14}")
    print()
    print(f"{'group':12} {'fixtures P    R    F1':22} | {'independent P    R    F1':26} "
          f"{'elements PASS/MISS (precision)':30}")
    by_group = {}
    for group in GROUP_ORDER:
        members = {element.id for element in elements if element.group == group}
        if not members:
            continue
        fixtures = scores.total(["fixtures"], elements=members)
        independent = scores.total(INDEPENDENT, elements=members)
        passed = sum(row["precision_mark"] != "MISS" for row in rows if row["group"] == group)
        by_group[group] = {"fixtures": fixtures.as_dict(), "independent": independent.as_dict(),
                           "elements": len(members), "precision_pass": passed}
        print(f"{group:12} {triple(fixtures):22} | {'':12}{triple(independent):14} "
              f"{passed}/{len(members)}")
    print()
    print(f"{'dataset':16} {'files':>5} {'TP':>5} {'FP':>5} {'FN':>5}  P    R    F1")
    by_dataset = {}
    for dataset in ("fixtures",) + INDEPENDENT + (SPLIT_PER_FILE,):
        counts = scores.total([dataset])
        by_dataset[dataset] = {"files": scores.files[dataset], **counts.as_dict()}
        note = "  (per-file elements split apart: blind spot, not in the targets)" \
            if dataset == SPLIT_PER_FILE else ""
        print(f"{dataset:16} {scores.files[dataset]:5} {counts.tp:5} {counts.fp:5} "
              f"{counts.fn:5}  {triple(counts)}{note}")
    print()
    fixtures_total = scores.total(["fixtures"])
    independent_total = scores.total(INDEPENDENT)
    misses = [row for row in rows if row["precision_mark"] == "MISS"]
    low_recall = [row for row in rows if row["recall_mark"] == "MISS"]
    print(f"overall fixtures:    P {fmt(fixtures_total.precision)}  R "
          f"{fmt(fixtures_total.recall)}  F1 {fmt(fixtures_total.f1)}")
    print(f"overall independent: P {fmt(independent_total.precision)}  R "
          f"{fmt(independent_total.recall)}  F1 {fmt(independent_total.f1)}   "
          f"recall target >= {RECALL_TARGET:.2f}: {mark(independent_total.recall, RECALL_TARGET)}")
    print(f"elements meeting their precision target: {len(rows) - len(misses)}/{len(rows)}; "
          f"elements with recall below {RECALL_TARGET:.2f}: {len(low_recall)}")
    changed = len(result.rename_changes)
    print(f"renaming: {changed} of {result.rename_pattern_findings} design-pattern findings "
          f"changed (lost or appeared) under neutral renaming of {result.rename_files} files")
    for line in result.rename_changes[:10]:
        print(f"  {line}")
    if changed > 10:
        print(f"  ... {changed - 10} more in --json")
    print()
    confusion = _print_confusion(scores)
    failing = _print_failing(scores, misses, low_recall)
    print()
    _print_fingerprints(fingerprint_figures, fingerprint_notes)
    if result.dropped:
        print()
        print(f"dropped variants ({len(result.dropped)}):")
        for line in result.dropped[:8]:
            print(f"  {line}")
        if len(result.dropped) > 8:
            print(f"  ... {len(result.dropped) - 8} more in --json")
    for row in rows:
        del row["_counts"]
    return {
        "date": now, "quick": quick, "python": platform.python_version(),
        "seconds": result.seconds, "files": dict(scores.files),
        "variant_files": dict(result.variant_files), "dropped": result.dropped,
        "overall": {"fixtures": fixtures_total.as_dict(),
                    "independent": independent_total.as_dict(),
                    "recall_target": RECALL_TARGET,
                    "recall_mark": mark(independent_total.recall, RECALL_TARGET)},
        "elements": rows, "languages": by_language, "groups": by_group,
        "datasets": by_dataset, "confusion": confusion, "failing": failing,
        "cases": [f"[{case.dataset}] {case}" for case in scores.cases],
        "rename": {"files": result.rename_files,
                   "pattern_findings": result.rename_pattern_findings,
                   "changes": result.rename_changes},
        "unjudged": {dataset: dict(counter) for dataset, counter in scores.unjudged.items()},
        "fingerprints": fingerprint_figures, "fingerprint_sources": fingerprint_notes,
    }


def _print_confusion(scores: Scores) -> dict:
    """Rows: expected pattern; cells: patterns reported on the same marked line."""
    print("confusion of design patterns on the independent set (row: expected pattern and its "
          "markers; cells: patterns reported on the marked line, several per line possible)")
    merged: dict[str, dict[str, int]] = {}
    markers: dict[str, int] = {}
    for dataset in INDEPENDENT:
        for expected, count in scores.expected_patterns[dataset].items():
            markers[expected] = markers.get(expected, 0) + count
        for (expected, reported), count in scores.confusion[dataset].items():
            row = merged.setdefault(expected, {})
            row[reported] = row.get(reported, 0) + count
    for expected in sorted(merged):
        cells = sorted(merged[expected].items(), key=lambda item: (item[0] != expected,
                                                                   item[0] == NONE, -item[1]))
        text = ", ".join(f"{name} {count}" for name, count in cells)
        print(f"  {expected:24} {markers.get(expected, 0):4} marked: {text}")
    return merged


def _print_failing(scores: Scores, misses: list[dict], low_recall: list[dict]) -> dict:
    """The counted errors of the elements that miss a target, for their authors."""
    failing: dict[str, list[str]] = {}
    wanted = {row["element"] for row in misses} | {row["element"] for row in low_recall}
    for case in scores.cases:
        if case.dataset in INDEPENDENT and case.element in wanted:
            failing.setdefault(case.element, []).append(f"[{case.dataset}] {case}")
    if not failing:
        return failing
    print("failing examples of the elements that miss a target (independent set):")
    for row in misses + [row for row in low_recall if row not in misses]:
        element = row["element"]
        cases = failing.get(element, [])
        kinds = []
        if row in misses:
            kinds.append(f"precision {fmt(row['independent']['precision'])} < "
                         f"{row['target_precision']:.2f}")
        if row["recall_mark"] == "MISS":
            kinds.append(f"recall {fmt(row['independent']['recall'])} < {RECALL_TARGET:.2f}")
        print(f"  {element}: {'; '.join(kinds)}")
        shown_fp = [text for text in cases if "expected nothing" in text][:FAILING_EXAMPLES]
        shown_fn = [text for text in cases if "expected nothing" not in text][:FAILING_EXAMPLES]
        for text in (shown_fp if row in misses else []) + (
                shown_fn if row["recall_mark"] == "MISS" else []):
            print(f"    {text}")
    return failing


def _print_fingerprints(figures: dict, notes: list[str]) -> None:
    print(f"fingerprints over real functions (>= {fingerprints.MIN_LINES} lines) of: "
          f"{'; '.join(notes)}")
    print(f"{'language':11} {'files':>5} {'funcs':>6}  {'T1 same':>7} {'T2 same':>7}  "
          f"{'T3 pairs':>8} {'mean':>5} {'>=0.8':>6}  {'T3 big':>6} {'mean':>5} {'>=0.8':>6}  "
          f"{'unrel.':>6} {'mean':>5} {'p95':>5} {'>=0.85':>6}")
    for language, data in sorted(figures.items()):
        print(f"{language:11} {data['files']:5} {data['functions']:6}  "
              f"{_pct(data['type1_identical']):>7} {_pct(data['type2_identical']):>7}  "
              f"{data['type3_pairs']:8} {fmt(data['type3_mean']):>5} "
              f"{_pct(data['type3_at_least_0_8']):>6}  {data['type3_big_pairs']:6} "
              f"{fmt(data['type3_big_mean']):>5} {_pct(data['type3_big_at_least_0_8']):>6}  "
              f"{data['unrelated_pairs']:6} "
              f"{fmt(data['unrelated_mean']):>5} {fmt(data['unrelated_p95']):>5} "
              f"{_pct(data['unrelated_at_least_0_85']):>6}")
    print(f"T1: reformatted; T2: renamed, other literals; T3: one statement removed or added "
          f"(big: functions of >= {fingerprints.BIG_TOKENS} tokens); unrelated: a random "
          f"function of another file within 10% of the size")
    print("targets: T1/T2 identical 100%; T3 similarity >= 0.80; unrelated mean < 0.50")


def _pct(value: float | None) -> str:
    return f"{100 * value:.1f}%" if value is not None else "-"


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run, print, and write the JSON if asked."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.accuracy",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"only {', '.join(QUICK_ELEMENTS)}; Python examples; "
                             "fingerprints over their fixtures only")
    parser.add_argument("--elements", help="comma-separated element ids (default: all)")
    parser.add_argument("--corpus", type=Path, default=CORPUS,
                        help="folder of hand-written examples, one sub-folder per language")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--dump", type=Path, help="write every analyzed file (variants) here")
    parser.add_argument("--stdlib-files", type=int, default=150,
                        help="Python stdlib files for the fingerprint figures")
    parser.add_argument("--js-files", type=int, default=100,
                        help="files of benchmarks/.corpora/js for the fingerprint figures")
    args = parser.parse_args(argv)
    catalog = builtin_catalog()
    for problem in catalog.problems:
        print(f"warning: element skipped: {problem}", file=sys.stderr)
    wanted = args.elements.split(",") if args.elements else (
        list(QUICK_ELEMENTS) if args.quick else None)
    if wanted is not None:
        unknown = [name for name in wanted if name not in catalog]
        if unknown:
            parser.error(f"unknown element(s): {', '.join(unknown)}")
        elements = [catalog[name] for name in wanted]
    else:
        elements = list(catalog)
    languages = QUICK_LANGUAGES if args.quick else None
    result = run(catalog, elements, args.corpus, languages, args.dump)
    fixture_paths = [path for element in elements for path, _ in fixture_files(element)]
    stdlib_files = 0 if args.quick else args.stdlib_files
    js_files = 0 if args.quick else args.js_files
    sources, notes = fingerprints.sample_sources(ROOT, fixture_paths, stdlib_files, js_files)
    figures = {language: measures.as_dict()
               for language, measures in fingerprints.measure(sources).items()}
    document = print_report(result, elements, figures, notes, args.quick)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(document, indent=1, default=str) + "\n",
                             encoding="utf-8")
        print(f"\nwritten: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
