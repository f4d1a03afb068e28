"""Outline and workspace symbols: the pattern roles and smells found, named after where they are.

`textDocument/documentSymbol` lists every finding of a file as `Sg Singleton: Config`;
`workspace/symbol` finds elements by id, symbol or name across the open documents.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from cpt.engine.analysis import Analysis, Finding
from cpt.engine.model import Class, Function, Module
from cpt.engine.positions import Span

from .convert import lsp_range
from .diagnostics import ensure_current
from .server import CptServer, guarded
from .state import OpenDocument

_CLASS_KINDS = {"interface": types.SymbolKind.Interface, "struct": types.SymbolKind.Struct}


def register(server: CptServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded(server, "textDocument/documentSymbol", empty=[])
    def document_symbols(ls: CptServer, params: types.DocumentSymbolParams):
        """List every finding of the document for the outline."""
        found = current_findings(ls, params.text_document.uri)
        if found is None:
            return []
        _state, analysis, findings = found
        return [_document_symbol(ls, analysis, finding) for finding in findings]

    @server.feature(types.WORKSPACE_SYMBOL)
    @guarded(server, "workspace/symbol", empty=[])
    def workspace_symbols(ls: CptServer, params: types.WorkspaceSymbolParams):
        """Find the elements matching the query (id, symbol, name) in open documents."""
        wanted = {element.id for element in ls.catalog.find(params.query)}
        result = []
        for uri, state, analysis, finding in open_findings(ls):
            if finding.element in wanted:
                name, kind = symbol_name(ls, analysis, finding)
                result.append(types.WorkspaceSymbol(
                    name=name, kind=kind, container_name=Path(state.path).name,
                    location=types.Location(uri, lsp_range(finding.span, analysis.lines,
                                                           ls.encoding))))
        return result


def current_findings(ls: CptServer, uri: str
                     ) -> tuple[OpenDocument, Analysis, list[Finding]] | None:
    """Return the open document, its current analysis and all its findings (clones too)."""
    state = ls.documents.get(uri)
    if state is None:
        return None
    ensure_current(ls, state)
    if state.analysis is None:
        return None
    findings = sorted(state.analysis.findings + state.project_findings,
                      key=lambda finding: (finding.span.start_byte, finding.element))
    return state, state.analysis, findings


def open_findings(ls: CptServer):
    """Every current finding of every open document, with its document and analysis."""
    for uri in list(ls.documents):
        found = current_findings(ls, uri)
        if found is not None:
            state, analysis, findings = found
            for finding in findings:
                yield uri, state, analysis, finding


def declaration_of(module: Module, span: Span) -> Class | Function | None:
    """Return the class or function a finding is reported on (its name or extent)."""
    for item in [*module.classes, *module.functions]:
        if span in (item.name_span, item.span):
            return item
    return None


def enclosing(module: Module, span: Span) -> Class | Function | None:
    """Return the innermost class or function holding a span."""
    best: Class | Function | None = None
    for item in [*module.classes, *module.functions]:
        if item.span.start_byte <= span.start_byte and span.end_byte <= item.span.end_byte:
            if best is None or item.span.start_byte >= best.span.start_byte:
                best = item
    return best


def symbol_name(ls: CptServer, analysis: Analysis,
                finding: Finding) -> tuple[str, types.SymbolKind]:
    """Name a finding `Sg Singleton: Config` and give the symbol kind of what it sits on."""
    element = ls.catalog.get(finding.element)
    title = f"{finding.symbol} {element.name if element else finding.element}"
    declaration = declaration_of(analysis.module, finding.span)
    if isinstance(declaration, Class):
        return f"{title}: {declaration.name}", _CLASS_KINDS.get(declaration.kind,
                                                                types.SymbolKind.Class)
    if isinstance(declaration, Function):
        kind = (types.SymbolKind.Constructor if declaration.is_constructor
                else types.SymbolKind.Method if declaration.is_method
                else types.SymbolKind.Function)
        return f"{title}: {declaration.qualified_name}", kind
    # A statement or expression: named after the code around it.
    around = enclosing(analysis.module, finding.span)
    where = (around.qualified_name if isinstance(around, Function)
             else around.name if around is not None else Path(analysis.path).name)
    return f"{title}: {where}", types.SymbolKind.Event


def _document_symbol(ls: CptServer, analysis: Analysis, finding: Finding) -> types.DocumentSymbol:
    name, kind = symbol_name(ls, analysis, finding)
    rng = lsp_range(finding.span, analysis.lines, ls.encoding)
    return types.DocumentSymbol(name=name, kind=kind, range=rng, selection_range=rng,
                                detail=finding.message)
