"""The periodic table as data: element cards loaded from one folder per element.

An element folder holds `element.toml` (its card), optionally `detect.py` (a detector over the
code model), `queries/<language>.scm` (tree-sitter patterns that report `@match`), `fix.py`
and `fixtures/`. Cards are validated with one precise message per problem; an invalid element is
reported and skipped, never fatal.
"""

from __future__ import annotations

import importlib.util
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

import tree_sitter as ts

from .languages import FAMILY, LANGUAGES, ts_language

BUILTIN_DIR = Path(__file__).parent / "elements"

GROUPS = ("creational", "structural", "behavioral", "data", "concurrency", "idiom", "smell",
          "security")
PERIODS = {1: "expression / statement", 2: "function", 3: "class", 4: "module / several classes",
           5: "system"}
SEVERITIES = ("error", "warning", "info", "hint")
RELATIONSHIPS = ("combines_with", "conflicts_with", "evolves_to", "alternative_to")
USER_LANGUAGES = tuple(sorted({FAMILY.get(name, name) for name in LANGUAGES}))
DOC_SECTIONS = ("what", "why", "example", "use_instead", "fix")
_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_SYMBOL = re.compile(r"^[A-Z][a-z]?$")
_KNOWN_KEYS = {
    "id", "symbol", "name", "group", "period", "severity", "languages", "summary", "message",
    "properties", "relationships", "references", "docs", "thresholds", "not_applicable",
    "confidence", "scope",
}
# "unit": findings inside a function depend on that function alone (and the file's imports),
# so an edit elsewhere cannot change them; "file": anything in the file may matter.
SCOPES = ("unit", "file")


