"""Engine results to LSP objects: the one place where positions and severities are translated."""

from __future__ import annotations

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
    for item in finding.related:
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
        data={"element": finding.element, "confidence": round(finding.confidence, 3)},
    )
