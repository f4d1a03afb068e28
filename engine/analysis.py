"""One file from bytes to findings: parse, one query pass, code model, detectors, suppressions.

Extraction patterns and every element's patterns for a language are compiled into one query,
so a file is walked by tree-sitter once; detectors then read the small code model.
"""

from __future__ import annotations

import logging
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import tree_sitter as ts

from .catalog import Catalog, Element, compile_query
from .config import Settings
from .extract import build_module, make_counter
from .fingerprint import FingerprintCache
from .languages import LanguageSpec, family, ts_language
from .model import Function, Module
from .positions import LineIndex, Span
from .suppression import Suppression, find_suppressions, suppressed_by

_ANALYSIS_LOCK = threading.RLock()

log = logging.getLogger(__name__)

SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1, "hint": 0}


class AnalysisCancelled(Exception):
    """The caller no longer wants this analysis (`Analyzer.analyze(cancelled=...)`)."""


def _never() -> bool:
    return False


@dataclass
class Related:
    """Another place involved in a finding (the twin of a clone, a registration, ...)."""

    span: Span
    message: str
    path: str | None = None  # None: the same file
    line: int = 0  # 1-based human position, filled for other files
    column: int = 0
    end_line: int = 0
    end_column: int = 0


@dataclass
class Hit:
    """What a detector reports: where, and the values its card's message needs."""

    span: Span
    args: dict[str, Any] = field(default_factory=dict)
    message: str | None = None
    confidence: float | None = None
    related: list[Related] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # for the element's fix
    severity: str | None = None  # a detector may lower the card's severity for a milder case

    def __post_init__(self) -> None:
        if not isinstance(self.span, Span):  # detectors may hand over a tree-sitter node
            self.span = Span.of(self.span)


@dataclass
class Finding:
    """A reported occurrence of an element."""

    element: str
    symbol: str
    group: str
    severity: str
    message: str
    span: Span
    confidence: float
    source: str  # "rule" (detectors and queries) or "model" (the classifier)
    related: list[Related] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    # (weak reference to a finding, rows): this finding is that one moved down by `rows` rows
    # over an edit, columns unchanged, so what was derived from it can be shifted, not redone.
    moved_from: Any = field(default=None, repr=False, compare=False)


@dataclass
class Context:
    """What a detector may read about the file under analysis."""

    module: Module
    spec: LanguageSpec
    source: bytes
    settings: Settings
    element: Element
    lines: LineIndex

    language: str = field(init=False)  # the user-facing language (tsx is typescript)

    def __post_init__(self) -> None:
        self.language = family(self.spec.name)  # read by most detectors, often per node

    def threshold(self, name: str) -> float:
        """A threshold of this element, as configured or by default."""
        return self.settings.threshold(name, self.element.thresholds[name])

    def text(self, item: Any) -> str:
        """Source text of a node or span."""
        return self.source[item.start_byte:item.end_byte].decode("utf-8", "replace")


@dataclass
class Analysis:
    """Everything known about one file after analysis."""

    path: str
    spec: LanguageSpec
    source: bytes
    lines: LineIndex
    tree: ts.Tree
    module: Module
    findings: list[Finding]
    suppressions: list[Suppression]
    errors: list[str] = field(default_factory=list)  # detectors that failed, once each
    # Every finding before suppression comments were applied (to apply them again later).
    candidates: list[Finding] = field(default_factory=list)
    # (start byte, end byte, node type) of each outermost function: what an edit can touch.
    outline: list[tuple[int, int, str]] = field(default_factory=list)
    version: int = 0  # of the Document analyzed (0 for files read from disk)
    # False when findings were carried forward over an edit without checking the file-scope
    # elements again, and `module`/`tree` describe an older version (see engine/incremental.py).
    settled: bool = True
    current_model: bool = True


