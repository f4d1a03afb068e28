"""Diagnostics: documents kept in sync incrementally, analyzed after a debounce, pushed or pulled.

Push (`textDocument/publishDiagnostics`) serves clients without pull support; clients that
announce `textDocument.diagnostic` pull, and get the analysis of exactly the version they see.
"""

from __future__ import annotations

import asyncio

from lsprotocol import types

from cpt.engine.analysis import Finding
from cpt.engine.document import Document
from cpt.engine.languages import LANGUAGES, language_for_path
from cpt.engine.project import analyze_project, file_units
from cpt.engine.suppression import Suppression

from .convert import lsp_range, to_diagnostic
from .server import CptServer, guarded
from .state import OpenDocument

LANGUAGE_IDS = {
    "python": "python", "javascript": "javascript", "javascriptreact": "javascript",
    "typescript": "typescript", "typescriptreact": "tsx", "java": "java", "go": "go",
}


def register(server: CptServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded(server, "textDocument/didOpen")
    def did_open(ls: CptServer, params: types.DidOpenTextDocumentParams) -> None:
        """Parse the document and analyze it at once (no debounce on open)."""
        item = params.text_document
        path = ls.path_of(item.uri)
        spec = LANGUAGES.get(LANGUAGE_IDS.get(item.language_id, "")) or language_for_path(
            path, item.text[:128].encode("utf-8", "replace"))
        if spec is None:
            return
        document = Document(b"", spec, ls.analyzer, path=path)
        state = OpenDocument(item.uri, path, document, item.version)
        ls.documents[item.uri] = state
        _load_text(ls, state, item.text)
        analyze_now(ls, state)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded(server, "textDocument/didChange")
    def did_change(ls: CptServer, params: types.DidChangeTextDocumentParams) -> None:
        """Apply each change to the kept tree, then analyze after the debounce."""
        state = ls.documents.get(params.text_document.uri)
        if state is None:
            return
        state.version = params.text_document.version
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                rng = change.range
                state.document.apply_change(rng.start.line, rng.start.character, rng.end.line,
                                            rng.end.character, change.text, ls.encoding)
            else:
                _load_text(ls, state, change.text)
        state.too_large = len(state.document.data) > ls.settings_for(state.path).max_file_size
        schedule(ls, state)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guarded(server, "textDocument/didSave")
    def did_save(ls: CptServer, params: types.DidSaveTextDocumentParams) -> None:
        """Config files may have changed: analyze again."""
        state = ls.documents.get(params.text_document.uri)
        if state is not None:
            schedule(ls, state)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded(server, "textDocument/didClose")
    def did_close(ls: CptServer, params: types.DidCloseTextDocumentParams) -> None:
        """Forget the document and clear its diagnostics."""
        state = ls.documents.pop(params.text_document.uri, None)
        if state is not None and state.pending is not None:
            state.pending.cancel()
        if not _pulls(ls):
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier="cpt", inter_file_dependencies=True,
                                workspace_diagnostics=True),
    )
    @guarded(server, "textDocument/diagnostic")
    def pull(ls: CptServer, params: types.DocumentDiagnosticParams):
        """Answer a pull with the analysis of the current version."""
        state = ls.documents.get(params.text_document.uri)
        if state is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        if state.analyzed_version != state.document.version:
            if state.pending is not None:
                state.pending.cancel()
            _analyze(ls, state)
        result_id = f"{state.document.version}.{state.analyses}"
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=diagnostics_of(ls, state),
                                                         result_id=result_id)


def _load_text(ls: CptServer, state: OpenDocument, text: str) -> None:
    max_size = ls.settings_for(state.path).max_file_size
    data = text.encode("utf-8", "replace")
    state.too_large = len(data) > max_size
    state.document.replace_all(data if not state.too_large else b"")
    if state.too_large:
        state.document.data = data  # keep the text in sync; do not parse or analyze it
        ls.log_once(f"large:{state.uri}", f"{state.path}: {len(data) / 1_048_576:.1f} MiB is "
                    f"over max-file-size ({max_size} bytes); not analyzed")


def _pulls(ls: CptServer) -> bool:
    capabilities = ls.client_capabilities.text_document
    return capabilities is not None and capabilities.diagnostic is not None


