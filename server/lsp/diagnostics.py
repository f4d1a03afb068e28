"""Diagnostics: documents kept in sync incrementally, analyzed after a debounce, pushed or pulled.

Push (`textDocument/publishDiagnostics`) serves clients without pull support; clients that
announce `textDocument.diagnostic` pull, and get the analysis of exactly the version they see.

While the user types, each analysis re-checks only the edited functions and carries the rest
forward (engine/incremental.py); once typing pauses for `settleMs`, a full analysis settles the
class and module patterns and the clones, and is published (or pulled after a refresh request).
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import json
import threading

from lsprotocol import types

from cpt.engine.analysis import Analysis, AnalysisCancelled
from cpt.engine.document import Document, Snapshot
from cpt.engine.incremental import carry_forward, move_findings
from cpt.engine.languages import LANGUAGES, language_for_path
from cpt.engine.project import FileUnits
from cpt.engine.suppression import Suppression

from .clones import CloneInputs, Clones, adopt, clone_inputs, find_clones, shares_units
from .convert import WireCache, compact, lsp_range
from .server import CptProtocol, CptServer, RawJson, guarded
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
            schedule(ls, state, full=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded(server, "textDocument/didClose")
    def did_close(ls: CptServer, params: types.DidCloseTextDocumentParams) -> None:
        """Forget the document and clear its diagnostics."""
        state = ls.documents.pop(params.text_document.uri, None)
        if state is not None:
            _cancel_timers(state)
            _refresh_partners(ls, state, state.units)  # their copies here are gone
        if not _pulls(ls):
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


def _pulls(ls: CptServer) -> bool:
    capabilities = ls.client_capabilities.text_document
    return capabilities is not None and capabilities.diagnostic is not None


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
    _deliver(ls, state)


def _deliver(ls: CptServer, state: OpenDocument) -> None:
    """Publish the diagnostics, or let a pulling client know there are new ones to pull."""
    if not _pulls(ls):
        publish(ls, state.uri, diagnostics_of(ls, state), state.version)


def publish(ls: CptServer, uri: str, diagnostics: list[tuple[dict, str]],
            version: int | None = None) -> None:
    """Send `textDocument/publishDiagnostics`, joining the diagnostics' encoded texts."""
    versioned = f', "version": {int(version)}' if version is not None else ""
    protocol = ls.protocol
    assert isinstance(protocol, CptProtocol)
    protocol.send_raw(
        f'{{"jsonrpc": "2.0", "method": "{types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS}", '
        f'"params": {{"uri": {json.dumps(uri)}{versioned}, '
        f'"diagnostics": [{",".join(text for _, text in diagnostics)}]}}}}')


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
    for timer in (state.pending, state.settling):
        if timer is not None:
            timer.cancel()
    state.pending = state.settling = None
    if state.settle_cancel is not None:
        state.settle_cancel.set()
        state.settle_cancel = None


def _settle(ls: CptServer, state: OpenDocument) -> None:
    """Typing paused: analyze the whole file in the background; deliver what changed.

    The next keystroke cancels it (between two detectors), so typing never waits for a
    whole-file analysis; the analysis of that keystroke settles later in turn.
    """
    state.settling = None
    if ls.documents.get(state.uri) is not state or state.analysis is None or (
            state.analysis.settled and state.analysis.current_model):
        return
    if state.pending is not None:  # an edit waits for its own analysis: settle after it
        return
    ls.settings_cache.clear()
    settings = ls.settings_for(state.path)
    snapshot = state.document.snapshot()
    cancel = threading.Event()
    state.settle_cancel = cancel
    job = functools.partial(_settle_job, ls, snapshot, settings, clone_inputs(ls, state),
                            cancel.is_set)
    work = asyncio.get_running_loop().run_in_executor(ls.background, job)
    work.add_done_callback(functools.partial(_settled, ls, state, snapshot.version, settings,
                                             cancel))


def _settle_job(ls: CptServer, snapshot: Snapshot, settings, inputs: CloneInputs,
                cancelled) -> tuple[Analysis, Clones]:
    """The whole-file analysis and its clones (in the background thread)."""
    analysis = snapshot.analyze(ls.analyzer, settings, cancelled)
    return analysis, find_clones(ls, analysis, inputs, cancelled)


def _stop_settles(ls: CptServer) -> None:
    """A keystroke stops every settle under way (they hold the analysis lock it needs).

    The documents they belonged to settle again once typing pauses.
    """
    for other in ls.documents.values():
        if other.settle_cancel is not None:
            other.settle_cancel.set()
            other.settle_cancel = None
            _settle_later(ls, other)


def _settle_later(ls: CptServer, state: OpenDocument) -> None:
    if state.settling is not None:
        state.settling.cancel()
    loop = asyncio.get_running_loop()
    state.settling = loop.call_later(ls.options.settle_ms / 1000, _settle, ls, state)