class _LanguagePlan:
    """The combined query of one language and which element owns each pattern."""

    def __init__(self, spec: LanguageSpec, catalog: Catalog):
        extraction = spec.queries_file.read_text(encoding="utf-8")
        eager, lazy = _split_lazy_patterns(spec.name, extraction)
        self.counter = make_counter(ts.Query(ts_language(spec.name), lazy)) if lazy else None
        # Each element's patterns follow the extraction patterns; which element owns a pattern
        # is read from where the pattern starts in the combined text (one compilation only).
        combined = eager.encode("utf-8") + b"\n"
        section_starts: list[int] = [0]
        section_owners: list[Element | None] = [None]
        for element in catalog:
            text = element.query_for(spec.name) if element.applies_to(spec.name) else None
            if text is None:
                continue
            section_starts.append(len(combined))
            section_owners.append(element)
            combined += f"; element {element.id}\n{text}\n".encode()
        self.query = ts.Query(ts_language(spec.name), combined.decode("utf-8"))
        self.owners: list[Element | None] = [
            section_owners[bisect_right(section_starts,
                                        self.query.start_byte_for_pattern(index)) - 1]
            for index in range(self.query.pattern_count)]
        self.detectors = [
            element for element in catalog
            if element.applies_to(spec.name) and element.detector is not None
            and hasattr(element.detector, "detect")
        ]


_LAZY_CAPTURES = ("@statement", "@branch")


def _split_lazy_patterns(language: str, text: str) -> tuple[str, str]:
    """Separate the statement/branch patterns, run per unit on demand, from the rest."""
    query = compile_query(language, text)
    data = text.encode("utf-8")
    eager: list[str] = []
    lazy: list[str] = []
    for index in range(query.pattern_count):
        pattern = data[query.start_byte_for_pattern(index):query.end_byte_for_pattern(index)]
        pattern_text = pattern.decode("utf-8")
        is_lazy = any(
            capture in pattern_text and not any(
                other in pattern_text for other in ("@function", "@class", "@call", "@assign"))
            for capture in _LAZY_CAPTURES
        )
        (lazy if is_lazy else eager).append(pattern_text)
    return "\n".join(eager), "\n".join(lazy)


