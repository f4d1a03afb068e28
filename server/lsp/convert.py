"""Engine results to LSP objects: the one place where positions and severities are translated."""

from __future__ import annotations

import json
from typing import Any

from lsprotocol import types

from cpt.engine.analysis import Finding
from cpt.engine.positions import LineIndex, Span

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}
SOURCE = "cpt"
DOCS_URL = "https://github.com/code-periodic-table/cpt/blob/main/docs/elements/{id}.md"
# Related places shown per diagnostic: the ones a finding's message names first (the first
# copies of a clone, ...). Generated code can have dozens; listing them all in every diagnostic
# made each keystroke's publish hundreds of kilobytes for editors to parse.
MAX_RELATED = 3
# Elements whose findings mark code that never runs: editors fade it out.
UNNECESSARY = frozenset({"unreachable-code", "dead-code", "unused-suppression"})


def lsp_range(span: Span, lines: LineIndex, encoding: str) -> types.Range:
    """The LSP range of a byte span in a document, in the negotiated encoding."""
    start_line, start_character = lines.position_of(span.start_byte, encoding)
    end_line, end_character = lines.position_of(span.end_byte, encoding)
    return types.Range(types.Position(start_line, start_character),
                       types.Position(end_line, end_character))


def to_diagnostic(finding: Finding, lines: LineIndex, encoding: str, uri: str,
                  uri_of=None) -> types.Diagnostic:
    """One finding as a diagnostic: code = element id, source = cpt, related places attached."""
    related = []
    for item in finding.related[:MAX_RELATED]:
        if item.path is None:
            location = types.Location(uri, lsp_range(item.span, lines, encoding))
        elif uri_of is not None:
            start = types.Position(max(item.line - 1, 0), max(item.column - 1, 0))
            end = types.Position(max(item.end_line - 1, 0), max(item.end_column - 1, 0))
            location = types.Location(uri_of(item.path), types.Range(start, end))
        else:
            continue
        related.append(types.DiagnosticRelatedInformation(location, item.message))
    return types.Diagnostic(
        range=lsp_range(finding.span, lines, encoding),
        message=f"{finding.symbol} {finding.message}",
        severity=SEVERITY[finding.severity],
        code=finding.element,
        code_description=types.CodeDescription(href=DOCS_URL.format(id=finding.element)),
        source=SOURCE,
        tags=[types.DiagnosticTag.Unnecessary] if finding.element in UNNECESSARY else None,
        related_information=related or None,
    )


def to_wire(finding: Finding, lines: LineIndex, encoding: str, uri: str, uri_of=None,
            ) -> dict[str, Any]:
    """`to_diagnostic` as the JSON it becomes, built directly.

    The edit path sends hundreds of diagnostics per keystroke; building protocol objects to
    serialize them costs more than the analysis.
    """
    related = []
    for item in finding.related[:MAX_RELATED]:
        if item.path is None:
            location = {"uri": uri, "range": _wire_range(item.span, lines, encoding)}
        elif uri_of is not None:
            location = {"uri": uri_of(item.path), "range": human_range(
                item.line, item.column, item.end_line, item.end_column)}
        else:
            continue
        related.append({"location": location, "message": item.message})
    return wire_diagnostic(_wire_range(finding.span, lines, encoding),
                           f"{finding.symbol} {finding.message}", finding.severity,
                           finding.element, related)


def wire_diagnostic(rng: dict[str, Any], message: str, severity: str, element: str,
                    related: list[dict[str, Any]]) -> dict[str, Any]:
    """A diagnostic as JSON from its parts, as open documents and the index both show them."""
    wire: dict[str, Any] = {
        "range": rng,
        "message": message,
        "severity": int(SEVERITY[severity]),
        "code": element,
        "codeDescription": {"href": DOCS_URL.format(id=element)},
        "source": SOURCE,
    }
    if element in UNNECESSARY:
        wire["tags"] = [int(types.DiagnosticTag.Unnecessary)]
    if related:
        wire["relatedInformation"] = related
    return wire


