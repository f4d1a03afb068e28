"""`cpt index` (build or refresh the workspace index) and `cpt table` (its periodic table)."""

from __future__ import annotations

import json
import os
import sys
from argparse import Namespace
from pathlib import Path
from typing import Any

from cpt.engine.catalog import load_catalog

from .cli import EXIT_OK, EXIT_USAGE
from .progress import ProgressBar
from .scan import custom_element_roots

MAX_OCCURRENCES = 200  # per element in the table data; the count says how many there are


def _open(args: Namespace):
    """Open the index of `args.path`, or print why not and return None."""
    from .index.database import IndexUnavailable
    from .index.refresh import FolderSettings
    from .index.store import WorkspaceIndex

    root: Path = args.path
    if not root.is_dir():
        print(f"cpt: error: not a folder: {root}", file=sys.stderr)
        return None
    catalog = load_catalog(custom_element_roots([root]))
    for problem in catalog.problems:
        print(f"cpt: element skipped: {problem}", file=sys.stderr)
    resolver = FolderSettings(catalog)
    resolver(root / "__cpt__")
    if resolver.problems:
        for problem in resolver.problems:
            print(f"cpt: config error: {problem}", file=sys.stderr)
        return None
    try:
        return WorkspaceIndex(root, args.db, catalog, resolver,
                              on_message=lambda text: print(text, file=sys.stderr))
    except IndexUnavailable as error:
        print(f"cpt: error: {error}", file=sys.stderr)
        return None


def _refresh(index, args: Namespace):
    show = not args.no_progress and sys.stderr.isatty()
    bar = ProgressBar(sys.stderr) if show else None
    report = index.refresh(jobs=args.jobs or os.cpu_count() or 1,
                           progress=bar.update if bar else None)
    if bar is not None:
        bar.clear()
    for path, reason in report.skipped:
        print(f"cpt: skipped {path}: {reason}", file=sys.stderr)
    return report


def index_command(args: Namespace) -> int:
    """Build or refresh the index and print what it holds."""
    if args.jobs < 0:
        print("cpt: error: --jobs must be 0 (all cores) or more", file=sys.stderr)
        return EXIT_USAGE
    index = _open(args)
    if index is None:
        return EXIT_USAGE
    try:
        report = _refresh(index, args)
        counts = index.counts()
        summary = {
            "index": str(index.path), "root": str(index.root), "files": report.files,
            "analyzed": report.analyzed, "unchanged": report.unchanged,
            "removed": report.removed, "skipped": len(report.skipped),
            "seconds": round(report.seconds, 3),
            "findings": sum(found for found, _ in counts.values()),
            "elements": {key: {"findings": found, "files": files}
                         for key, (found, files) in sorted(counts.items())},
        }
    finally:
        index.close()
    if args.format == "json":
        print(json.dumps(summary, indent=2))
    else:
        print(f"index ready: {summary['files']} files ({summary['analyzed']} analyzed, "
              f"{summary['unchanged']} unchanged, {summary['removed']} removed) in "
              f"{summary['seconds']:.2f} s; {summary['findings']} findings of "
              f"{len(counts)} elements")
        print(f"database: {summary['index']}")
    return EXIT_OK


def table_command(args: Namespace) -> int:
    """Print (or write as one HTML page) the workspace's periodic table."""
    from .table import render_html, render_text

    index = _open(args)
    if index is None:
        return EXIT_USAGE
    try:
        if not args.no_refresh:
            _refresh(index, args)
        data = index_table(index)
    finally:
        index.close()
    if args.html is not None:
        title = f"Code Periodic Table · {Path(data['workspace']).name}"
        args.html.write_text(render_html(data, title), encoding="utf-8")
        print(f"cpt: wrote {args.html}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(data, indent=2))
    elif args.html is None or args.format == "text":
        sys.stdout.write(render_text(data))
    return EXIT_OK


def index_table(index) -> dict[str, Any]:
    """The table data from an index (shared with the language server's `cpt.showTable`)."""
    from .table import table_data

    occurrences: dict[str, list[dict[str, Any]]] = {}
    for found in index.findings():
        items = occurrences.setdefault(found.element, [])
        if len(items) < MAX_OCCURRENCES:
            items.append(occurrence(index.root, found))
    return table_data(index.catalog, occurrences, index.counts(), str(index.root),
                      index.file_count())


def occurrence(root: Path, found) -> dict[str, Any]:
    """One place an element occurs: path and 1-based line for people, uri and range for tools."""
    return {
        "path": found.path, "line": found.line, "column": found.column,
        "message": found.message, "uri": (root / found.path).as_uri(),
        "range": {"start": {"line": found.line - 1, "character": found.column - 1},
                  "end": {"line": found.end_line - 1, "character": found.end_column - 1}},
    }


__all__ = ["index_command", "index_table", "occurrence", "table_command"]
