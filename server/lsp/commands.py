"""`workspace/executeCommand`: explain an element, the workspace's table, and a workspace scan.

The scan runs on the event loop one file at a time, yielding between files so that edits,
hovers and the client's cancellation keep being served while it runs.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path

from cpt.engine.catalog import GROUPS, PERIODS, Element
from cpt.engine.languages import LANGUAGES
from cpt.server.cards import card_markdown
from cpt.server.scan import read_source
from cpt.server.walk import Candidate, discover

from .convert import lsp_range, to_diagnostic
from .publish import pulls, uri_of
from .server import CptServer, guarded
from .symbols import current_findings, open_findings

EXPLAIN = "cpt.explain"
SHOW_TABLE = "cpt.showTable"
SCAN_WORKSPACE = "cpt.scanWorkspace"

# Occurrences of scanned files that are not open: uri -> [(element id, range)].
Occurrences = dict[str, list[tuple[str, types.Range]]]


def register(server: CptServer) -> None:
    scanned: Occurrences = {}

    @server.command(EXPLAIN)
    @guarded(server, EXPLAIN)
    def explain(ls: CptServer, *args) -> dict | None:
        """Return the card of an element (by id, symbol or name) as data and Markdown."""
        element = _element(ls, str(args[0]) if args else "")
        if element is None:
            ls.log(f"{EXPLAIN}: no element {args[0] if args else ''!r}",
                   types.MessageType.Warning)
            return None
        return {"card": element.to_card(),
                "markdown": card_markdown(element, comment=None, catalog=ls.catalog)}

    @server.command(SHOW_TABLE)
    @guarded(server, SHOW_TABLE)
    def show_table(ls: CptServer, *args) -> dict:
        """Return every element with its occurrences in open (and last scanned) files."""
        return workspace_table(ls, scanned)

    @server.command(SCAN_WORKSPACE)
    @guarded(server, SCAN_WORKSPACE)
    async def scan_workspace(ls: CptServer, *args) -> dict:
        """Analyze every file below the workspace root, with cancellable progress."""
        return await scan(ls, scanned)


def _element(ls: CptServer, text: str) -> Element | None:
    element = ls.catalog.get(text)
    if element is not None or not text.strip():
        return element
    matches = ls.catalog.find(text)
    exact = [m for m in matches if text.lower() in (m.symbol.lower(), m.name.lower())]
    matches = exact or matches
    return matches[0] if len(matches) == 1 else None


def _range_data(rng: types.Range) -> dict[str, Any]:
    return {"start": {"line": rng.start.line, "character": rng.start.character},
            "end": {"line": rng.end.line, "character": rng.end.character}}


def workspace_table(ls: CptServer, scanned: Occurrences) -> dict[str, Any]:
    """Return the workspace's periodic table as plain data a client can render.

    From the index once it is ready (open documents as the editor has them), the same data as
    `cpt table --format json`; before that from open and last scanned documents.
    """
    from .index_features import table_from_index
    from .workspace_index import ready_reader

    reader = ready_reader(ls)
    if reader is not None:
        return table_from_index(ls, reader)
    occurrences: dict[str, list[dict[str, Any]]] = {element.id: [] for element in ls.catalog}
    for uri, state, analysis, finding in open_findings(ls):
        if finding.element in occurrences:
            rng = lsp_range(finding.span, analysis.lines, ls.encoding)
            line, column = analysis.lines.human(*finding.span.start)
            occurrences[finding.element].append({
                "path": _shown(ls, state.path), "line": line, "column": column,
                "message": finding.message, "uri": uri, "range": _range_data(rng)})
    for uri, items in scanned.items():
        if uri in ls.documents:
            continue  # the open buffer is newer than the scan
        for element_id, rng in items:
            if element_id in occurrences:
                occurrences[element_id].append({"uri": uri, "range": _range_data(rng)})
    elements = sorted(ls.catalog, key=lambda e: (GROUPS.index(e.group), e.period, e.id))
    return {
        "groups": list(GROUPS),
        "periods": [{"period": number, "name": name} for number, name in PERIODS.items()],
        "elements": [{
            "id": element.id, "symbol": element.symbol, "name": element.name,
            "group": element.group, "period": element.period, "severity": element.severity,
            "summary": element.summary, "is_pattern": element.is_pattern,
            "count": len(occurrences[element.id]), "occurrences": occurrences[element.id],
        } for element in elements],
    }


async def scan(ls: CptServer, scanned: Occurrences) -> dict[str, Any]:
    """Bring the whole workspace's findings to the client; return {files, findings, ...}.

    With the index: refresh it (only changed files are analyzed) and publish every file's
    diagnostics for clients that do not pull them. Without: analyze each file here.
    """
    summary: dict[str, Any] = {"files": 0, "findings": 0, "skipped": 0, "cancelled": False,
                               "total": 0}
    if ls.root is None:
        return summary
    from .workspace_index import service

    index = service(ls)
    if index is not None and index.failed is None and not index.stopping:
        return await _scan_with_index(ls, index, summary)
    progress = _Progress(ls)
    await progress.begin()
    try:
        candidates = []
        for candidate in discover([ls.root]):
            candidates.append(candidate)
            if len(candidates) % 200 == 0:
                await asyncio.sleep(0)  # a large tree: keep serving while walking it
                if progress.cancelled:
                    break
        summary["total"] = len(candidates)
        publish = not pulls(ls)
        for done, candidate in enumerate(candidates):
            if progress.cancelled:
                summary["cancelled"] = True
                break
            progress.report(done, len(candidates), candidate.path)
            found = _analyze_file(ls, candidate, publish)
            if found is None:
                summary["skipped"] += 1
            else:
                uri, occurrences = found
                scanned[uri] = occurrences
                summary["files"] += 1
                summary["findings"] += len(occurrences)
            await asyncio.sleep(0)
    finally:
        progress.end(summary)
    return summary


def _analyze_file(ls: CptServer, candidate: Candidate, publish: bool
                  ) -> tuple[str, list[tuple[str, types.Range]]] | None:
    """Analyze one file (an open one is taken as the editor has it); None when skipped."""
    path = candidate.path
    uri = from_fs_path(str(path)) or path.as_uri()
    if uri in ls.documents:
        found = current_findings(ls, uri)
        if found is None:
            return None
        _state, analysis, findings = found
        return uri, [(f.element, lsp_range(f.span, analysis.lines, ls.encoding))
                     for f in findings]
    settings = ls.settings_for(str(path))
    if settings.excluded(path):
        return None
    data, reason = read_source(path, settings.max_file_size)
    if data is None:
        ls.log(f"{path}: not analyzed: {reason}", types.MessageType.Log)
        return None
    try:
        analysis = ls.analyzer.analyze(data, str(path), LANGUAGES[candidate.language], settings)
    except RecursionError:
        ls.log_once(f"deep:{uri}", f"{path}: nested too deeply to analyze")
        return None
    except Exception as error:  # one bad file must not end the scan
        ls.log_once(f"scan-failed:{uri}", f"{path}: analysis failed: {error!r}")
        return None
    for problem in analysis.errors:
        ls.log_once(problem, problem)
    if publish:
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=[to_diagnostic(f, analysis.lines, ls.encoding, uri, uri_of)
                                  for f in analysis.findings]))
    return uri, [(f.element, lsp_range(f.span, analysis.lines, ls.encoding))
                 for f in analysis.findings]


class _Progress:
    """Work-done progress of one scan, when the client shows progress; cancellable by it."""

    def __init__(self, ls: CptServer):
        self.ls = ls
        window = ls.client_capabilities.window
        self.token: str | None = (f"cpt-scan-{uuid.uuid4().hex}"
                                  if window is not None and window.work_done_progress else None)
        self._percentage = -1

    async def begin(self) -> None:
        if self.token is None:
            return
        try:
            await self.ls.work_done_progress.create_async(self.token)
        except Exception as error:  # the client refused: scan without progress
            self.ls.log(f"no progress for the scan: {error}", types.MessageType.Warning)
            self.token = None
            return
        self.ls.work_done_progress.begin(self.token, types.WorkDoneProgressBegin(
            title="cpt: scanning the workspace", cancellable=True, percentage=0))

    @property
    def cancelled(self) -> bool:
        future = self.ls.work_done_progress.tokens.get(self.token) if self.token else None
        return future is not None and future.cancelled()

    def report(self, done: int, total: int, path: Path | None) -> None:
        percentage = done * 100 // total if total else 100
        if self.token is None or percentage == self._percentage:
            return  # one report per percent is plenty
        self._percentage = percentage
        self.ls.work_done_progress.report(self.token, types.WorkDoneProgressReport(
            message=f"{done}/{total} {path.name if path else 'files'}", percentage=percentage,
            cancellable=True))

    def end(self, summary: dict[str, Any]) -> None:
        if self.token is None:
            return
        state = "cancelled" if summary["cancelled"] else "done"
        self.ls.work_done_progress.end(self.token, types.WorkDoneProgressEnd(
            message=f"{state}: {summary['files']} files, {summary['findings']} findings"))
        self.ls.work_done_progress.tokens.pop(self.token, None)


async def _scan_with_index(ls: CptServer, index, summary: dict[str, Any]) -> dict[str, Any]:
    from .index_features import indexed_diagnostics

    loop = asyncio.get_running_loop()
    progress = _Progress(ls)
    await progress.begin()
    done: asyncio.Future = loop.create_future()

    def report(count: int, total: int) -> None:
        loop.call_soon_threadsafe(progress.report, count, total, None)

    try:
        index.refresh_all(done, report, lambda: progress.cancelled)
        result = await done
        reader = index.reader
        if result is None or reader is None:
            summary["cancelled"] = progress.cancelled
            return summary
        summary["cancelled"] = result.cancelled or progress.cancelled
        summary["total"] = result.files
        summary["skipped"] = len(result.skipped)
        per_file = indexed_diagnostics(ls, reader)
        summary["files"] = reader.file_count()
        summary["findings"] = sum(len(items) for _, items in per_file)
        for uri in list(ls.documents):
            found = current_findings(ls, uri)
            summary["findings"] += len(found[2]) if found is not None else 0
        if not pulls(ls):
            for uri, diagnostics in per_file:
                ls.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))
    finally:
        progress.end(summary)
    return summary


def _shown(ls: CptServer, path: str) -> str:
    """A path relative to the workspace root, as `cpt table` prints it."""
    if ls.root is None:
        return path
    try:
        return Path(path).resolve().relative_to(ls.root.resolve()).as_posix()
    except ValueError:
        return path
