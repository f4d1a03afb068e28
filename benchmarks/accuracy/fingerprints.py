"""Fingerprints over real functions: Type-1/2 clones identical, Type-3 close, unrelated apart.

For every function of at least `MIN_LINES` lines of the sources:

* Type-1: the file reformatted (variants.reformat): the fingerprint must not change;
* Type-2: the file renamed (neutral names) with other string and number literals: idem;
* Type-3: one statement of the body removed, or one added (a print of a constant):
  `similarity` with the original should be at least 0.8;
* unrelated: each function against a random function of about the same size (within 10% of
  its tokens) from another file: `similarity` should be below 0.5 on average.
"""

from __future__ import annotations

import random
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import tree_sitter as ts

from cpt.engine.fingerprint import digest, normalize, similarity
from cpt.engine.languages import LanguageSpec, family, language_for_path

from .variants import error_count, parse, reformat, rename, walk

MIN_LINES = 6
BIG_TOKENS = 100  # Type-3 figures are also given for functions at least this long
TYPE3_TARGET = 0.8
UNRELATED_TARGET = 0.5
FUNCTION_TYPES = frozenset({
    "function_definition", "function_declaration", "method_definition", "function_expression",
    "generator_function_declaration", "method_declaration", "constructor_declaration",
    "func_literal", "arrow_function",
})
_PROBE = {
    "python": b'print("checkpoint")',
    "javascript": b'console.log("checkpoint");',
    "typescript": b'console.log("checkpoint");',
    "java": b'System.out.println("checkpoint");',
    "go": b'fmt.Println("checkpoint")',
}
_STRING_PARTS = frozenset({"string_content", "string_fragment",
                           "interpreted_string_literal_content"})
_INTEGERS = frozenset({"integer", "number", "int_literal", "decimal_integer_literal"})


@dataclass
class Measures:
    """The fingerprint figures of one language."""

    functions: int = 0
    type1_same: int = 0
    type1_total: int = 0
    type2_same: int = 0
    type2_total: int = 0
    type3_added: list[float] = field(default_factory=list)
    type3_removed: list[float] = field(default_factory=list)
    type3_big: list[float] = field(default_factory=list)  # both kinds, >= BIG_TOKENS tokens
    unrelated: list[float] = field(default_factory=list)
    files: int = 0

    def as_dict(self) -> dict:
        type3 = self.type3_added + self.type3_removed
        return {
            "files": self.files, "functions": self.functions,
            "type1_identical": _share(self.type1_same, self.type1_total),
            "type1_pairs": self.type1_total,
            "type2_identical": _share(self.type2_same, self.type2_total),
            "type2_pairs": self.type2_total,
            "type3_pairs": len(type3),
            "type3_mean": _mean(type3), "type3_median": _median(type3),
            "type3_at_least_0_8": _share(sum(v >= TYPE3_TARGET for v in type3), len(type3)),
            "type3_big_pairs": len(self.type3_big), "type3_big_mean": _mean(self.type3_big),
            "type3_big_at_least_0_8": _share(sum(v >= TYPE3_TARGET for v in self.type3_big),
                                             len(self.type3_big)),
            "type3_added_mean": _mean(self.type3_added),
            "type3_removed_mean": _mean(self.type3_removed),
            "unrelated_pairs": len(self.unrelated), "unrelated_mean": _mean(self.unrelated),
            "unrelated_p95": _quantile(self.unrelated, 0.95),
            "unrelated_at_least_0_85": _share(sum(v >= 0.85 for v in self.unrelated),
                                              len(self.unrelated)),
        }


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def functions(tree: ts.Tree) -> list[ts.Node]:
    """Function nodes of at least `MIN_LINES` lines, in document order."""
    return [node for node in walk(tree.root_node) if node.type in FUNCTION_TYPES
            and node.end_point.row - node.start_point.row + 1 >= MIN_LINES]


def _stream(spec: LanguageSpec, source: bytes, node: ts.Node) -> str:
    return normalize(source[node.start_byte:node.end_byte].decode("utf-8", "replace"), spec)


def change_literals(source: bytes, tree: ts.Tree) -> bytes:
    """Other string contents and other integers, for Type-2 clones."""
    edits = []
    for node in walk(tree.root_node):
        text = node.text or b""
        if node.type in _STRING_PARTS and b"\n" not in text:
            edits.append((node.start_byte, node.end_byte, b"other text"))
        elif node.type in _INTEGERS and text.isdigit() and not text.startswith(b"0"):
            edits.append((node.start_byte, node.end_byte, str(int(text) + 3).encode()))
    out = bytearray(source)
    for start, end, new in sorted(edits, reverse=True):
        out[start:end] = new
    return bytes(out)


def _body_statements(node: ts.Node) -> list[ts.Node]:
    body = node.child_by_field_name("body")
    if body is None:
        return []
    statements = [child for child in body.named_children if "comment" not in child.type]
    if len(statements) == 1 and statements[0].type == "statement_list":
        statements = [child for child in statements[0].named_children
                      if "comment" not in child.type]
    return statements


