"""What the workspace index adds to the editor.

Workspace diagnostics, workspace-wide symbols, counts in hovers and lenses, and the table and
scan commands answered from the index.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path

from cpt.engine.config import Settings

from .convert import (
    DOCS_URL,
    MAX_RELATED,
    SEVERITY,
    SOURCE,
    UNNECESSARY,
    compact,
    human_range,
    wire_diagnostic,
)
from .server import CptServer, RawJson, guarded
from .workspace_index import ready_reader, service, start


def register(server: CptServer) -> None:
    from .configuration import _after

    @guarded(server, "initialized (index)")
    async def initialized(ls: CptServer, params: types.InitializedParams) -> None:
        await start(ls)

    @guarded(server, "textDocument/didSave (index)")
    def did_save(ls: CptServer, params: types.DidSaveTextDocumentParams) -> None:
        paths = [Path(ls.path_of(params.text_document.uri))]
        if not team_elements_changed(ls, paths):
            found = service(ls)
            if found is not None:
                found.files_changed(paths)

    @guarded(server, "workspace/didChangeWatchedFiles (index)")
    def did_change_watched_files(ls: CptServer, params: types.DidChangeWatchedFilesParams) -> None:
        paths = [Path(ls.path_of(event.uri)) for event in params.changes]
        if not team_elements_changed(ls, paths):
            found = service(ls)
            if found is not None:
                found.files_changed(paths)

    @guarded(server, "shutdown (index)")
    def shutdown(ls: CptServer, params: Any) -> None:
        found = service(ls)
        if found is not None:
            found.stop()

    _after(server, types.INITIALIZED, initialized)
    _after(server, types.TEXT_DOCUMENT_DID_SAVE, did_save)
    _after(server, types.WORKSPACE_DID_CHANGE_WATCHED_FILES, did_change_watched_files)
    _after(server, types.SHUTDOWN, shutdown)

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    @guarded(server, "workspace/diagnostic")
    async def workspace_diagnostic(ls: CptServer, params: types.WorkspaceDiagnosticParams
                                   ) -> types.WorkspaceDiagnosticReport | RawJson:
        """Every indexed file's findings, for files not open in the editor.

        The document pull serves open ones; result ids the client already has get unchanged
        reports.
        """
        reader = ready_reader(ls)
        if reader is None:
            return RawJson('{"items":[]}')
        previous = {item.uri: item.value for item in params.previous_result_ids or []}

        def build() -> RawJson:
            items: list[str] = []
            for uri, findings in indexed_findings(ls, reader):
                result_id = _result_id(findings)
                if previous.get(uri) == result_id:
                    items.append(compact({"kind": "unchanged", "uri": uri,
                                          "resultId": result_id, "version": None}))
                elif findings or uri in previous:
                    diagnostics = ",".join(
                        compact(to_wire_indexed(found, reader.root, severity, symbol))
                        for found, severity, symbol in findings)
                    items.append(f'{{"kind":"full","uri":{json.dumps(uri)},"version":null,'
                                 f'"resultId":{json.dumps(result_id)},"items":[{diagnostics}]}}')
            return RawJson(f'{{"items":[{",".join(items)}]}}')

        # A large workspace has ~100,000 findings: built in a thread (as JSON text: protocol
        # objects took most of the time), the server keeps answering hovers and edits
        # meanwhile; files the client already has cost a hash.
        return await asyncio.to_thread(build)


Shown = tuple  # (indexed finding, severity, symbol): a finding as the editor shows it


def indexed_findings(ls: CptServer, reader) -> list[tuple[str, list[Shown]]]:
    """Findings per indexed file that is not open, with the editor's options applied."""
    by_path: dict[str, list[Shown]] = {}
    for path, _ in reader.conn.execute("SELECT path, id FROM files WHERE skipped IS NULL"):
        by_path[path] = []
    settings_path = None
    settings: Settings = Settings()
    symbols = {element.id: element.symbol for element in ls.catalog}
    for found in reader.findings():
        absolute = str(reader.root / found.path)
        if absolute != settings_path:  # findings come sorted by path: one lookup per file
            settings, settings_path = ls.settings_for(absolute), absolute
        if not settings.enabled(found.element, absolute):
            continue
        severity = settings.severity.get(found.element) or found.severity
        by_path.setdefault(found.path, []).append(
            (found, severity, symbols.get(found.element, "")))
    result = []
    for path, findings in by_path.items():
        uri = from_fs_path(str(reader.root / path)) or (reader.root / path).as_uri()
        if uri not in ls.documents:
            result.append((uri, findings))
    return result


def indexed_diagnostics(ls: CptServer, reader) -> list[tuple[str, list[types.Diagnostic]]]:
    """Diagnostics per indexed file that is not open (for clients that are pushed to)."""
    return [(uri, _diagnostics(reader, findings))
            for uri, findings in indexed_findings(ls, reader)]


def _diagnostics(reader, findings: list[Shown]) -> list[types.Diagnostic]:
    return [to_diagnostic(found, reader.root, severity, symbol)
            for found, severity, symbol in findings]