def _settled(ls: CptServer, state: OpenDocument, version: int, settings, cancel, work) -> None:
    """Take the background analysis if nothing changed meanwhile (on the event loop)."""
    if state.settle_cancel is cancel:
        state.settle_cancel = None
    if cancel.is_set() or work.cancelled():
        return
    error = work.exception()
    if error is not None:
        if not isinstance(error, AnalysisCancelled):
            ls.log_once(f"settle:{state.uri}:{type(error).__name__}",
                        f"{state.path}: analysis failed: {type(error).__name__}: {error}")
        return
    if ls.documents.get(state.uri) is not state or state.document.version != version:
        return  # edited meanwhile: that edit's own settle follows
    before = _finding_keys(state)
    state.analyses += 1
    analysis, clones = work.result()
    _install(ls, state, analysis, settings, clones)
    if _finding_keys(state) != before:
        _announce(ls, state)


def _announce(ls: CptServer, state: OpenDocument) -> None:
    """New findings outside a keystroke: publish them, or ask a pulling client to pull."""
    if _pulls(ls):
        from .configuration import _refresh

        _refresh(ls, "diagnostics", ls.workspace_diagnostic_refresh)
    else:
        _deliver(ls, state)


def _refresh_partners(ls: CptServer, state: OpenDocument, before: FileUnits | None) -> None:
    """Find again the clones of the open documents that shared units with `state`'s.

    Opening, changing or closing a file changes its copies' findings too (the CLI reports both
    sides); each is found in the background from its last full analysis.
    """
    for other in ls.documents.values():
        if other is state or other.units is None or other.analysis is not other.model_analysis:
            continue  # typing in it: its own settle finds its clones
        if shares_units(state.units, other.units) or shares_units(before, other.units):
            analysis = other.model_analysis
            work = asyncio.get_running_loop().run_in_executor(
                ls.background, functools.partial(find_clones, ls, analysis,
                                                 clone_inputs(ls, other)))
            work.add_done_callback(functools.partial(_partner_refreshed, ls, other, analysis))


def _partner_refreshed(ls: CptServer, state: OpenDocument, analysis: Analysis, work) -> None:
    if work.cancelled():
        return
    error = work.exception()
    if error is not None:
        ls.log_once(f"clones:{type(error).__name__}",
                    f"{state.path}: clones not updated: {type(error).__name__}: {error}")
        return
    if ls.documents.get(state.uri) is not state or state.analysis is not analysis:
        return  # edited meanwhile
    before = _finding_keys(state)
    adopt(state, analysis, work.result())
    if _finding_keys(state) != before:
        state.analyses += 1  # a new pull result
        _announce(ls, state)


def _finding_keys(state: OpenDocument) -> set[tuple]:
    analysis = state.analysis
    if analysis is None:
        return set()
    return {(finding.element, finding.span.start_byte, finding.span.end_byte, finding.message,
             finding.severity) for finding in analysis.findings + state.project_findings}


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
        _stop_settles(ls)
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
    _install(ls, state, analysis, settings)


def _install(ls: CptServer, state: OpenDocument, analysis: Analysis, settings,
             clones: Clones | None = None) -> None:
    """Make a full analysis the document's current one, with its clones (found now if None)."""
    for error in analysis.errors:
        ls.log_once(error, error)
    if state.settling is not None:
        state.settling.cancel()
        state.settling = None
    if clones is None:
        clones = find_clones(ls, analysis, clone_inputs(ls, state))
    state.analysis = state.model_analysis = analysis
    state.settings = settings
    before = state.units
    adopt(state, analysis, clones)
    _refresh_partners(ls, state, before)
    release_memory()


def release_memory() -> None:
    """Give the memory a full analysis freed (its old syntax tree, ...) back to the system.

    glibc keeps freed blocks for reuse, so a long-lived server would otherwise hold on to the
    high-water mark of its largest analysis.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl)
        return None


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
        _settle_later(ls, state)


def diagnostics_of(ls: CptServer, state: OpenDocument) -> list[tuple[dict, str]]:
    """Every diagnostic of a document as (wire JSON object, its encoded text).

    Findings, clones, and unused suppressions.
    """
    analysis = state.analysis
    if analysis is None:
        return []
    encoding = ls.encoding
    lines = analysis.lines
    if state.wire is None:
        state.wire = WireCache()
    result = state.wire.convert(analysis.findings + state.project_findings, lines, encoding,
                                state.uri, _uri_of)
    settings = ls.settings_for(state.path)
    for suppression in analysis.suppressions:
        unused = _unused(suppression, ls, settings, state.path)
        if unused:
            span_range = _suppression_range(suppression, lines, encoding)
            hint = {
                "range": {"start": {"line": span_range.start.line,
                                    "character": span_range.start.character},
                          "end": {"line": span_range.end.line,
                                  "character": span_range.end.character}},
                "severity": int(types.DiagnosticSeverity.Hint), "source": "cpt",
                "code": "unused-suppression", "tags": [int(types.DiagnosticTag.Unnecessary)],
                "message": f"Unused suppression: nothing to ignore here ({unused}).",
            }
            result.append((hint, compact(hint)))
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
