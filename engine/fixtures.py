"""Annotated fixtures: the executable spec of every element.

A comment on the line above a line of code says what must (`expect:`), must not (`ok:`) or is
known not to yet (`todo:`) be reported on it, in the file's own comment syntax:

    # expect: mutable-default-argument
    def add(item, bucket=[]):

Several ids may be listed, comma-separated, and several marker lines may stack above one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .analysis import Analyzer, Finding
from .catalog import Catalog, Element
from .config import Settings
from .languages import LanguageSpec, language_for_path
from .project import analyze_project_units

_MARKER = re.compile(
    r"(?:#|//|/\*|--)\s*(expect|ok|todo):\s*([a-z0-9][a-z0-9, -]*[a-z0-9])\s*(?:\*/)?\s*$"
)


@dataclass(frozen=True)
class Marker:
    """One annotation: `kind` of `element` on 1-based `line` (the line it points at)."""

    kind: str
    element: str
    line: int
    marker_line: int


@dataclass(frozen=True)
class FixtureFailure:
    """A fixture expectation that the detectors do not meet."""

    path: Path
    line: int
    element: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.element}: {self.reason}"


def parse_markers(text: str) -> list[Marker]:
    """Read every marker of a fixture and the line each one points at."""
    markers: list[Marker] = []
    pending: list[tuple[str, str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _MARKER.search(line)
        if match and line.strip().startswith(("#", "//", "/*", "--")):
            for element_id in match.group(2).split(","):
                pending.append((match.group(1), element_id.strip(), number))
            continue
        if pending and line.strip():
            markers.extend(Marker(kind, element, number, at) for kind, element, at in pending)
            pending = []
    return markers


def fixture_files(element: Element) -> list[tuple[Path, LanguageSpec]]:
    """List an element's fixture files with their languages (fix fixtures excluded)."""
    folder = element.folder / "fixtures"
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or ".fixed." in path.name or ".before." in path.name:
            continue
        spec = language_for_path(path)
        if spec is not None:
            found.append((path, spec))
    return found


def check_fixture(
    path: Path, spec: LanguageSpec, analyzer: Analyzer, element_ids: set[str] | None = None
) -> list[FixtureFailure]:
    """Run the catalog over a fixture and compare with its markers."""
    source = path.read_bytes()
    markers = parse_markers(source.decode("utf-8"))
    if not markers:
        return [FixtureFailure(path, 1, "-", "fixture has no expect:/ok: markers")]
    findings = findings_for(path, source, spec, analyzer)
    reported = {(finding.element, finding.span.start[0] + 1) for finding in findings}
    failures = []
    for marker in markers:
        if element_ids is not None and marker.element not in element_ids:
            continue
        if marker.element not in analyzer.catalog:
            failures.append(FixtureFailure(path, marker.marker_line, marker.element,
                                           "marker names an unknown element"))
            continue
        hit = (marker.element, marker.line) in reported
        if marker.kind == "expect" and not hit:
            failures.append(FixtureFailure(path, marker.line, marker.element,
                                           "expected here but not reported"))
        elif marker.kind == "ok" and hit:
            failures.append(FixtureFailure(path, marker.line, marker.element,
                                           "reported here but marked ok"))
    return failures


def findings_for(
    path: Path, source: bytes, spec: LanguageSpec, analyzer: Analyzer
) -> list[Finding]:
    """All findings of one file, the cross-unit pass (clones) included."""
    settings = Settings()
    analysis = analyzer.analyze(source, str(path), spec, settings)
    project = analyze_project_units([(str(path), analysis)], analyzer.catalog, settings)
    return analysis.findings + project.get(str(path), [])


def check_element(element: Element, analyzer: Analyzer) -> list[FixtureFailure]:
    """Check every fixture of an element; an element without fixtures fails."""
    files = fixture_files(element)
    if not files:
        return [FixtureFailure(element.folder, 0, element.id, "element has no fixtures")]
    failures = []
    for path, spec in files:
        failures.extend(check_fixture(path, spec, analyzer, {element.id}))
    return failures


def check_catalog(catalog: Catalog, only_custom: bool = False) -> list[FixtureFailure]:
    """Check the fixtures of every element of a catalog."""
    analyzer = Analyzer(catalog)
    failures = []
    for element in catalog:
        if only_custom and element.builtin:
            continue
        failures.extend(check_element(element, analyzer))
    return failures
