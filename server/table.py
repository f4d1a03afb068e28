"""The workspace's periodic table.

One data shape for `cpt table`, the HTML page and the language server's `cpt.showTable`, so
every client shows the same thing.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from cpt.engine.catalog import GROUPS, PERIODS, Catalog

# One colour per group (also the legend of the HTML page); readable on white and dark text.
GROUP_COLOURS = {
    "creational": "#f6c667", "structural": "#8ecae6", "behavioral": "#b8e0a8",
    "data": "#d7b8f3", "concurrency": "#ffb4a2", "idiom": "#cfd8dc", "smell": "#ffd6a5",
    "security": "#ff8fa3",
}


def table_data(catalog: Catalog, occurrences: dict[str, list[dict[str, Any]]],
               counts: dict[str, tuple[int, int]] | None = None,
               workspace: str | None = None, files: int | None = None) -> dict[str, Any]:
    """Every element laid out by group and period, with its count and occurrences.

    `occurrences` may be capped per element; `counts` (findings, files) then gives the totals.
    """
    elements = sorted(catalog, key=lambda e: (GROUPS.index(e.group), e.period, e.id))
    rows = []
    for element in elements:
        found = occurrences.get(element.id, [])
        total, in_files = (counts or {}).get(element.id, (len(found), len({
            item.get("uri") or item.get("path") for item in found})))
        rows.append({
            "id": element.id, "symbol": element.symbol, "name": element.name,
            "group": element.group, "period": element.period, "severity": element.severity,
            "summary": element.summary, "is_pattern": element.is_pattern,
            "count": total, "files": in_files, "occurrences": found,
        })
    data: dict[str, Any] = {
        "groups": list(GROUPS),
        "periods": [{"period": number, "name": name} for number, name in PERIODS.items()],
        "elements": rows,
    }
    if workspace is not None:
        data["workspace"] = workspace
    if files is not None:
        data["files"] = files
    return data


def render_text(data: dict[str, Any]) -> str:
    """A terminal grid: groups as columns, periods as rows, `Sg 4` in each cell."""
    groups = [group for group in data["groups"]
              if any(item["group"] == group for item in data["elements"])]
    width = max(14, *(len(group) + 2 for group in groups))
    lines = ["period".ljust(10) + "".join(group.ljust(width) for group in groups)]
    for period in data["periods"]:
        cells = {group: [f"{item['symbol']} {item['count']}" for item in data["elements"]
                         if item["group"] == group and item["period"] == period["period"]]
                 for group in groups}
        height = max(1, *(len(items) for items in cells.values()))
        for row in range(height):
            label = str(period["period"]) if row == 0 else ""
            lines.append(label.ljust(10) + "".join(
                (cells[group][row] if row < len(cells[group]) else "").ljust(width)
                for group in groups).rstrip())
    found = [item for item in data["elements"] if item["count"]]
    lines.append("")
    for item in sorted(found, key=lambda item: -item["count"]):
        lines.append(f"{item['symbol']:>3}  {item['name']:<28} {item['count']:>6} in "
                     f"{item['files']} file(s)")
    total = sum(item["count"] for item in data["elements"])
    lines.append(f"{len(found)} of {len(data['elements'])} elements present, {total} occurrences"
                 + (f" in {data['files']} files" if "files" in data else ""))
    return "\n".join(lines) + "\n"


def render_html(data: dict[str, Any], title: str = "Code Periodic Table") -> str:
    """One self-contained page (no network): the table coloured by group; a click lists places."""
    payload = json.dumps(data).replace("</", "<\\/")
    colours = json.dumps(GROUP_COLOURS)
    page = (Path(__file__).parent / "table_page.html").read_text(encoding="utf-8")
    return page.replace("{{TITLE}}", html.escape(title)).replace(
        "{{DATA}}", payload).replace("{{COLOURS}}", colours)