def human_range(line: int, column: int, end_line: int, end_column: int) -> dict[str, Any]:
    """A range from 1-based lines and columns (stored positions of other files)."""
    return {"start": {"line": max(line - 1, 0), "character": max(column - 1, 0)},
            "end": {"line": max(end_line - 1, 0), "character": max(end_column - 1, 0)}}


def _wire_range(span: Span, lines: LineIndex, encoding: str) -> dict[str, Any]:
    start_line, start_character = lines.position_of(span.start_byte, encoding)
    end_line, end_character = lines.position_of(span.end_byte, encoding)
    return {"start": {"line": start_line, "character": start_character},
            "end": {"line": end_line, "character": end_character}}


class WireCache:
    """The diagnostics last sent for one document, reused for findings that did not change.

    A finding carried over an edit unchanged is the same object; one moved by whole rows says so
    (`Finding.moved_from`), and its diagnostic is the old one with its rows shifted. Each is kept
    as JSON too, so that an unchanged diagnostic is not encoded again.
    """

    def __init__(self) -> None:
        self._last: dict[int, tuple[Finding, dict[str, Any], str]] = {}
        self._key: tuple[str, str] | None = None

    def convert(self, findings: list[Finding], lines: LineIndex, encoding: str, uri: str,
                uri_of=None) -> list[tuple[dict[str, Any], str]]:
        """Every finding as (wire JSON object, its encoded text), from the cache where possible."""
        if self._key != (encoding, uri):
            self._last, self._key = {}, (encoding, uri)
        last = self._last
        current: dict[int, tuple[Finding, dict[str, Any], str]] = {}
        result = []
        for finding in findings:
            entry = last.get(id(finding))
            if entry is None or entry[0] is not finding:
                entry = None
                if finding.moved_from is not None:
                    source, shifts = finding.moved_from
                    origin = source()
                    known = last.get(id(origin)) if origin is not None else None
                    if known is not None and known[0] is origin:
                        shifts = [(row, rows) for row, rows in shifts if rows]
                        entry = (finding, known[1], known[2]) if not shifts else _encoded(
                            finding, _shifted(known[1], shifts, uri))
                if entry is None:
                    entry = _encoded(finding, to_wire(finding, lines, encoding, uri, uri_of))
            current[id(finding)] = entry
            result.append((entry[1], entry[2]))
        self._last = current
        return result


def _encoded(finding: Finding, wire: dict[str, Any]) -> tuple[Finding, dict[str, Any], str]:
    return finding, wire, compact(wire)


def compact(value: Any) -> str:
    """JSON without spaces: every byte of a diagnostic is sent again on each keystroke."""
    return json.dumps(value, separators=(",", ":"))


def _shifted(wire: dict[str, Any], shifts: list[tuple[int, int]], uri: str) -> dict[str, Any]:
    result = dict(wire)
    result["range"] = _shift_range(wire["range"], shifts)
    if "relatedInformation" in wire:
        result["relatedInformation"] = [
            item if item["location"]["uri"] != uri else {
                "location": {"uri": uri, "range": _shift_range(item["location"]["range"],
                                                               shifts)},
                "message": item["message"]}
            for item in wire["relatedInformation"]]
    return result


def _shift_range(rng: dict[str, Any], shifts: list[tuple[int, int]]) -> dict[str, Any]:
    start, end = rng["start"], rng["end"]
    return {"start": {"line": _shift_line(start["line"], shifts), "character": start["character"]},
            "end": {"line": _shift_line(end["line"], shifts), "character": end["character"]}}


def _shift_line(line: int, shifts: list[tuple[int, int]]) -> int:
    for row, rows in shifts:  # each edit's rows after `row` moved by `rows`
        if line > row:
            line += rows
    return line
