"""Generate docs/elements/<id>.md from the element cards (`python -m cpt.server.element_docs`).

The pages are what a diagnostic's `codeDescription` links to; a test fails when they are stale,
so they are regenerated, never edited by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cpt.engine.catalog import GROUPS, PERIODS, Element, builtin_catalog

DOCS = Path(__file__).resolve().parents[1] / "docs" / "elements"
_TITLES = {"what": "What it is", "why": "Why it matters", "example": "Example",
           "use_instead": "Use instead", "fix": "Fix and suppression"}


def page(element: Element) -> str:
    """The Markdown page of one element."""
    out = [f"# {element.symbol} · {element.name} (`{element.id}`)", "",
           f"Group **{element.group}** · period {element.period} ({PERIODS[element.period]}) · "
           f"default severity **{element.severity}** · languages: {', '.join(element.languages)}",
           "", element.summary]
    for key, title in _TITLES.items():
        body = element.docs.get(key)
        if not body:
            continue
        if key in ("example", "use_instead") and ("\n" in body or "(" in body):
            body = f"```\n{body}\n```"
        out += ["", f"## {title}", "", body]
    related = {kind: ids for kind, ids in element.relationships.items() if ids}
    if related:
        out += ["", "## Related elements", ""] + [
            f"- {kind.replace('_', ' ')}: " + ", ".join(f"[{i}]({i}.md)" for i in ids)
            for kind, ids in related.items()]
    if element.thresholds:
        out += ["", "## Thresholds", "", "Set under `[tool.cpt.thresholds]`:", ""] + [
            f"- `{name}` = {value}" for name, value in element.thresholds.items()]
    if element.not_applicable:
        out += ["", "## Not looked for in", ""] + [
            f"- {language}: {why}" for language, why in element.not_applicable.items()]
    if element.references:
        out += ["", "## References", ""] + [f"- <{ref}>" for ref in element.references]
    return "\n".join(out) + "\n"


def index(elements: list[Element]) -> str:
    """The table of contents: every element by group."""
    out = ["# The elements", "", "Generated from the element cards by "
           "`python -m cpt.server.element_docs`; do not edit.", ""]
    for group in GROUPS:
        members = sorted((e for e in elements if e.group == group), key=lambda e: (e.period, e.id))
        if members:
            out += [f"## {group}", ""] + [
                f"- **{e.symbol}** [{e.name}]({e.id}.md) — {e.summary}" for e in members] + [""]
    return "\n".join(out)


def expected_pages() -> dict[str, str]:
    """File name → content of every generated page."""
    elements = list(builtin_catalog())
    pages = {f"{element.id}.md": page(element) for element in elements}
    pages["README.md"] = index(elements)
    return pages


def main() -> int:
    """Write the pages and remove pages of elements that no longer exist."""
    DOCS.mkdir(parents=True, exist_ok=True)
    pages = expected_pages()
    for stale in DOCS.glob("*.md"):
        if stale.name not in pages:
            stale.unlink()
    for name, content in pages.items():
        (DOCS / name).write_text(content, encoding="utf-8")
    print(f"wrote {len(pages)} pages to {DOCS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