def type3_variants(spec: LanguageSpec, source: bytes, node: ts.Node) -> tuple[str, str] | None:
    """The function with its middle statement removed, and with one statement added."""
    statements = _body_statements(node)
    if len(statements) < 3:
        return None
    lines = source.split(b"\n")
    middle = statements[len(statements) // 2]
    start, end = middle.start_point.row, middle.end_point.row
    if lines[start][: middle.start_point.column].strip() or \
            lines[end][middle.end_point.column:].strip() not in (b"", b";"):
        return None
    first, last = node.start_point.row, node.end_point.row
    unit = list(lines[first:last + 1])
    unit[-1] = unit[-1][: node.end_point.column] if last != first else unit[-1]
    unit[0] = unit[0][node.start_point.column:]
    removed = unit[: start - first] + unit[end - first + 1:]
    indent = lines[start][: middle.start_point.column]
    added = unit[: start - first] + [indent + _PROBE[family(spec.name)]] + unit[start - first:]
    return (normalize(b"\n".join(removed).decode("utf-8", "replace"), spec),
            normalize(b"\n".join(added).decode("utf-8", "replace"), spec))


def measure(paths: list[Path], seed: int = 7) -> dict[str, Measures]:
    """Measure every language over source files."""
    results: dict[str, Measures] = defaultdict(Measures)
    streams: dict[str, list[tuple[int, str]]] = defaultdict(list)  # language -> (file, stream)
    for number, path in enumerate(paths):
        spec = language_for_path(path)
        if spec is None:
            continue
        try:
            source = path.read_bytes()
            source.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        tree = parse(spec, source)
        if error_count(tree):
            continue
        units = functions(tree)
        if not units:
            continue
        language = family(spec.name)
        measures = results[language]
        measures.files += 1
        measures.functions += len(units)
        originals = [_stream(spec, source, node) for node in units]
        streams[language].extend((number, stream) for stream in originals)
        reformatted = reformat(spec, source, tree)
        other_tree = parse(spec, reformatted)
        other = functions(other_tree)
        if len(other) == len(units):
            measures.type1_total += len(units)
            measures.type1_same += sum(
                digest(a) == digest(_stream(spec, reformatted, node))
                for a, node in zip(originals, other, strict=True))
        renamed, _ = rename(spec, source, tree, "neutral")
        renamed = change_literals(renamed, parse(spec, renamed))
        other = functions(parse(spec, renamed))
        if len(other) == len(units):
            measures.type2_total += len(units)
            measures.type2_same += sum(
                digest(a) == digest(_stream(spec, renamed, node))
                for a, node in zip(originals, other, strict=True))
        for original, node in zip(originals, units, strict=True):
            pair = type3_variants(spec, source, node)
            if pair is None:
                continue
            removed, added = similarity(original, pair[0]), similarity(original, pair[1])
            measures.type3_removed.append(removed)
            measures.type3_added.append(added)
            if len(original) >= BIG_TOKENS:
                measures.type3_big.extend((removed, added))
    chooser = random.Random(seed)
    for language, items in streams.items():
        ordered = sorted(items, key=lambda item: len(item[1]))
        for index, (file_number, stream) in enumerate(ordered):
            size = len(stream)
            window = [other for other in ordered[max(0, index - 40):index + 41]
                      if other[0] != file_number and abs(len(other[1]) - size) <= 0.1 * size]
            if window:
                results[language].unrelated.append(similarity(stream,
                                                              chooser.choice(window)[1]))
    return dict(results)


def sample_sources(root: Path, fixture_paths: list[Path], stdlib_files: int,
                   js_files: int) -> tuple[list[Path], list[str]]:
    """Fixture files, plus evenly spaced files of the stdlib and JS corpora when present."""
    paths = list(fixture_paths)
    notes = [f"{len(fixture_paths)} fixture files"]
    corpora = root / "benchmarks" / ".corpora"
    stdlib = corpora / "stdlib"
    if stdlib_files and not stdlib.is_dir():
        import os

        stdlib = Path(os.__file__).parent
    if stdlib_files:
        found = sorted(path for path in stdlib.rglob("*.py")
                       if "test" not in path.parts and "site-packages" not in path.parts)
        chosen = found[:: max(1, len(found) // stdlib_files)][:stdlib_files]
        paths.extend(chosen)
        notes.append(f"{len(chosen)} of {len(found)} Python stdlib files ({stdlib})")
    js = corpora / "js"
    if js_files and js.is_dir():
        found = sorted(path for path in js.rglob("*")
                       if path.suffix in (".js", ".mjs", ".ts") and path.is_file()
                       and not path.name.endswith(".d.ts"))
        chosen = found[:: max(1, len(found) // js_files)][:js_files]
        paths.extend(chosen)
        notes.append(f"{len(chosen)} of {len(found)} JS/TS corpus files ({js})")
    return paths, notes