class ElementError(ValueError):
    """An element folder that cannot be used, with the file and the reason."""

    def __init__(self, path: Path, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.reason = message


@dataclass
class Element:
    """One element of the periodic table: its card and where its detection lives."""

    id: str
    symbol: str
    name: str
    group: str
    period: int
    severity: str
    languages: tuple[str, ...]
    summary: str
    message: str
    folder: Path
    properties: dict[str, str] = field(default_factory=dict)
    relationships: dict[str, list[str]] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
    docs: dict[str, str] = field(default_factory=dict)
    thresholds: dict[str, int | float] = field(default_factory=dict)
    not_applicable: dict[str, str] = field(default_factory=dict)
    confidence: float = 1.0
    scope: str = "file"
    builtin: bool = True
    queries: dict[str, str] = field(default_factory=dict)
    _detector: ModuleType | None = None
    _fixer: ModuleType | None = None
    _loaded: bool = False

    @property
    def is_pattern(self) -> bool:
        """Design patterns are information, not problems."""
        return self.group not in ("smell", "security")

    def applies_to(self, language: str) -> bool:
        """Say whether this element is looked for in a (grammar or user-facing) language."""
        return FAMILY.get(language, language) in self.languages

    @property
    def detector(self) -> ModuleType | None:
        """The element's `detect.py`, imported on first use."""
        self._load_modules()
        return self._detector

    @property
    def fixer(self) -> ModuleType | None:
        """The element's `fix.py`, imported on first use."""
        self._load_modules()
        return self._fixer

    def _load_modules(self) -> None:
        if self._loaded:
            return
        # Marked loaded only once both are set: the index thread and the event loop share the
        # catalog, and one must not see an element half loaded (at worst both import it).
        detector = _import_file(self.folder / "detect.py", f"cpt_element_{self.id}")
        fixer = _import_file(self.folder / "fix.py", f"cpt_element_fix_{self.id}")
        self._detector, self._fixer = detector, fixer
        self._loaded = True

    def query_for(self, language: str) -> str | None:
        """Return the element's query text for a grammar (tsx falls back to typescript)."""
        return self.queries.get(language) or self.queries.get(FAMILY.get(language, language))

    def to_card(self) -> dict[str, Any]:
        """Return the card as plain data (JSON, SARIF rule help, hover, HTML table)."""
        return {
            "id": self.id, "symbol": self.symbol, "name": self.name, "group": self.group,
            "period": self.period, "period_name": PERIODS[self.period],
            "severity": self.severity, "languages": list(self.languages),
            "summary": self.summary, "properties": dict(self.properties),
            "relationships": {key: list(value) for key, value in self.relationships.items()},
            "references": list(self.references), "docs": dict(self.docs),
            "thresholds": dict(self.thresholds), "not_applicable": dict(self.not_applicable),
        }


def _import_file(path: Path, name: str) -> ModuleType | None:
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_element(folder: Path, builtin: bool = True) -> Element:
    """Read and validate one element folder; raise `ElementError` naming what is wrong."""
    card_path = folder / "element.toml"
    if not card_path.is_file():
        raise ElementError(folder, "missing element.toml")
    try:
        card = tomllib.loads(card_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ElementError(card_path, f"not valid TOML: {error}") from None
    problems = validate_card(card)
    if problems:
        raise ElementError(card_path, "; ".join(problems))
    if card["id"] != folder.name:
        raise ElementError(card_path, f"id {card['id']!r} differs from its folder {folder.name!r}")
    element = Element(
        id=card["id"], symbol=card["symbol"], name=card["name"], group=card["group"],
        period=card["period"], severity=card["severity"], languages=tuple(card["languages"]),
        summary=card["summary"].strip(), message=card["message"], folder=folder,
        properties=dict(card.get("properties", {})),
        relationships={key: list(card.get("relationships", {}).get(key, []))
                       for key in RELATIONSHIPS},
        references=list(card.get("references", [])),
        docs={key: str(value).strip() for key, value in card.get("docs", {}).items()},
        thresholds=dict(card.get("thresholds", {})),
        not_applicable=dict(card.get("not_applicable", {})),
        confidence=float(card.get("confidence", 1.0)),
        scope=card.get("scope", "file"),
        builtin=builtin,
    )
    query_dir = folder / "queries"
    if query_dir.is_dir():
        for query_file in sorted(query_dir.glob("*.scm")):
            language = query_file.stem
            if language not in LANGUAGES:
                raise ElementError(query_file, f"no language called {language!r}; "
                                               f"known: {', '.join(sorted(LANGUAGES))}")
            text = query_file.read_text(encoding="utf-8")
            # Built-in queries are compiled by the test suite; compiling each one again at every
            # start cost a third of a second and ~7 MB that the process never gave back.
            if not builtin:
                try:
                    compile_query(language, text)
                except (ts.QueryError, ValueError) as error:
                    raise ElementError(query_file, f"query does not compile: {error}") from None
            if "@match" not in text:
                raise ElementError(query_file, "query has no @match capture to report")
            element.queries[language] = text
    if not element.queries and not (folder / "detect.py").is_file():
        raise ElementError(folder, "no detection: add detect.py or queries/<language>.scm")
    return element


def compile_query(language: str, text: str) -> ts.Query:
    """Compile a query for a grammar; tsx accepts TypeScript queries."""
    return ts.Query(ts_language(language), text)


def validate_card(card: dict[str, Any]) -> list[str]:
    """Return every problem of a card, each naming its key."""
    problems = []
    for key in sorted(set(card) - _KNOWN_KEYS):
        problems.append(f"unknown key {key!r}")
    required = ("id", "symbol", "name", "group", "period", "severity", "languages", "summary",
                "message")
    for key in required:
        if key not in card:
            problems.append(f"missing required key {key!r}")
    if problems:
        return problems
    if not isinstance(card["id"], str) or not _ID.match(card["id"]):
        problems.append(f"id {card['id']!r} must be kebab-case (e.g. 'long-method')")
    if not isinstance(card["symbol"], str) or not _SYMBOL.match(card["symbol"]):
        problems.append(
            f"symbol {card['symbol']!r} must be one capital and an optional small letter"
        )
    if card["group"] not in GROUPS:
        problems.append(f"group {card['group']!r} is not one of {', '.join(GROUPS)}")
    if card["period"] not in PERIODS:
        problems.append(f"period {card['period']!r} must be 1 to 5")
    if card["severity"] not in SEVERITIES:
        problems.append(f"severity {card['severity']!r} is not one of {', '.join(SEVERITIES)}")
    languages = card["languages"]
    if not isinstance(languages, list) or not languages:
        problems.append("languages must be a non-empty list")
    else:
        for language in languages:
            if language not in USER_LANGUAGES:
                problems.append(f"language {language!r} is not one of {', '.join(USER_LANGUAGES)}")
    for key in ("summary", "message", "name"):
        if not isinstance(card[key], str) or not card[key].strip():
            problems.append(f"{key} must be a non-empty string")
    for key, value in card.get("relationships", {}).items():
        if key not in RELATIONSHIPS:
            problems.append(f"relationship {key!r} is not one of {', '.join(RELATIONSHIPS)}")
        elif not isinstance(value, list):
            problems.append(f"relationship {key!r} must be a list of element ids")
    for key in card.get("docs", {}):
        if key not in DOC_SECTIONS:
            problems.append(f"docs section {key!r} is not one of {', '.join(DOC_SECTIONS)}")
    for key, value in card.get("thresholds", {}).items():
        if not isinstance(value, int | float) or isinstance(value, bool):
            problems.append(f"threshold {key!r} must be a number")
    if card.get("scope", "file") not in SCOPES:
        problems.append(f"scope {card['scope']!r} is not one of {', '.join(SCOPES)}")
    confidence = card.get("confidence", 1.0)
    if not isinstance(confidence, int | float) or not 0 < confidence <= 1:
        problems.append("confidence must be a number in (0, 1]")
    return problems


@dataclass
class Catalog:
    """All elements known to a run, with the problems met while loading them."""

    elements: dict[str, Element]
    problems: list[ElementError] = field(default_factory=list)

    def __iter__(self):
        return iter(self.elements.values())

    def __contains__(self, element_id: str) -> bool:
        return element_id in self.elements

    def __getitem__(self, element_id: str) -> Element:
        return self.elements[element_id]

    def get(self, element_id: str) -> Element | None:
        """Return the element with this id, if any."""
        return self.elements.get(element_id)

    def find(self, text: str) -> list[Element]:
        """Find elements by id, symbol or name (case-insensitive substring)."""
        needle = text.strip().lower()
        return [
            element for element in self
            if needle in element.id or needle == element.symbol.lower()
            or needle in element.name.lower()
        ]

    @cached_property  # read on every keystroke; a changed table is a new Catalog
    def unit_scope(self) -> frozenset[str]:
        """Ids of the elements that report inside a function from that function alone."""
        return frozenset(element.id for element in self if element.scope == "unit")

    @property
    def thresholds(self) -> dict[str, int | float]:
        """Every threshold any element declares, with its default."""
        merged: dict[str, int | float] = {}
        for element in self:
            merged.update(element.thresholds)
        return merged


def element_folders(root: Path) -> list[Path]:
    """List element folders below `root` (directly or one group level down)."""
    found = []
    for card in sorted(root.glob("*/element.toml")) + sorted(root.glob("*/*/element.toml")):
        found.append(card.parent)
    return found


def load_catalog(extra_roots: list[Path] | tuple[Path, ...] = ()) -> Catalog:
    """Load the built-in elements and a team's own (`.cpt/elements/`), validating both."""
    elements: dict[str, Element] = {}
    problems: list[ElementError] = []
    symbols: dict[str, str] = {}
    for root, builtin in [(BUILTIN_DIR, True)] + [(Path(root), False) for root in extra_roots]:
        if not root.is_dir():
            continue
        for folder in element_folders(root):
            try:
                element = load_element(folder, builtin=builtin)
            except ElementError as error:
                problems.append(error)
                continue
            if element.id in elements:
                problems.append(ElementError(folder, f"id {element.id!r} is already taken by "
                                                     f"{elements[element.id].folder}"))
                continue
            if element.symbol in symbols:
                problems.append(ElementError(folder, f"symbol {element.symbol!r} is already "
                                                     f"taken by {symbols[element.symbol]!r}"))
                continue
            elements[element.id] = element
            symbols[element.symbol] = element.id
    for element in elements.values():
        for kind, targets in element.relationships.items():
            for target in targets:
                if target not in elements:
                    problems.append(ElementError(
                        element.folder / "element.toml",
                        f"{kind} names {target!r}, which is not an element of the table",
                    ))
    return Catalog(elements=elements, problems=problems)


_builtin: Catalog | None = None


def builtin_catalog() -> Catalog:
    """Return the built-in catalog, loaded once per process."""
    global _builtin
    if _builtin is None:
        _builtin = load_catalog()
    return _builtin
