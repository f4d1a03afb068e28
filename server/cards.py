"""An element card as short Markdown: the one rendering behind hover, `cpt.explain` and others."""

from __future__ import annotations

from cpt.engine.analysis import Finding
from cpt.engine.catalog import PERIODS, Catalog, Element

RELATION_TITLES = {"combines_with": "combines with", "conflicts_with": "conflicts with",
                   "evolves_to": "evolves to", "alternative_to": "alternative to"}


def card_title(element: Element) -> str:
    """Render the heading line: `**Sg Singleton** · creational · period 3 (class)`."""
    return (f"**{element.symbol} {element.name}** · {element.group} · "
            f"period {element.period} ({PERIODS[element.period]})")


def card_markdown(element: Element, finding: Finding | None = None, comment: str | None = "#",
                  catalog: Catalog | None = None) -> str:
    """Render the card of `element`, about `finding` if given; `comment` starts a line comment."""
    out = [card_title(element), element.docs.get("what") or element.summary]
    if finding is not None:
        out.append(f"**Here:** {finding.message} _(confidence {finding.confidence:.2f})_")
    elif element.docs.get("why"):
        out.append(f"**Why it matters:** {element.docs['why']}")
    related = [f"{RELATION_TITLES[kind]} {', '.join(_name(target, catalog) for target in ids)}"
               for kind, ids in element.relationships.items() if ids]
    if related:
        out.append("**Related:** " + "; ".join(related))
    if element.docs.get("fix"):
        out.append(f"**Fix:** {element.docs['fix']}")
    marker = f"{comment} cpt: ignore[{element.id}]" if comment else f"cpt: ignore[{element.id}]"
    where = "at the end of the reported line" if comment else "in a comment on the reported line"
    out.append(f"**Suppress:** `{marker}` {where}")
    return "\n\n".join(out)


def _name(element_id: str, catalog: Catalog | None) -> str:
    target = catalog.get(element_id) if catalog is not None else None
    return f"{target.symbol} {target.name}" if target is not None else element_id
