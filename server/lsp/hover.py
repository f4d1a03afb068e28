"""Hover: the element card of each finding under the cursor, or of the pattern a name plays."""

from __future__ import annotations

from lsprotocol import types

from cpt.engine.analysis import Analysis, Finding
from cpt.engine.positions import Span
from cpt.server.cards import card_markdown

from .convert import lsp_range
from .server import CptServer, guarded
from .symbols import current_findings, declaration_of

RULE = "\n\n---\n\n"


def register(server: CptServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded(server, "textDocument/hover")
    def hover(ls: CptServer, params: types.HoverParams) -> types.Hover | None:
        """One card per finding at the position, separated by a rule."""
        found = current_findings(ls, params.text_document.uri)
        if found is None:
            return None
        _state, analysis, findings = found
        offset = analysis.lines.offset_of_position(params.position.line,
                                                   params.position.character, ls.encoding)
        here = findings_at(analysis, findings, offset, ls)
        if not here:
            return None
        cards = []
        for finding in here:
            element = ls.catalog.get(finding.element)
            if element is not None:
                cards.append(card_markdown(element, finding, analysis.spec.line_comment,
                                           ls.catalog) + _elsewhere(ls, element, finding,
                                                                     analysis))
        if not cards:
            return None
        span = Span(min(finding.span.start_byte for finding in here),
                    max(finding.span.end_byte for finding in here))
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=RULE.join(cards)),
            range=lsp_range(span, analysis.lines, ls.encoding))


def findings_at(analysis: Analysis, findings: list[Finding], offset: int,
                ls: CptServer) -> list[Finding]:
    """Select findings whose range holds `offset`, and patterns whose name holds it."""
    result = []
    for finding in findings:
        span = finding.span
        if span.start_byte <= offset <= span.end_byte:
            result.append(finding)
            continue
        element = ls.catalog.get(finding.element)
        if element is None or not element.is_pattern:
            continue
        declaration = declaration_of(analysis.module, span)
        if declaration is not None and (declaration.name_span.start_byte <= offset
                                        <= declaration.name_span.end_byte):
            result.append(finding)
    return result


def _elsewhere(ls: CptServer, element, finding: Finding, analysis: Analysis) -> str:
    """`3 other Singletons in this workspace: a.py:3, ...` from the index, when it is ready."""
    from .index_features import other_occurrences

    line = analysis.lines.human(*finding.span.start)[0]
    count, places = other_occurrences(ls, element.id, analysis.path, line)
    if not count:
        return ""
    shown = ", ".join(f"`{place}`" for place in places)
    more = f" and {count - len(places)} more" if count > len(places) else ""
    return f"\n\n{count} other {element.name} occurrence(s) in this workspace: {shown}{more}"
