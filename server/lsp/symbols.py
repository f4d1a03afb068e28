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
from .diagnostics import ensure_current, ensure_version
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
        """Find elements (id, symbol, name) and, from the index, functions and classes by name.

        Open documents answer with their current text; the index answers for the rest of the
        workspace once it is ready.
        """
        from .workspace_index import ready_reader

        wanted = {element.id for element in ls.catalog.find(params.query)}
        result = []
        for uri, state, analysis, finding in open_findings(ls):
            if finding.element in wanted:
                name, kind = symbol_name(ls, analysis, finding)
                result.append(types.WorkspaceSymbol(
                    name=name, kind=kind, container_name=Path(state.path).name,
                    location=types.Location(uri, lsp_range(finding.span, analysis.lines,
                                                           ls.encoding))))
        reader = ready_reader(ls)
        if reader is not None and params.query.strip():
            result.extend(indexed_symbols(ls, reader, params.query, wanted))
        return result


def current_findings(ls: CptServer, uri: str, model: bool = True,
                     ) -> tuple[OpenDocument, Analysis, list[Finding]] | None:
    """Return the open document, its current analysis and all its findings (clones too).

    `model`: the caller reads the code model too, which needs a full analysis; without it,
    findings carried forward over the latest edits will do.
    """
    state = ls.documents.get(uri)
    if state is None:
        return None
    if model:
        ensure_current(ls, state)
    else:
        ensure_version(ls, state)
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


MAX_INDEXED_SYMBOLS = 200


def indexed_symbols(ls: CptServer, reader, query: str, wanted: set[str]) -> list:
    """Symbols of files that are not open: element occurrences, then units named like `query`."""
    from pygls.uris import from_fs_path

    open_paths = {state.path for state in ls.documents.values()}
    wanted = wanted | set(reader.search_elements(query))

    def location(path: str, line: int, column: int, end_column: int) -> types.Location | None:
        absolute = str(reader.root / path)
        if absolute in open_paths:
            return None
        start = types.Position(line - 1, max(column - 1, 0))
        end = types.Position(line - 1, max(end_column - 1, column - 1, 0))
        return types.Location(from_fs_path(absolute) or absolute, types.Range(start, end))

    result = []
    for element_id in sorted(wanted):
        element = ls.catalog.get(element_id)
        if element is None:
            continue
        for found in reader.findings(element=element_id, limit=MAX_INDEXED_SYMBOLS):
            place = location(found.path, found.line, found.column,
                             found.end_column if found.end_line == found.line else found.column)
            if place is not None:
                result.append(types.WorkspaceSymbol(
                    name=f"{element.symbol} {element.name}: {found.message[:60]}",
                    kind=types.SymbolKind.Event, container_name=found.path, location=place))
    kinds = {"function": types.SymbolKind.Function, "interface": types.SymbolKind.Interface,
             "struct": types.SymbolKind.Struct}
    for unit in reader.search_units(query, limit=MAX_INDEXED_SYMBOLS):
        place = location(unit["path"], unit["line"], unit["column"], unit["end_column"])
        if place is not None:
            result.append(types.WorkspaceSymbol(
                name=unit["name"], kind=kinds.get(unit["kind"], types.SymbolKind.Class),
                container_name=unit["path"], location=place))
    return result[:MAX_INDEXED_SYMBOLS * 2]