def schedule(ls: CptServer, state: OpenDocument) -> None:
    """Analyze after `debounceMs` of quiet; a newer edit replaces the waiting analysis."""
    if state.pending is not None:
        state.pending.cancel()
    delay = ls.options.debounce_ms / 1000
    if delay <= 0:
        analyze_now(ls, state)
        return
    loop = asyncio.get_running_loop()
    state.pending = loop.call_later(delay, analyze_now, ls, state)


def analyze_now(ls: CptServer, state: OpenDocument) -> None:
    """Analyze and, for clients that do not pull, publish."""
    state.pending = None
    if ls.documents.get(state.uri) is not state:
        return
    _analyze(ls, state)
    if not _pulls(ls):
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=state.uri, diagnostics=diagnostics_of(ls, state), version=state.version))


def ensure_current(ls: CptServer, state: OpenDocument) -> None:
    """Analyze now if an edit still waits for its debounce (hover, lenses and symbols need it)."""
    if state.analyzed_version != state.document.version:
        if state.pending is not None:
            state.pending.cancel()
        analyze_now(ls, state)


def _analyze(ls: CptServer, state: OpenDocument) -> None:
    document = state.document
    state.analyzed_version = document.version
    state.analyses += 1
    if state.too_large:
        state.analysis = None
        return
    ls.settings_cache.clear()  # configuration files are looked at again once per analysis
    settings = ls.settings_for(state.path)
    try:
        analysis = document.analyze(ls.analyzer, settings)
    except RecursionError:
        ls.log_once(f"deep:{state.uri}", f"{state.path}: nested too deeply to analyze")
        state.analysis = None
        return
    for error in analysis.errors:
        ls.log_once(error, error)
    state.analysis = analysis
    state.project_findings = _project_findings(ls, state)


def _project_findings(ls: CptServer, state: OpenDocument) -> list[Finding]:
    """Cross-unit findings (clones) of this document with the other open ones.

    Once the workspace index is ready, also with the indexed units that share a fingerprint or
    a sketch band.
    """
    from .workspace_index import ready_reader

    units = []
    for other in ls.documents.values():
        if other.analysis is None:
            continue
        if other.units is None or other.units_of is not other.analysis:
            other.units, other.units_of = file_units(other.analysis), other.analysis
        units.append(other.units)
    reader = ready_reader(ls)
    if reader is not None and state.units is not None:
        from cpt.server.index.project_pass import neighbour_units

        open_paths = {other.path for other in ls.documents.values()}
        units.extend(neighbour_units(reader.conn, reader.root, state.units.units, open_paths))
    found = analyze_project(units, ls.catalog, ls.settings_for)
    return found.get(state.path, [])


def diagnostics_of(ls: CptServer, state: OpenDocument) -> list[types.Diagnostic]:
    """Every diagnostic of a document: findings, clones, and unused suppressions."""
    analysis = state.analysis
    if analysis is None:
        return []
    encoding = ls.encoding
    lines = analysis.lines
    findings = analysis.findings + state.project_findings
    uri_of = _uri_of
    result = [to_diagnostic(finding, lines, encoding, state.uri, uri_of) for finding in findings]
    settings = ls.settings_for(state.path)
    for suppression in analysis.suppressions:
        unused = _unused(suppression, ls, settings, state.path)
        if unused:
            span_range = _suppression_range(suppression, lines, encoding)
            result.append(types.Diagnostic(
                range=span_range, severity=types.DiagnosticSeverity.Hint, source="cpt",
                code="unused-suppression", tags=[types.DiagnosticTag.Unnecessary],
                message=f"Unused suppression: nothing to ignore here ({unused}).",
            ))
    return result


def _unused(suppression: Suppression, ls: CptServer, settings, path: str) -> str:
    if suppression.ids is None:
        return "" if suppression.used else "cpt: ignore"
    unused = sorted(element_id for element_id in suppression.ids - suppression.used
                    if element_id in ls.catalog and settings.enabled(element_id, path))
    return ", ".join(unused)


def _suppression_range(suppression: Suppression, lines, encoding: str) -> types.Range:
    from cpt.engine.positions import Span

    return lsp_range(Span(suppression.start, suppression.end), lines, encoding)


def _uri_of(path: str) -> str:
    from pygls.uris import from_fs_path

    return from_fs_path(path) or path
