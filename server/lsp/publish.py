"""Sending an open document's diagnostics: pushed as cached JSON, or announced to a pulling client.

Hundreds of diagnostics go out per keystroke, so each is kept as encoded JSON (`WireCache`) and a
publish joins texts instead of building protocol objects.
"""

from __future__ import annotations

import json

from lsprotocol import types

from cpt.engine.suppression import Suppression

from .convert import WireCache, compact, lsp_range
from .server import CptProtocol, CptServer
from .state import OpenDocument


def pulls(ls: CptServer) -> bool:
    """Whether the client pulls diagnostics (then it is told to pull instead of sent them)."""
    capabilities = ls.client_capabilities.text_document
    return capabilities is not None and capabilities.diagnostic is not None


def deliver(ls: CptServer, state: OpenDocument) -> None:
    """Publish the diagnostics, or let a pulling client know there are new ones to pull."""
    if not pulls(ls):
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
                                state.uri, uri_of)
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


def uri_of(path: str) -> str:
    from pygls.uris import from_fs_path

    return from_fs_path(path) or path
