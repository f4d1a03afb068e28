"""Compare findings with markers: true and false positives, misses, the pattern confusion table.

A finding of element E matches a marker for E when it starts on the marked line.

* `expect: E` / `todo: E` with a matching finding: true positive; without one: false negative
  (a `todo` is a known miss, and a miss all the same).
* `ok: E` with a matching finding: false positive.
* A finding of E on a line without any marker for E, in a file that is *about* E: false
  positive. A fixture (and each of its variants) is about the element of its folder; a
  hand-written example is about every element it has a marker for. Unmarked findings of other
  elements are not counted; they are listed as unjudged.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from cpt.engine.analysis import Finding
from cpt.engine.fixtures import Marker

NONE = "(none)"


@dataclass
class Counts:
    """True positives, false positives and false negatives of one cell."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        precision, recall = self.precision, self.recall
        if not precision or not recall:
            return 0.0 if precision is not None and recall is not None else None
        return 2 * precision * recall / (precision + recall)

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}


@dataclass
class Case:
    """One counted error, to show the element's author: where, what was expected, what came."""

    dataset: str
    path: str
    line: int
    element: str
    kind: str  # "fn" (missed) or "fp" (reported where it should not be)
    expected: str
    got: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.element}: expected {self.expected}, got {self.got}"


@dataclass
class Scores:
    """Everything counted over a run, by dataset, element and language."""

    cells: dict[tuple[str, str, str], Counts] = field(
        default_factory=lambda: defaultdict(Counts))
    cases: list[Case] = field(default_factory=list)
    confusion: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    expected_patterns: dict[str, Counter] = field(
        default_factory=lambda: defaultdict(Counter))  # markers per row of the confusion
    unjudged: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    files: Counter = field(default_factory=Counter)

    def score(self, dataset: str, path: str, language: str, markers: Iterable[Marker],
              findings: Iterable[Finding], about: set[str], known: set[str],
              patterns: set[str]) -> None:
        """Count one file: its markers against its findings."""
        self.files[dataset] += 1
        reported: dict[int, set[str]] = defaultdict(set)
        for finding in findings:
            reported[finding.span.start[0] + 1].add(finding.element)
        marked: dict[str, set[int]] = defaultdict(set)
        for marker in markers:
            if marker.element not in known:
                continue
            marked[marker.element].add(marker.line)
            cell = self.cells[(dataset, marker.element, language)]
            hit = marker.element in reported.get(marker.line, set())
            got = ", ".join(sorted(reported.get(marker.line, set()))) or "nothing"
            if marker.kind in ("expect", "todo"):
                if hit:
                    cell.tp += 1
                else:
                    cell.fn += 1
                    self.cases.append(Case(dataset, path, marker.line, marker.element, "fn",
                                           marker.element, got))
                if marker.element in patterns:
                    self.expected_patterns[dataset][marker.element] += 1
                    found = sorted(reported.get(marker.line, set()) & patterns) or [NONE]
                    for name in found:
                        self.confusion[dataset][(marker.element, name)] += 1
            elif marker.kind == "ok" and hit:
                cell.fp += 1
                self.cases.append(Case(dataset, path, marker.line, marker.element, "fp",
                                       "nothing (ok)", got))
        for line, elements in sorted(reported.items()):
            for element in sorted(elements):
                if line in marked.get(element, ()):
                    continue
                if element in about:
                    self.cells[(dataset, element, language)].fp += 1
                    self.cases.append(Case(dataset, path, line, element, "fp",
                                           "nothing (unmarked)", element))
                else:
                    self.unjudged[dataset][element] += 1

    def total(self, datasets: Iterable[str], element: str | None = None,
              language: str | None = None, elements: set[str] | None = None) -> Counts:
        """Sum the cells of some datasets, optionally of one element, language or group."""
        wanted = set(datasets)
        total = Counts()
        for (dataset, cell_element, cell_language), counts in self.cells.items():
            if dataset not in wanted:
                continue
            if element is not None and cell_element != element:
                continue
            if elements is not None and cell_element not in elements:
                continue
            if language is not None and cell_language != language:
                continue
            total += counts
        return total
