"""Render a scan as text (grouped by file), JSON, or SARIF 2.1.0 for code-scanning services."""

from __future__ import annotations

import io
import json
from collections import Counter
from itertools import groupby
from pathlib import Path, PurePath
from typing import Any, TextIO

from cpt import __version__
from cpt.engine.analysis import SEVERITY_RANK
from cpt.engine.catalog import Element

from .scan import Row, ScanResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note", "hint": "note"}
_SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0", "info": "2.0", "hint": "1.0"}
_INFO_URI = "https://github.com/code-periodic-table/cpt"


def _counts(rows) -> str:
    counts = Counter(row.severity for row in rows)
    parts = [f"{counts[level]} {level}{'s' if counts[level] != 1 and level != 'info' else ''}"
             for level in ("error", "warning", "info", "hint") if counts[level]]
    return ", ".join(parts) if parts else "no findings"


def render_text(result: ScanResult, color: bool = False) -> str:
    """Findings grouped by file, a one-line summary per file and a total."""
    out = []
    paint = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "hint": "\033[2m"}
    for path, group in groupby(result.rows, key=lambda row: row.path):
        rows = list(group)
        out.append(f"\033[1m{path}\033[0m" if color else path)
        for row in rows:
            level = f"{row.severity:<7}"
            if color:
                level = f"{paint[row.severity]}{level}\033[0m"
            where = f"{row.line}:{row.column}"
            out.append(f"  {where:<8} {level}  {row.symbol:<2} {row.element:<24} {row.message}")
        out.append(f"  {len(rows)} finding{'s' if len(rows) != 1 else ''}: {_counts(rows)}")
        out.append("")
    files = len({row.path for row in result.rows})
    out.append(
        f"{len(result.rows)} finding{'s' if len(result.rows) != 1 else ''} in {files} "
        f"file{'s' if files != 1 else ''} ({_counts(result.rows)}); "
        f"{result.files_scanned} file{'s' if result.files_scanned != 1 else ''} scanned, "
        f"{len(result.skipped)} skipped"
    )
    return "\n".join(out) + "\n"


def render_json(result: ScanResult) -> str:
    """The documented JSON shape: version, files_scanned, files_skipped, findings."""
    out = io.StringIO()
    write_json(result, out)
    return out.getvalue()


def write_json(result: ScanResult, stream: TextIO) -> None:
    """`render_json` written finding by finding, as `json.dumps(..., indent=2)` lays it out.

    Encoding a whole large scan at once held every piece of the text in a list: several
    hundred MB for a 10,000-file tree.
    """
    stream.write("{\n")
    for key, value in (("version", __version__), ("files_scanned", result.files_scanned),
                       ("files_skipped", len(result.skipped))):
        stream.write(f'  "{key}": {json.dumps(value, ensure_ascii=False)},\n')
    stream.write('  "findings": ')
    if result.rows:
        stream.write("[\n")
        last = len(result.rows) - 1
        for number, row in enumerate(result.rows):
            stream.write("    " + _laid_out(row.as_json(), "    "))
            stream.write(",\n" if number < last else "\n")
        stream.write("  ]")
    else:
        stream.write("[]")
    skipped = [{"path": path, "reason": reason} for path, reason in result.skipped]
    text = json.dumps(skipped, indent=2, ensure_ascii=False)
    stream.write(',\n  "skipped": ' + text.replace("\n", "\n  ") + "\n}\n")


_encode = json.JSONEncoder(ensure_ascii=False).encode  # C-accelerated: no indent


