"""Whole-file work in the background: settles after typing pauses, and clones of partner files.

Typing analyzes only the edited functions (diagnostics.py). Once the user pauses for `settleMs`
in every document, not just this one, a full analysis settles the class and module patterns and
the clones, in the one background thread. Background work waits for that quiet because
tree-sitter holds the GIL while it matches: started between two keystrokes, it would slow the
next one down however soon it is told to stop. A keystroke stops whatever runs anyway (ADR 8).
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import threading
from typing import Any

from cpt.engine.analysis import Analysis, AnalysisCancelled
from cpt.engine.document import Snapshot
from cpt.engine.project import FileUnits

from .clones import CloneInputs, Clones, adopt, clone_inputs, find_clones, shares_units
from .publish import deliver, pulls
from .server import CptServer
from .state import OpenDocument


def note_activity(ls: CptServer) -> None:
    """A document was opened, changed or closed: background work waits for a pause again."""
    ls.last_activity = asyncio.get_running_loop().time()


def _quiet_in(ls: CptServer) -> float:
    """Seconds until no document has changed for `settleMs` (0 when that is now)."""
    quiet_at = ls.last_activity + ls.options.settle_ms / 1000
    return max(0.0, quiet_at - asyncio.get_running_loop().time())


def settle(ls: CptServer, state: OpenDocument) -> None:
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
    wait = _quiet_in(ls)
    if wait > 0:  # typing goes on in another document
        state.settling = asyncio.get_running_loop().call_later(wait, settle, ls, state)
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


def stop_settles(ls: CptServer) -> None:
    """A keystroke stops all background work under way (it holds the GIL and the analysis lock).

    Each stopped settle or clone refresh runs again once typing pauses.
    """
    for other in ls.documents.values():
        if other.settle_cancel is not None:
            other.settle_cancel.set()
            other.settle_cancel = None
            settle_later(ls, other)
        if other.clones_cancel is not None:
            other.clones_cancel.set()
            other.clones_cancel = None
            _refresh_clones_later(ls, other)


def settle_later(ls: CptServer, state: OpenDocument) -> None:
    """Settle the document after `settleMs` (or later, while typing goes on elsewhere)."""
    if state.settling is not None:
        state.settling.cancel()
    loop = asyncio.get_running_loop()
    state.settling = loop.call_later(ls.options.settle_ms / 1000, settle, ls, state)


def _settled(ls: CptServer, state: OpenDocument, version: int, settings, cancel, work) -> None:
    """Take the background analysis if nothing changed meanwhile (on the event loop)."""
    if state.settle_cancel is cancel:
        state.settle_cancel = None
    result = _finished(ls, state, cancel, work, "analysis failed")
    if result is None:
        return
    if ls.documents.get(state.uri) is not state or state.document.version != version:
        return  # edited meanwhile: that edit's own settle follows
    before = _finding_keys(state)
    state.analyses += 1
    analysis, clones = result
    install(ls, state, analysis, settings, clones)
    if _finding_keys(state) != before:
        announce(ls, state)


def _finished(ls: CptServer, state: OpenDocument, cancel: threading.Event, work,
              failure: str) -> Any:
    """What background work returned, or None: a keystroke stopped it, or it failed (logged).

    Stopped work runs again once typing pauses; a failure is logged once, as `failure`.
    """
    if cancel.is_set() or work.cancelled():
        return None
    error = work.exception()
    if error is None:
        return work.result()
    if not isinstance(error, AnalysisCancelled):
        ls.log_once(f"{failure}:{state.uri}:{type(error).__name__}",
                    f"{state.path}: {failure}: {type(error).__name__}: {error}")
    return None


def announce(ls: CptServer, state: OpenDocument) -> None:
    """New findings outside a keystroke: publish them, or ask a pulling client to pull."""
    if pulls(ls):
        from .configuration import _refresh

        _refresh(ls, "diagnostics", ls.workspace_diagnostic_refresh)
    else:
        deliver(ls, state)


def refresh_partners(ls: CptServer, state: OpenDocument, before: FileUnits | None) -> None:
    """Find again, once typing pauses, the clones of the open documents sharing units with `state`.

    Opening, changing or closing a file changes its copies' findings too (the CLI reports both
    sides); each is found in the background from its last full analysis.
    """
    for other in ls.documents.values():
        if other is state or other.units is None or other.analysis is not other.model_analysis:
            continue  # typing in it: its own settle finds its clones
        if shares_units(state.units, other.units) or shares_units(before, other.units):
            _refresh_clones_later(ls, other)


def _refresh_clones_later(ls: CptServer, state: OpenDocument) -> None:
    if state.clones_refresh is not None:
        state.clones_refresh.cancel()
    state.clones_refresh = asyncio.get_running_loop().call_later(
        _quiet_in(ls), _refresh_clones, ls, state)


def _refresh_clones(ls: CptServer, state: OpenDocument) -> None:
    state.clones_refresh = None
    if ls.documents.get(state.uri) is not state or state.units is None or (
            state.analysis is not state.model_analysis):
        return  # closed, or typed in since: its own settle finds its clones
    if _quiet_in(ls) > 0:
        _refresh_clones_later(ls, state)
        return
    analysis = state.model_analysis
    cancel = threading.Event()
    state.clones_cancel = cancel
    work = asyncio.get_running_loop().run_in_executor(
        ls.background, functools.partial(find_clones, ls, analysis, clone_inputs(ls, state),
                                         cancel.is_set))
    work.add_done_callback(functools.partial(_partner_refreshed, ls, state, analysis, cancel))


def _partner_refreshed(ls: CptServer, state: OpenDocument, analysis: Analysis,
                       cancel: threading.Event, work) -> None:
    if state.clones_cancel is cancel:
        state.clones_cancel = None
    clones = _finished(ls, state, cancel, work, "clones not updated")
    if clones is None:
        return
    if ls.documents.get(state.uri) is not state or state.analysis is not analysis:
        return  # edited meanwhile
    before = _finding_keys(state)
    adopt(state, analysis, clones)
    if _finding_keys(state) != before:
        state.analyses += 1  # a new pull result
        announce(ls, state)


def _finding_keys(state: OpenDocument) -> set[tuple]:
    analysis = state.analysis
    if analysis is None:
        return set()
    return {(finding.element, finding.span.start_byte, finding.span.end_byte, finding.message,
             finding.severity) for finding in analysis.findings + state.project_findings}


def install(ls: CptServer, state: OpenDocument, analysis: Analysis, settings,
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
    refresh_partners(ls, state, before)
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
