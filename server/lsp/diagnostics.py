"""Diagnostics: documents kept in sync incrementally, analyzed after a debounce, pushed or pulled.

Push (`textDocument/publishDiagnostics`) serves clients without pull support; clients that
announce `textDocument.diagnostic` pull, and get the analysis of exactly the version they see.

While the user types, each analysis re-checks only the edited functions and carries the rest
forward (engine/incremental.py); once typing pauses for `settleMs`, a full analysis settles the
class and module patterns and the clones, and is published (or pulled after a refresh request);
that background work lives in settle.py, sending the diagnostics in publish.py.
"""

from __future__ import annotations

import asyncio
import json

from lsprotocol import types

from cpt.engine.document import Document
from cpt.engine.incremental import carry_forward, move_findings
from cpt.engine.languages import LANGUAGES, language_for_path

from .publish import deliver, diagnostics_of, publish, pulls
from .server import CptServer, RawJson, guarded
from .settle import install, note_activity, refresh_partners, settle_later, stop_settles
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
        note_activity(ls)

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
        note_activity(ls)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guarded(server, "textDocument/didSave")
    def did_save(ls: CptServer, params: types.DidSaveTextDocumentParams) -> None:
        """Config files may have changed: analyze again."""
        state = ls.documents.get(params.text_document.uri)
        if state is not None:
            schedule(ls, state, full=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded(server, "textDocument/didClose")
    def did_close(ls: CptServer, params: types.DidCloseTextDocumentParams) -> None:
        """Forget the document and clear its diagnostics."""
        state = ls.documents.pop(params.text_document.uri, None)
        if state is not None:
            _cancel_timers(state)
            note_activity(ls)
            refresh_partners(ls, state, state.units)  # their copies here are gone
        if not pulls(ls):
            publish(ls, params.text_document.uri, [])

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
                state.pending = None
            _analyze(ls, state)
        result_id = f"{state.document.version}.{state.analyses}"
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        # Already JSON: protocol objects would cost more to build and encode than the analysis.
        items = ",".join(text for _, text in diagnostics_of(ls, state))
        return RawJson(f'{{"kind": "full", "resultId": {json.dumps(result_id)}, '
                       f'"items": [{items}]}}')


def _load_text(ls: CptServer, state: OpenDocument, text: str) -> None:
    max_size = ls.settings_for(state.path).max_file_size
    data = text.encode("utf-8", "replace")
    state.too_large = len(data) > max_size
    state.document.replace_all(data if not state.too_large else b"")
    if state.too_large:
        state.document.data = data  # keep the text in sync; do not parse or analyze it
        ls.log_once(f"large:{state.uri}", f"{state.path}: {len(data) / 1_048_576:.1f} MiB is "
                    f"over max-file-size ({max_size} bytes); not analyzed")


def schedule(ls: CptServer, state: OpenDocument, full: bool = False) -> None:
    """Analyze after `debounceMs` of quiet; a newer edit replaces the waiting analysis."""
    if state.pending is not None:
        state.pending.cancel()
    delay = ls.options.debounce_ms / 1000
    if delay <= 0:
        analyze_now(ls, state, full)
        return
    loop = asyncio.get_running_loop()
    state.pending = loop.call_later(delay, analyze_now, ls, state, full)


def analyze_now(ls: CptServer, state: OpenDocument, full: bool = False) -> None:
    """Analyze and, for clients that do not pull, publish."""
    state.pending = None
    if ls.documents.get(state.uri) is not state:
        return
    _analyze(ls, state, full)
    deliver(ls, state)


def ensure_current(ls: CptServer, state: OpenDocument) -> None:
    """Analyze the whole file now unless that was done for this version.

    Hover, symbols and code actions read the code model, which only a full analysis has.
    """
    analysis = state.analysis
    if state.analyzed_version != state.document.version or (
            analysis is not None and not analysis.current_model):
        _cancel_timers(state)
        analyze_now(ls, state, full=True)


def ensure_version(ls: CptServer, state: OpenDocument) -> None:
    """Analyze now if an edit waits for its debounce; findings carried forward will do."""
    if state.analyzed_version != state.document.version:
        if state.pending is not None:
            state.pending.cancel()
        analyze_now(ls, state)  # clears `pending`


def _cancel_timers(state: OpenDocument) -> None:
    for timer in (state.pending, state.settling, state.clones_refresh):
        if timer is not None:
            timer.cancel()
    state.pending = state.settling = state.clones_refresh = None
    for cancel in (state.settle_cancel, state.clones_cancel):
        if cancel is not None:
            cancel.set()
    state.settle_cancel = state.clones_cancel = None


def _analyze(ls: CptServer, state: OpenDocument, full: bool = False) -> None:
    document = state.document
    previous = state.analysis
    if state.settle_cancel is not None:  # a background settle of an older version: stop it
        state.settle_cancel.set()
        state.settle_cancel = None
    state.analyzed_version = document.version
    state.analyses += 1
    if state.too_large:
        state.analysis = state.model_analysis = None
        return
    typing = not full and previous is not None and state.settings is not None
    if typing:
        stop_settles(ls)
        # Configuration files are read again by the full analysis after the pause.
        settings = state.settings
    else:
        ls.settings_cache.clear()  # configuration files are looked at again once per analysis
        settings = ls.settings_for(state.path)
    try:
        if typing:
            carried = _carry(ls, state, previous, settings)
            if carried is not None:
                _carried(ls, state, previous, carried)
                return
        analysis = document.analyze(ls.analyzer, settings)
    except RecursionError:
        ls.log_once(f"deep:{state.uri}", f"{state.path}: nested too deeply to analyze")
        state.analysis = state.model_analysis = None
        return
    install(ls, state, analysis, settings)


def _carry(ls: CptServer, state: OpenDocument, previous, settings):
    """The analysis carried forward over the latest edits, or None for a full analysis."""
    try:
        return carry_forward(previous, state.document, ls.analyzer, settings)
    except RecursionError:
        raise
    except Exception as error:  # a bug on the fast path must not cost the diagnostics
        ls.log_once(f"carry:{type(error).__name__}",
                    f"{state.path}: analyzing the whole file after an edit: "
                    f"{type(error).__name__}: {error}")
        return None


def _carried(ls: CptServer, state: OpenDocument, previous, carried) -> None:
    """Take an analysis carried forward; settle it with a full one when typing pauses."""
    for error in carried.errors:
        ls.log_once(error, error)
    edits = state.document.log.edits_since(previous.version) or []
    state.project_findings = move_findings(state.project_findings, edits)
    state.analysis = carried
    if state.settling is not None:
        state.settling.cancel()
        state.settling = None
    if not (carried.settled and carried.current_model):
        settle_later(ls, state)