def _laid_out(value: Any, indent: str = "") -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`, nested `indent` deep.

    With `indent`, json encodes in Python, and each call left a few dozen cyclic objects for
    the collector (2 s of a stdlib scan's 13,000 findings): here the layout is written out
    and every key and scalar goes through the C encoder.
    """
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        members = ",\n".join(f"{inner}{_encode(str(key))}: {_laid_out(item, inner)}"
                              for key, item in value.items())
        return f"{{\n{members}\n{indent}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = ",\n".join(inner + _laid_out(item, inner) for item in value)
        return f"[\n{items}\n{indent}]"
    return _encode(value)


def _rule(element: Element) -> dict:
    docs = element.docs
    markdown = [f"**{element.symbol} · {element.name}** ({element.group}, period {element.period})",
                "", element.summary]
    for title, key in (("What it is", "what"), ("Why it matters", "why"),
                       ("Example", "example"), ("Use instead", "use_instead"), ("Fix", "fix")):
        if docs.get(key):
            body = docs[key]
            if key in ("example", "use_instead") and "\n" in body:
                body = f"```\n{body}\n```"
            markdown += ["", f"**{title}**", "", body]
    tags = [element.group, "design-pattern" if element.is_pattern else element.group]
    properties: dict = {"tags": sorted(set(tags)), "precision": "high" if element.confidence >= 0.9
                        else "medium", "symbol": element.symbol, "period": element.period}
    if element.group == "security":
        properties["tags"].append("security")
        properties["security-severity"] = _SECURITY_SEVERITY[element.severity]
    rule = {
        "id": element.id,
        "name": element.name.replace(" ", ""),
        "shortDescription": {"text": element.name},
        "fullDescription": {"text": element.summary},
        "help": {"text": "\n\n".join(docs.get(key, "") for key in ("what", "why", "fix")).strip()
                 or element.summary, "markdown": "\n".join(markdown)},
        "defaultConfiguration": {"level": _SARIF_LEVEL[element.severity]},
        "properties": properties,
    }
    if element.references:
        rule["helpUri"] = element.references[0]
    return rule


def render_sarif(result: ScanResult) -> str:
    """SARIF 2.1.0 with one rule per element of the catalog (its card as help)."""
    out = io.StringIO()
    write_sarif(result, out)
    return out.getvalue()


def write_sarif(result: ScanResult, stream: TextIO) -> None:
    """`render_sarif` written result by result, laid out as `json.dump(..., indent=2)`."""
    elements = sorted(result.catalog, key=lambda element: element.id)
    index = {element.id: position for position, element in enumerate(elements)}
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "cpt", "fullName": "Code Periodic Table", "version": __version__,
                "semanticVersion": __version__, "informationUri": _INFO_URI,
                "rules": [_rule(element) for element in elements],
            }},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
            "results": [],
        }],
    }
    # The last key of the only run: its value is the one `[]` a key can be followed by
    # (a string holding the same characters has its quotes escaped).
    head, _, tail = _laid_out(document).rpartition('"results": []')
    stream.write(head + '"results": ')
    indent = " " * 8
    for number, row in enumerate(result.rows):
        stream.write(("[\n" if number == 0 else ",\n") + indent
                     + _laid_out(_sarif_result(row, index), indent))
    stream.write(f"\n{indent[:-2]}]" if result.rows else "[]")
    stream.write(tail + "\n")


def _sarif_result(row: Row, index: dict[str, int]) -> dict:
    item = {
        "ruleId": row.element,
        "ruleIndex": index.get(row.element, -1),
        "level": _SARIF_LEVEL[row.severity],
        "message": {"text": row.message},
        "locations": [_location(row.path, row.line, row.column, row.end_line, row.end_column)],
        "properties": {"confidence": row.confidence, "symbol": row.symbol, "group": row.group},
    }
    if row.related:
        item["relatedLocations"] = [
            {**_location(rel["path"], rel["line"], rel["column"], rel["end_line"],
                         rel["end_column"]), "id": number, "message": {"text": rel["message"]}}
            for number, rel in enumerate(row.related, start=1)
        ]
    return item


def _location(path: str, line: int, column: int, end_line: int, end_column: int) -> dict:
    return {"physicalLocation": {
        "artifactLocation": {"uri": PurePath(path).as_posix(), "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": line, "startColumn": column, "endLine": end_line,
                   "endColumn": max(end_column, column + 1) if end_line == line else end_column},
    }}


def render_diff(result: ScanResult) -> str:
    """The safe fixes of every file as one unified diff (what `--fix` would write)."""
    import difflib

    out: list[str] = []
    for _path, (shown, original, fixed) in sorted(result.fixes.items()):
        before = (original or b"").decode("utf-8").splitlines(keepends=True)
        after = fixed.decode("utf-8").splitlines(keepends=True)
        out.extend(difflib.unified_diff(before, after, f"a/{shown}", f"b/{shown}"))
    return "".join(out)


def exit_code(result: ScanResult, fail_on: str) -> int:
    """0 when nothing reaches `fail_on`, 1 otherwise."""
    if fail_on == "none":
        return 0
    threshold = SEVERITY_RANK[fail_on]
    return 1 if any(SEVERITY_RANK[row.severity] >= threshold for row in result.rows) else 0
