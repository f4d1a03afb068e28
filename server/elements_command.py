"""`cpt elements`, `cpt elements test` and `cpt explain`: the periodic table on the terminal."""

from __future__ import annotations

import json
import sys
import textwrap
from argparse import Namespace
from pathlib import Path

from cpt.engine.catalog import GROUPS, PERIODS, Catalog, Element, load_catalog
from cpt.engine.fixtures import check_catalog

from .cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from .scan import custom_element_roots


def _catalog_here() -> Catalog:
    catalog = load_catalog(custom_element_roots([Path.cwd()]))
    for problem in catalog.problems:
        print(f"cpt: element skipped: {problem}", file=sys.stderr)
    return catalog


def elements_command(args: Namespace) -> int:
    """List the table (text or JSON), or run `cpt elements test`."""
    if getattr(args, "elements_command", None) == "test":
        return elements_test(args)
    catalog = _catalog_here()
    elements = sorted(catalog, key=lambda e: (GROUPS.index(e.group), e.period, e.id))
    if args.format == "json":
        print(json.dumps([element.to_card() for element in elements], indent=2))
        return EXIT_OK
    print(render_table(elements))
    for group in GROUPS:
        members = [element for element in elements if element.group == group]
        if not members:
            continue
        print(f"\n{group}")
        for element in members:
            print(f"  {element.symbol:<2}  {element.id:<26} {element.severity:<8} "
                  f"p{element.period}  {element.summary}")
    return EXIT_OK


def render_table(elements: list[Element]) -> str:
    """The periodic table: groups as columns, periods as rows, symbols in the cells."""
    groups = [group for group in GROUPS if any(e.group == group for e in elements)]
    width = max(len(group) for group in groups) + 1
    lines = ["period  " + "".join(f"{group:<{width}}" for group in groups)]
    for period in PERIODS:
        cells = []
        for group in groups:
            symbols = " ".join(e.symbol for e in elements
                               if e.group == group and e.period == period)
            cells.append(f"{symbols:<{width}}")
        if any(cell.strip() for cell in cells):
            lines.append(f"{period} {PERIODS[period][:5]:<6}" + "".join(cells))
    return "\n".join(lines)


def explain_command(args: Namespace) -> int:
    """Print one element's card."""
    catalog = _catalog_here()
    element = catalog.get(args.element)
    if element is None:
        matches = catalog.find(args.element)
        exact = [m for m in matches if m.symbol.lower() == args.element.lower()
                 or m.name.lower() == args.element.lower()]
        matches = exact or matches
        if len(matches) != 1:
            hint = f" Did you mean: {', '.join(m.id for m in matches)}?" if matches else ""
            print(f"cpt: error: no element {args.element!r}.{hint} See `cpt elements`.",
                  file=sys.stderr)
            return EXIT_USAGE
        element = matches[0]
    if args.format == "json":
        print(json.dumps(element.to_card(), indent=2))
        return EXIT_OK
    print(render_card(element))
    return EXIT_OK


def render_card(element: Element) -> str:
    """An element's card as plain text with the fixed sections."""
    out = [f"{element.symbol}  {element.name}  ({element.id})",
           f"group {element.group} · period {element.period} ({PERIODS[element.period]}) · "
           f"default severity {element.severity} · {', '.join(element.languages)}", "",
           textwrap.fill(element.summary, 88)]
    titles = {"what": "What it is", "why": "Why it matters", "example": "Example",
              "use_instead": "Use instead", "fix": "Fix and suppression"}
    for key, title in titles.items():
        if element.docs.get(key):
            body = element.docs[key]
            body = textwrap.indent(body, "    ") if "\n" in body or key == "example" else \
                textwrap.fill(body, 88)
            out += ["", title, body]
    if element.properties:
        out += ["", "Properties"] + [
            f"  {key}: {value}" for key, value in element.properties.items()
        ]
    related = {kind: ids for kind, ids in element.relationships.items() if ids}
    if related:
        out += ["", "Related"] + [f"  {kind.replace('_', ' ')}: {', '.join(ids)}"
                                  for kind, ids in related.items()]
    if element.thresholds:
        out += ["", "Thresholds ([tool.cpt.thresholds])"] + [
            f"  {name} = {value}" for name, value in element.thresholds.items()]
    if element.not_applicable:
        out += ["", "Not looked for in"] + [f"  {language}: {why}"
                                            for language, why in element.not_applicable.items()]
    if element.references:
        out += ["", "References"] + [f"  {ref}" for ref in element.references]
    return "\n".join(out)


def elements_test(args: Namespace) -> int:
    """Run the fixtures of a team's own elements; failures are printed as file:line."""
    roots = [args.path] if args.path is not None else custom_element_roots([Path.cwd()])
    if args.path is not None and not args.path.is_dir():
        print(f"cpt: error: not a folder: {args.path}", file=sys.stderr)
        return EXIT_USAGE
    catalog = load_catalog(roots)
    for problem in catalog.problems:
        print(f"{problem.path}: invalid element: {problem.reason}")
    tested = [e for e in catalog if args.builtin or not e.builtin]
    if not tested and not catalog.problems:
        print("cpt: no elements to test (looked in: "
              f"{', '.join(map(str, roots)) or '.cpt/elements above this folder'})",
              file=sys.stderr)
        return EXIT_USAGE
    failures = check_catalog(catalog, only_custom=not args.builtin)
    for failure in failures:
        print(failure)
    print(f"{len(tested)} element(s) tested: {len(failures)} failure(s), "
          f"{len(catalog.problems)} invalid element(s)")
    return EXIT_FINDINGS if failures or catalog.problems else EXIT_OK
