"""Run the catalog over the fixtures, their variants and the hand-written examples."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cpt.engine.analysis import Analyzer, Finding
from cpt.engine.catalog import Catalog, Element
from cpt.engine.config import Settings
from cpt.engine.fixtures import fixture_files, parse_markers
from cpt.engine.languages import LanguageSpec, family, language_for_path
from cpt.engine.project import analyze_project_units

from .counting import Scores
from .variants import VARIANT_KINDS, make_variants, parse, rename

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "benchmarks" / "accuracy_corpus"
INDEPENDENT = ("rename", "reorder", "reformat", "split", "handwritten")
# Elements of a split variant that are looked for per file: counted apart, not against targets.
SPLIT_PER_FILE = "split-per-file"


@dataclass
class RunResult:
    """What one run counted, with what it needs to explain its figures."""

    scores: Scores
    dropped: list[str] = field(default_factory=list)
    variant_files: Counter = field(default_factory=Counter)
    rename_changes: list[str] = field(default_factory=list)
    rename_pattern_findings: int = 0
    rename_files: int = 0
    seconds: float = 0.0


def cross_file_elements(catalog: Catalog) -> set[str]:
    """Elements compared across files (they have `detect_project`)."""
    return {element.id for element in catalog
            if element.detector is not None and hasattr(element.detector, "detect_project")}


class Runner:
    """Analyze sets of files in memory and count their markers."""

    def __init__(self, catalog: Catalog, dump: Path | None = None):
        self.catalog = catalog
        self.analyzer = Analyzer(catalog)
        self.settings = Settings()
        self.known = set(catalog.elements)
        self.patterns = {element.id for element in catalog if element.is_pattern}
        self.cross_file = cross_file_elements(catalog)
        self.dump = dump

    def analyze(self, files: list[tuple[str, LanguageSpec, bytes]]) -> dict[str, list[Finding]]:
        """Findings of files analyzed together (the cross-file pass sees all of them)."""
        analyses = []
        for path, spec, source in files:
            analyses.append((path, self.analyzer.analyze(source, path, spec, self.settings)))
        project = analyze_project_units(analyses, self.catalog, self.settings)
        return {path: analysis.findings + project.get(path, []) for path, analysis in analyses}

    def score_files(self, scores: Scores, dataset: str,
                    files: list[tuple[str, LanguageSpec, bytes]],
                    about_of: dict[str, set[str]]) -> dict[str, list[Finding]]:
        """Analyze files together and count each one's markers."""
        findings = self.analyze(files)
        for path, spec, source in files:
            markers = parse_markers(source.decode("utf-8"))
            about = about_of[path]
            if dataset == "split":
                cross = self.cross_file
                scores.score("split", path, family(spec.name),
                             [m for m in markers if m.element in cross],
                             [f for f in findings[path] if f.element in cross],
                             about & cross, self.known, self.patterns)
                scores.score(SPLIT_PER_FILE, path, family(spec.name),
                             [m for m in markers if m.element not in cross],
                             [f for f in findings[path] if f.element not in cross],
                             about - cross, self.known, self.patterns)
            else:
                scores.score(dataset, path, family(spec.name), markers, findings[path], about,
                             self.known, self.patterns)
            if self.dump is not None:
                target = self.dump / dataset / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source)
        return findings

    def run_element(self, element: Element, result: RunResult, kinds: tuple[str, ...]) -> None:
        """The element's fixtures and every variant of them."""
        style = "neutral" if element.is_pattern else "keep_words"
        for path, spec in fixture_files(element):
            relative = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
            source = path.read_bytes()
            original = self.score_files(result.scores, "fixtures", [(relative, spec, source)],
                                        {relative: {element.id}})[relative]
            variants, dropped = make_variants(relative, spec, source, style, kinds)
            result.dropped.extend(dropped)
            for variant in variants:
                files = [(name, spec, text) for name, text in variant.files]
                result.variant_files[variant.kind] += len(files)
                self.score_files(result.scores, variant.kind, files,
                                 {name: {element.id} for name, _, _ in files})
            self._rename_check(relative, spec, source, original, result)

    def _rename_check(self, path: str, spec: LanguageSpec, source: bytes,
                      original: list[Finding], result: RunResult) -> None:
        """Do neutral names change which design patterns are found, and where?"""
        renamed, _ = rename(spec, source, parse(spec, source), "neutral")
        if renamed == source:
            return
        after = self.analyze([(path, spec, renamed)])[path]
        before_set = {(f.element, f.span.start[0] + 1) for f in original
                      if f.element in self.patterns}
        after_set = {(f.element, f.span.start[0] + 1) for f in after
                     if f.element in self.patterns}
        result.rename_files += 1
        result.rename_pattern_findings += len(before_set)
        for element, line in sorted(before_set - after_set):
            result.rename_changes.append(f"{path}:{line}: {element} lost under renaming")
        for element, line in sorted(after_set - before_set):
            result.rename_changes.append(f"{path}:{line}: {element} appeared under renaming")

    def run_corpus(self, result: RunResult, corpus: Path, languages: set[str] | None) -> None:
        """The hand-written examples: each language folder analyzed as one project."""
        if not corpus.is_dir():
            return
        for folder in sorted(path for path in corpus.iterdir() if path.is_dir()):
            if languages is not None and folder.name not in languages:
                continue
            files = []
            about: dict[str, set[str]] = {}
            for path in sorted(folder.rglob("*")):
                spec = language_for_path(path) if path.is_file() else None
                if spec is None:
                    continue
                relative = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
                source = path.read_bytes()
                files.append((relative, spec, source))
                about[relative] = {marker.element for marker in
                                   parse_markers(source.decode("utf-8"))} & self.known
            if files:
                self.score_files(result.scores, "handwritten", files, about)


def run(catalog: Catalog, elements: list[Element], corpus: Path,
        corpus_languages: set[str] | None, dump: Path | None = None,
        kinds: tuple[str, ...] = VARIANT_KINDS) -> RunResult:
    """Count fixtures, variants and hand-written examples."""
    started = time.perf_counter()
    runner = Runner(catalog, dump)
    result = RunResult(Scores())
    for element in elements:
        runner.run_element(element, result, kinds)
    runner.run_corpus(result, corpus, corpus_languages)
    result.seconds = time.perf_counter() - started
    return result
