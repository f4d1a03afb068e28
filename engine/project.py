"""Cross-file detection: elements that compare units of many files (clones, ...).

Workers reduce each analyzed file to picklable `UnitRecord`s; this pass runs every element
that has `detect_project(units, ctx)` over all of them and routes findings back to their files.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .analysis import Analysis, Analyzer, Finding, Hit, Related, make_finding
from .catalog import Catalog, Element
from .config import Settings
from .fingerprint import sketch
from .positions import Span
from .suppression import Suppression


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """A function or class reduced to what cross-file detectors compare."""

    path: str
    kind: str  # "function" or "class"
    name: str
    span: object  # positions.Span of the whole unit
    name_span: object  # positions.Span of its name, where findings are reported
    line: int  # 1-based start line and column (characters)
    column: int
    end_line: int
    end_column: int
    name_line: int  # 1-based human position of the name, where findings are shown
    name_column: int
    name_end_column: int
    fingerprint: str
    size: int  # tokens of the normalized stream (one character each)
    lines: int
    normalized: str = ""  # the token stream, for near-clone similarity
    sketch: tuple[int, ...] = ()  # band keys for near-clone lookup (fingerprint.sketch)


@dataclass
class FileUnits:
    """The units and suppressions of one analyzed file."""

    path: str
    language: str
    units: list[UnitRecord]
    suppressions: list[Suppression]


Similarities = Callable[[Iterable[tuple[UnitRecord, UnitRecord]]], list[float]]


@dataclass
class ProjectContext:
    """What a cross-file detector may read."""

    element: Element
    settings_for: Callable[[str], Settings]
    # When set, only findings on units it accepts are wanted (an index updating the
    # neighbourhood of a changed file): detectors may skip work that cannot change them.
    focus: Callable[[UnitRecord], bool] | None = None
    # Results a detector may keep between calls over the same units (an index update runs it
    # several times around one change); keyed by what they depend on, never by object ids.
    memo: dict[str, Any] = field(default_factory=dict)
    # False when the caller only shows findings (an editor): detectors may leave out the data
    # other passes read (the full list of a clone's copies, which the index needs).
    details: bool = True
    # Computes the similarity (`fingerprint.dice` of the trigrams) of every pair it is given,
    # in their order: a scan spreads them over its processes. None: the detector's own.
    similarities: Similarities | None = None

    def in_focus(self, unit: UnitRecord) -> bool:
        return self.focus is None or self.focus(unit)

    def threshold(self, name: str, path: str) -> float:
        """A threshold of this element for a file."""
        return self.settings_for(path).threshold(name, self.element.thresholds[name])


def file_units(analysis: Analysis, wanted: Callable[[UnitRecord], bool] | None = None,
               min_lines: int = 0) -> FileUnits:
    """Reduce an analysis to its picklable unit records (those `wanted` accepts, if given).

    The sketch, a tenth of a scan's time, is made only for the records kept; the fingerprint,
    another tenth, only for functions of at least `min_lines` lines (see `fewest_lines`).
    """
    records = []
    for function in analysis.module.functions:
        if function.lines < min_lines or not function.fingerprint:
            continue
        # Detached spans: a record must not keep the file's syntax tree alive (a scan holds
        # the records of every file until the cross-file pass).
        span = _detached(function.span)
        line, column = analysis.lines.human(*span.start)
        end_line, end_column = analysis.lines.human(*span.end)
        name_line, name_column = analysis.lines.human(*function.name_span.start)
        _, name_end_column = analysis.lines.human(*function.name_span.end)
        record = UnitRecord(
            path=analysis.path, kind="function", name=function.qualified_name, span=span,
            name_span=_detached(function.name_span),
            line=line, column=column, end_line=end_line, end_column=end_column,
            name_line=name_line, name_column=name_column, name_end_column=name_end_column,
            fingerprint=function.fingerprint, size=len(function.normalized),
            lines=function.lines, normalized=function.normalized,
        )
        if wanted is None or wanted(record):
            object.__setattr__(record, "sketch", sketch(function.normalized))
            records.append(record)
    return FileUnits(analysis.path, analysis.spec.name, records, analysis.suppressions)


def _detached(span: Span) -> Span:
    return Span(span.start_byte, span.end_byte, span.start, span.end)


def analyze_project(
    files: Iterable[FileUnits], catalog: Catalog, settings_for: Callable[[str], Settings],
    focus: Callable[[UnitRecord], bool] | None = None,
    memo: dict[str, dict[str, Any]] | None = None,
    hits: list[tuple[str, Hit]] | None = None,
    details: bool = True,
    similarities: Similarities | None = None,
) -> dict[str, list[Finding]]:
    """Run every cross-file element; return findings per path, suppressions applied.

    `memo` (one dict per element id) is handed to the detectors across calls; `hits`
    receives every hit before settings and suppressions filter it; `details` False leaves out
    what only other passes read (see `ProjectContext.details`); `similarities` computes those
    of many pairs at once (see `ProjectContext.similarities`).
    """
    files = list(files)
    by_path = {item.path: item for item in files}
    units = [unit for item in files for unit in item.units]
    results: dict[str, list[Finding]] = {}
    for element in catalog:
        detect = getattr(element.detector, "detect_project", None) if element.detector else None
        if detect is None:
            continue
        kept = memo.setdefault(element.id, {}) if memo is not None else {}
        ctx = ProjectContext(element, settings_for, focus, kept, details, similarities)
        found: Iterable[tuple[str, Hit]] = detect(units, ctx)
        for path, hit in found:
            if hits is not None:
                hits.append((path, hit))
            settings = settings_for(path)
            if not settings.enabled(element.id, path):
                continue
            suppressions = by_path[path].suppressions if path in by_path else []
            findings = Analyzer.findings_from([(element, hit)], settings, suppressions)
            results.setdefault(path, []).extend(findings)
    return results


def takes_part(unit: UnitRecord, catalog: Catalog, settings: Settings) -> bool:
    """Whether some cross-file element may pair this unit with another.

    An index keeps the lookup keys of those units only. A detector says so with
    `takes_part(unit, ctx)`; one without it takes every unit.
    """
    for element in catalog:
        detector = element.detector
        if detector is None or getattr(detector, "detect_project", None) is None:
            continue
        decide = getattr(detector, "takes_part", None)
        if decide is None or decide(unit, ProjectContext(element, lambda _path: settings)):
            return True
    return False


def fewest_lines(elements: Iterable[Element], settings: Settings, path: str) -> int:
    """The fewest lines a function of `path` needs for one of these elements to pair it.

    A cross-file detector says so with `fewest_lines(path, ctx)`; one without it may pair any
    function (0). With no cross-file element, no function is needed at all.
    """
    fewest = sys.maxsize
    for element in elements:
        detector = element.detector
        if detector is None or getattr(detector, "detect_project", None) is None:
            continue
        decide = getattr(detector, "fewest_lines", None)
        if decide is None:
            return 0
        fewest = min(fewest, int(decide(path, ProjectContext(element, lambda _path: settings))))
    return fewest


def analyze_project_units(
    analyses: list[tuple[str, Analysis]], catalog: Catalog, settings: Settings
) -> dict[str, list[Finding]]:
    """Cross-file pass over analyses held in memory (fixtures, the language server)."""
    return analyze_project([file_units(analysis) for _, analysis in analyses], catalog,
                           lambda _path: settings)


__all__ = ["FileUnits", "ProjectContext", "Related", "Similarities", "UnitRecord",
           "analyze_project", "analyze_project_units", "fewest_lines", "file_units",
           "make_finding", "takes_part"]