def to_wire_indexed(found, root: Path, severity: str, symbol: str) -> dict[str, Any]:
    """`to_diagnostic` as the JSON it becomes, built directly (see `convert.to_wire`)."""
    related = []
    for path, line, column, end_line, end_column, message in found.related[:MAX_RELATED]:
        target = root / (path or found.path)
        related.append({"location": {"uri": from_fs_path(str(target)) or target.as_uri(),
                                     "range": human_range(line, column, end_line, end_column)},
                        "message": message})
    return wire_diagnostic(human_range(found.line, found.column, found.end_line, found.end_column),
                           f"{symbol} {found.message}".strip(), severity, found.element, related)


def to_diagnostic(found, root: Path, severity: str, symbol: str) -> types.Diagnostic:
    """An indexed finding as a diagnostic, like the ones of open documents."""
    related = []
    for path, line, column, end_line, end_column, message in found.related[:MAX_RELATED]:
        target = root / (path or found.path)
        related.append(types.DiagnosticRelatedInformation(
            types.Location(from_fs_path(str(target)) or target.as_uri(),
                           types.Range(types.Position(max(line - 1, 0), max(column - 1, 0)),
                                       types.Position(max(end_line - 1, 0),
                                                      max(end_column - 1, 0)))),
            message))
    return types.Diagnostic(
        range=types.Range(types.Position(found.line - 1, found.column - 1),
                          types.Position(found.end_line - 1, found.end_column - 1)),
        message=f"{symbol} {found.message}".strip(), severity=SEVERITY[severity],
        code=found.element,
        code_description=types.CodeDescription(href=DOCS_URL.format(id=found.element)),
        source=SOURCE,
        tags=[types.DiagnosticTag.Unnecessary] if found.element in UNNECESSARY else None,
        related_information=related or None,
    )


def _result_id(findings: list[Shown]) -> str:
    digest = hashlib.blake2b(digest_size=12)
    for found, severity, _symbol in findings:
        digest.update(f"{found.element}|{found.line}:{found.column}-{found.end_line}:"
                      f"{found.end_column}|{severity}|{found.message}|{found.related}".encode())
    return digest.hexdigest()


def other_occurrences(ls: CptServer, element_id: str, path: str, line: int,
                      limit: int = 5) -> tuple[int, list[str]]:
    """How many times an element occurs elsewhere in the workspace, and where (a few)."""
    reader = ready_reader(ls)
    if reader is None:
        return 0, []
    relative = reader.relative(path)
    total = reader.counts().get(element_id, (0, 0))[0]
    places = []
    for found in reader.findings(element=element_id, limit=limit + 1):
        if found.path == relative and found.line == line:
            continue
        places.append(f"{found.path}:{found.line}")
    here = 1 if any(found.path == relative and found.line == line
                    for found in reader.findings(path=relative, element=element_id)) else 0
    return max(total - here, 0), places[:limit]


def table_from_index(ls: CptServer, reader) -> dict[str, Any]:
    """`cpt table --format json` data, with open documents as the editor has them."""
    from cpt.server.index_command import MAX_OCCURRENCES, occurrence
    from cpt.server.table import table_data

    from .commands import _range_data, _shown
    from .convert import lsp_range
    from .symbols import open_findings

    open_paths = {reader.relative(state.path) for state in ls.documents.values()}
    occurrences: dict[str, list[dict[str, Any]]] = {}
    counts: dict[str, list] = {}
    for found in reader.findings():
        if found.path in open_paths:
            continue
        entry = counts.setdefault(found.element, [0, set()])
        entry[0] += 1
        entry[1].add(found.path)
        items = occurrences.setdefault(found.element, [])
        if len(items) < MAX_OCCURRENCES:
            items.append(occurrence(reader.root, found))
    for uri, state, analysis, finding in open_findings(ls):
        entry = counts.setdefault(finding.element, [0, set()])
        entry[0] += 1
        entry[1].add(uri)
        line, column = analysis.lines.human(*finding.span.start)
        occurrences.setdefault(finding.element, []).append({
            "path": _shown(ls, state.path), "line": line, "column": column,
            "message": finding.message, "uri": uri,
            "range": _range_data(lsp_range(finding.span, analysis.lines, ls.encoding))})
    totals = {element: (count, len(files)) for element, (count, files) in counts.items()}
    return table_data(ls.catalog, occurrences, totals, str(reader.root), reader.file_count())


def is_team_element_file(ls: CptServer, path: Path) -> bool:
    """A file of the workspace's own elements (`.cpt/elements/...`)."""
    if ls.root is None:
        return False
    try:
        parts = path.resolve().relative_to(ls.root.resolve()).parts
    except ValueError:
        return False
    return parts[:2] == (".cpt", "elements")


def team_elements_changed(ls: CptServer, paths: list[Path]) -> bool:
    """Reload the table when a team element changed: no restart needed.

    Open documents are analyzed again at once; the index re-analyzes the workspace with the
    new table (its analysis key changed).
    """
    if not any(is_team_element_file(ls, path) for path in paths):
        return False
    from .configuration import reanalyze

    ls.reload_catalog()
    catalog = ls.catalog  # loads now, so a broken element is reported at once
    ls.log(f"team elements changed: the table now has {len(catalog.elements)} elements")
    reanalyze(ls)
    found = service(ls)
    if found is not None:
        found.catalog_changed()
    return True