class Analyzer:
    """Runs the catalog over files; one per process, reused for every file."""

    def __init__(self, catalog: Catalog, cache_fingerprints: bool = False):
        self.catalog = catalog
        # Editors re-analyze the same functions after every keystroke: remember their streams.
        self.fingerprints = FingerprintCache() if cache_fingerprints else None
        self._plans: dict[str, _LanguagePlan] = {}
        self._parsers: dict[str, ts.Parser] = {}
        self._reported: set[tuple[str, str]] = set()

    def plan(self, spec: LanguageSpec) -> _LanguagePlan:
        """Return (and build once) the combined query plan of a language."""
        plan = self._plans.get(spec.name)
        if plan is None:
            plan = self._plans[spec.name] = _LanguagePlan(spec, self.catalog)
        return plan

    def parser(self, spec: LanguageSpec) -> ts.Parser:
        """Return this analyzer's parser for a language."""
        parser = self._parsers.get(spec.name)
        if parser is None:
            parser = self._parsers[spec.name] = ts.Parser(ts_language(spec.name))
        return parser

    def parse(self, source: bytes, spec: LanguageSpec, old_tree: ts.Tree | None = None) -> ts.Tree:
        """Parse bytes, reusing an edited old tree when there is one."""
        parser = self.parser(spec)
        return parser.parse(source, old_tree) if old_tree is not None else parser.parse(source)

    def analyze(
        self,
        source: bytes,
        path: str,
        spec: LanguageSpec,
        settings: Settings,
        tree: ts.Tree | None = None,
        lines: LineIndex | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Analysis:
        """Analyze one file (parse it unless a current tree is given).

        One analysis at a time per process: detectors may keep per-file caches at module level,
        and the language server also analyzes in its index thread. `cancelled` is asked
        between steps and detectors; when it says yes, `AnalysisCancelled` is raised (the
        language server stops a background analysis that a keystroke made useless).
        """
        stop = cancelled or _never
        if tree is None:
            tree = self.parse(source, spec)
        # The query pass reads only the tree: it runs outside the lock, so a keystroke that
        # stops a background analysis does not wait for it. tree-sitter holds the GIL while it
        # matches (40-50 ms on a 5,000-line file): a stoppable analysis matches in slices.
        root = tree.root_node
        slices = _slices(root) if cancelled is not None else ()
        extraction, query_matches = self.matches(spec, root, slices, stop)
        if stop():
            raise AnalysisCancelled
        with _ANALYSIS_LOCK:
            return self._analyze(source, path, spec, settings, tree, lines, stop, extraction,
                                 query_matches)

    def _analyze(self, source: bytes, path: str, spec: LanguageSpec, settings: Settings,
                 tree: ts.Tree, lines: LineIndex | None, stop: Callable[[], bool],
                 extraction: list[tuple[int, dict[str, list[Any]]]],
                 query_matches: list[tuple[Element, dict[str, list[Any]]]]) -> Analysis:
        lines = lines or LineIndex(source)
        root = tree.root_node
        matches = extraction if stop is _never else _stoppable(extraction, stop)
        module = build_module(matches, spec, path, root.has_error, source, self.fingerprints)
        errors: list[str] = []
        hits = self.detect(module, spec, source, settings, lines, query_matches, errors,
                           cancelled=stop)
        suppressions = find_suppressions(source, spec, lines)
        candidates = self.findings_from(hits, settings, [])
        findings = apply_suppressions(candidates, suppressions)
        return Analysis(path, spec, source, lines, tree, module, findings, suppressions, errors,
                        candidates=candidates, outline=outline_of(module))

    def matches(
        self, spec: LanguageSpec, root: ts.Node, ranges: Iterable[tuple[int, int]] = (),
        stop: Callable[[], bool] = _never,
    ) -> tuple[list[tuple[int, dict[str, list[Any]]]], list[tuple[Element, dict[str, list[Any]]]]]:
        """Run the combined query (over `ranges` only, when given): extraction and element matches.

        A range also yields the matches of the nodes around it (its class, ...), as tree-sitter
        returns every match that intersects the range; `stop` is asked between ranges.
        """
        plan = self.plan(spec)
        extraction: list[tuple[int, dict[str, list[Any]]]] = []
        query_matches: list[tuple[Element, dict[str, list[Any]]]] = []
        owners = plan.owners
        cursor = ts.QueryCursor(plan.query)
        seen: set[tuple[int, ...]] = set()
        windows: list[tuple[int, int] | None] = list(ranges)
        for window in windows or [None]:
            if stop():
                raise AnalysisCancelled
            if window is not None:
                cursor.set_byte_range(*window)
            for index, captures in cursor.matches(root):
                if len(windows) > 1:  # the ancestors of several ranges match once per range
                    key = (index, *(node.id for nodes in captures.values() for node in nodes))
                    if key in seen:
                        continue
                    seen.add(key)
                owner = owners[index]
                if owner is None:
                    extraction.append((index, captures))
                elif "match" in captures:
                    query_matches.append((owner, captures))
        return extraction, query_matches

    def detect(
        self, module: Module, spec: LanguageSpec, source: bytes, settings: Settings,
        lines: LineIndex, query_matches: list[tuple[Element, dict[str, list[Any]]]],
        errors: list[str], only: Callable[[Element], bool] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[tuple[Element, Hit]]:
        """Run the elements' query checks and detectors over a module (those `only` accepts)."""
        stop = cancelled or _never
        plan = self.plan(spec)
        if plan.counter is not None:
            for function in module.functions:
                function.counter = plan.counter
        path = module.path
        hits: list[tuple[Element, Hit]] = []
        contexts: dict[str, Context] = {}

        def context(element: Element) -> Context:
            ctx = contexts.get(element.id)
            if ctx is None:
                ctx = contexts[element.id] = Context(module, spec, source, settings, element, lines)
            return ctx

        # Asked once per element, not per match: a pattern can match thousands of times.
        wanted: dict[str, Context | None] = {}
        matches = query_matches if stop is _never else _stoppable(query_matches, stop)
        for element, captures in matches:
            if element.id in wanted:
                ctx = wanted[element.id]
            else:
                ctx = wanted[element.id] = context(element) if (
                    only is None or only(element)) and settings.enabled(element.id, path) else None
            if ctx is None:
                continue
            try:
                hit = self._query_hit(element, ctx, captures)
            except Exception as error:  # a broken detector must not cost the other findings
                self._report_failure(element, path, error, errors)
                continue
            if hit is not None:
                hits.append((element, hit))
        for element in plan.detectors:
            if stop():
                raise AnalysisCancelled
            if (only is not None and not only(element)) or not settings.enabled(element.id, path):
                continue
            try:
                hits.extend((element, hit) for hit in element.detector.detect(context(element)))
            except Exception as error:
                self._report_failure(element, path, error, errors)
        return hits

    @staticmethod
    def _query_hit(element: Element, ctx: Context, captures: dict[str, list[Any]]) -> Hit | None:
        node = captures["match"][0]
        check = getattr(element.detector, "check", None) if element.detector else None
        if check is None:
            return Hit(Span.of(node))
        result = check(ctx, captures)
        if result is None or result is False:
            return None
        if result is True:
            return Hit(Span.of(node))
        return result

    def _report_failure(self, element: Element, path: str, error: Exception,
                        errors: list[str]) -> None:
        message = f"detector {element.id} failed on {path}: {type(error).__name__}: {error}"
        errors.append(message)
        key = (element.id, path)
        if key not in self._reported:
            self._reported.add(key)
            log.warning(message, exc_info=error)

    @staticmethod
    def findings_from(
        hits: Iterable[tuple[Element, Hit]], settings: Settings, suppressions: list[Suppression]
    ) -> list[Finding]:
        """Turn hits into findings: message, severity, and suppression comments applied."""
        findings = []
        seen: set[tuple[str, int, int]] = set()
        for element, hit in hits:
            key = (element.id, hit.span.start_byte, hit.span.end_byte)
            if key in seen:
                continue
            seen.add(key)
            suppression = suppressed_by(suppressions, element.id, hit.span.start[0])
            if suppression is not None:
                suppression.used.add(element.id)
                continue
            findings.append(make_finding(element, hit, settings))
        findings.sort(key=lambda finding: (finding.span.start_byte, finding.element))
        return findings


def _slices(root: ts.Node, size: int = 16_384) -> list[tuple[int, int]]:
    """Consecutive byte ranges covering the file, cut between top-level nodes, about `size` long."""
    cuts = [root.start_byte]
    for child in root.children:
        if child.start_byte - cuts[-1] >= size:
            cuts.append(child.start_byte)
    ends = cuts[1:] + [max(root.end_byte, cuts[-1] + 1)]
    return list(zip(cuts, ends, strict=True))


def _stoppable(items: list, stop: Callable[[], bool], every: int = 64) -> Iterator:
    """The items, asking `stop` every few: building a large file's model takes tens of ms."""
    for index, item in enumerate(items):
        if not index % every and stop():
            raise AnalysisCancelled
        yield item


def apply_suppressions(findings: list[Finding], suppressions: list[Suppression]) -> list[Finding]:
    """The findings no suppression comment covers; the comments learn what they suppressed."""
    if not suppressions:
        return list(findings)
    kept = []
    for finding in findings:
        suppression = suppressed_by(suppressions, finding.element, finding.span.start[0])
        if suppression is not None:
            suppression.used.add(finding.element)
            continue
        kept.append(finding)
    return kept


def outline_of(module: Module) -> list[tuple[int, int, str]]:
    """The outermost functions of a module: (start byte, end byte, node type), in order."""
    outline: list[tuple[int, int, str]] = []
    end = -1
    for function in module.functions:  # sorted by start, outer before inner
        if function.span.start_byte >= end and function.node is not None:
            outline.append((function.span.start_byte, function.span.end_byte, function.node.type))
            end = function.span.end_byte
    return outline


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def make_finding(element: Element, hit: Hit, settings: Settings) -> Finding:
    """Build the finding of one hit with the element's card."""
    message = hit.message or element.message.format_map(_Blank(hit.args))
    return Finding(
        element=element.id, symbol=element.symbol, group=element.group,
        severity=settings.severity.get(element.id) or hit.severity or element.severity,
        message=message,
        span=hit.span,
        confidence=hit.confidence if hit.confidence is not None else element.confidence,
        source="rule", related=hit.related, data=hit.data,
    )


def iter_units(module: Module) -> Iterator[Function]:
    """Every function of a module (methods included), for cross-file passes."""
    yield from module.functions
