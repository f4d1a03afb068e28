"""The workspace index inside the language server.

A background thread owns the writing connection: it builds the index after `initialized`
(reporting `$/progress`) and refreshes files saved in the editor or changed on disk (client
file watchers, else watchdog). Spawned worker processes do the analysis, so typing stays
fast while a workspace is indexed. Handlers on the event loop only read, through a second
connection (SQLite WAL lets readers and the writer work at once), and answer from open
documents until the index is ready.
"""

from __future__ import annotations

import asyncio
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types

from .server import CptServer

# Events closer than _QUIET_S to the previous one are handled as one refresh (a git checkout,
# a code generator), but a burst is cut after _COALESCE_MAX_S so the index never lags far.
# Events that arrive while a refresh runs are merged into the next one, so the window only
# needs to catch one writer's back-to-back events: it adds to every save's latency.
_QUIET_S = 0.005
_COALESCE_MAX_S = 1.0


@dataclass
class _Request:
    paths: list[Path] | None  # None: the whole workspace
    reload: bool = False  # the element table changed: reload it first
    done: asyncio.Future | None = None
    progress: Callable[[int, int], None] | None = None
    cancelled: Callable[[], bool] | None = None


@dataclass
class IndexService:
    """The index of the server's workspace, written in a thread, read on the event loop."""

    ls: CptServer
    root: Path
    db_path: Path | None = None
    reader: Any = None  # WorkspaceIndex on its own connection, once the index is open
    ready: bool = False
    failed: str | None = None
    requests: queue.Queue = field(default_factory=queue.Queue)
    loop: asyncio.AbstractEventLoop | None = None
    thread: threading.Thread | None = None
    observer: Any = None
    stopping: bool = False
    catalog: Any = None  # the server's table, loaded on the event loop and shared (read-only)

    def start(self, loop: asyncio.AbstractEventLoop, token: str | None) -> None:
        self.loop = loop
        self.thread = threading.Thread(target=self._run, args=(token,), name="cpt-index",
                                       daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopping = True
        self.requests.put(None)
        if self.observer is not None:
            self.observer.stop()

    def files_changed(self, paths: list[Path]) -> None:
        """Files saved, created, changed or deleted: refresh them (coalesced)."""
        if paths and not self.stopping:
            self.requests.put(_Request(paths))

    def catalog_changed(self) -> None:
        """The team's elements changed: reload the table and refresh everything."""
        if not self.stopping:
            self.requests.put(_Request(None, reload=True))

    def refresh_all(self, done: asyncio.Future, progress=None, cancelled=None) -> None:
        self.requests.put(_Request(None, done=done, progress=progress, cancelled=cancelled))

    # --- the thread ------------------------------------------------------------------------

    def on_loop(self, function: Callable, *args: Any) -> None:
        """Run `function` on the event loop (from the watchdog or the index thread)."""
        self._call(function, *args)

    def _call(self, function: Callable, *args: Any) -> None:
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(function, *args)

    def _run(self, token: str | None) -> None:
        from cpt.server.index.database import IndexUnavailable
        from cpt.server.index.store import WorkspaceIndex

        try:
            writer = WorkspaceIndex(self.root, self.db_path, catalog=self.catalog,
                                    on_message=lambda text: self._call(self._log, text))
            self.reader = WorkspaceIndex(self.root, writer.path, catalog=writer.catalog,
                                         resolver=writer.resolver,
                                         catalog_hash=writer.catalog_hash)
        except IndexUnavailable as error:
            self.failed = f"workspace index unavailable: {error}"
            self._call(self._log, self.failed)
            self._call(self._end_progress, token, self.failed)
            return
        except Exception as error:  # cpt: ignore[broad-except] the editor works without an index
            self.failed = f"workspace index unavailable: {type(error).__name__}: {error}"
            self._call(self._log, self.failed)
            self._call(self._end_progress, token, self.failed)
            return
        jobs = max(1, (os.cpu_count() or 2) // 2)
        progress = self._progress(token)
        self._refresh(writer, _Request(None, progress=progress), jobs)
        self._call(self._became_ready, token, writer)
        if self.requests.empty():
            try:
                writer.prepare()  # files saved later are analyzed in this thread
            except Exception as error:  # cpt: ignore[broad-except] the refresh reports it again
                self._call(self._log, f"index: cannot load the analyzer: {error}")
        while not self.stopping:
            request = self.requests.get()
            if request is None:
                break
            batch = [request]
            deadline = time.monotonic() + _COALESCE_MAX_S
            while request.done is None and time.monotonic() < deadline:
                try:
                    item = self.requests.get(timeout=_QUIET_S)
                except queue.Empty:
                    break
                if item is None:
                    self.stopping = True
                    break
                batch.append(item)
            for merged in _merge(batch):
                if merged.reload:
                    writer = self._reopen(writer)
                self._refresh(writer, merged, jobs)
        writer.close()

    def _reopen(self, writer):
        """A new writer and reader over a freshly loaded table (team elements changed)."""
        from cpt.server.index.store import WorkspaceIndex

        writer.close()
        writer = WorkspaceIndex(self.root, writer.path)
        reader = WorkspaceIndex(self.root, writer.path, catalog=writer.catalog,
                                resolver=writer.resolver, catalog_hash=writer.catalog_hash)
        old, self.reader = self.reader, reader
        self._call(old.close)
        return writer

    def _refresh(self, writer, request: _Request, jobs: int) -> None:
        try:
            report = writer.refresh(jobs=jobs if request.paths is None else 1,
                                    progress=request.progress, cancelled=request.cancelled,
                                    only=request.paths, start_method="spawn")
        except Exception as error:  # cpt: ignore[broad-except] a failed refresh is retried later
            self._call(self._log, f"index refresh failed: {type(error).__name__}: {error}")
            if request.done is not None:
                self._call(_settle, request.done, None)
            return
        if request.done is not None:
            self._call(_settle, request.done, report)
        if report.changed:
            self._call(self._changed, report)

    def _progress(self, token: str | None) -> Callable[[int, int], None] | None:
        if token is None:
            return None
        last = [-1]

        def report(done: int, total: int) -> None:
            percentage = done * 100 // total if total else 100
            if percentage != last[0]:
                last[0] = percentage
                self._call(self.ls.work_done_progress.report, token,
                           types.WorkDoneProgressReport(message=f"{done}/{total} files",
                                                        percentage=percentage))
        return report

    # --- on the event loop -----------------------------------------------------------------

    def _log(self, text: str) -> None:
        self.ls.log(text, types.MessageType.Info)

    def _end_progress(self, token: str | None, message: str) -> None:
        if token is not None:
            self.ls.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))

    def _became_ready(self, token: str | None, writer) -> None:
        self.ready = True
        files = self.reader.file_count()
        message = f"index ready: {files} files"
        self._end_progress(token, message)
        self.ls.log(f"{message} ({writer.path})")
        self._changed(None)

    def _changed(self, _report) -> None:
        """Open documents' cross-file findings and the client's workspace view are stale."""
        from .configuration import reanalyze

        reanalyze(self.ls)


def _settle(future: asyncio.Future, value: Any) -> None:
    if not future.done():
        future.set_result(value)


def _merge(batch: list[_Request]) -> list[_Request]:
    """File events become one request; a whole-workspace request stays on its own."""
    paths: list[Path] = []
    result: list[_Request] = []
    for request in batch:
        if request.paths is None:
            if request.reload and any(item.reload for item in result):
                continue
            result.append(request)
        else:
            paths.extend(path for path in request.paths if path not in paths)
    if paths:
        result.insert(0, _Request(paths))
    return result


# --- wiring ------------------------------------------------------------------------------

def service(ls: CptServer) -> IndexService | None:
    """The server's index, if it is enabled and open."""
    return getattr(ls, "index_service", None)


def ready_reader(ls: CptServer):
    """The index reader once the first build is done, else None (answer from open files)."""
    found = service(ls)
    return found.reader if found is not None and found.ready else None


async def start(ls: CptServer) -> None:
    """Build the index in the background (after `initialized`)."""
    if ls.root is None or not ls.options.index or service(ls) is not None:
        return
    db_path = Path(ls.options.index_path).expanduser() if ls.options.index_path else None
    index = IndexService(ls, ls.root, db_path, catalog=ls.catalog)
    ls.index_service = index
    token = await _begin_progress(ls)
    index.start(asyncio.get_running_loop(), token)
    await _watch(ls, index)


async def _begin_progress(ls: CptServer) -> str | None:
    window = ls.client_capabilities.window
    if window is None or not window.work_done_progress:
        return None
    token = f"cpt-index-{uuid.uuid4().hex}"
    try:
        await ls.work_done_progress.create_async(token)
    except Exception:  # cpt: ignore[broad-except, swallowed-exception] index without progress
        return None
    ls.work_done_progress.begin(token, types.WorkDoneProgressBegin(
        title="cpt: indexing the workspace", percentage=0, cancellable=False))
    return token


SOURCE_GLOB = "**/*.{py,pyi,js,jsx,mjs,cjs,ts,tsx,mts,cts,java,go}"
ELEMENTS_GLOB = "**/.cpt/elements/**"  # the team's own elements: reload the table


async def _watch(ls: CptServer, index: IndexService) -> None:
    """Client file watchers when it can register them; a watchdog observer otherwise."""
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace is not None else None
    if watched is not None and watched.dynamic_registration:
        try:
            await ls.client_register_capability_async(types.RegistrationParams(registrations=[
                types.Registration(
                    id="cpt-source-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=types.DidChangeWatchedFilesRegistrationOptions(
                        watchers=[types.FileSystemWatcher(glob_pattern=SOURCE_GLOB),
                                  types.FileSystemWatcher(glob_pattern=ELEMENTS_GLOB)]))]))
            return
        except Exception as error:  # cpt: ignore[broad-except] fall back to watchdog
            ls.log(f"client file watching refused ({error}); using watchdog")
    index.observer = _observer(index)


def _observer(index: IndexService):
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.is_directory or event.event_type in ("opened", "closed_no_write"):
                return
            paths = [Path(os.fsdecode(event.src_path))]
            if getattr(event, "dest_path", None):
                paths.append(Path(os.fsdecode(event.dest_path)))
            if any(_is_element_file(index.root, path) for path in paths):
                index.on_loop(_team_elements_changed, index.ls, paths)
                return
            wanted = [path for path in paths if _interesting(index.root, path)]
            if wanted:
                index.files_changed(wanted)

    observer = Observer()
    observer.daemon = True
    try:
        observer.schedule(Handler(), str(index.root), recursive=True)
        observer.start()
    except OSError as error:  # too many watches, unsupported filesystem
        index.ls.log(f"cannot watch {index.root}: {error}", types.MessageType.Warning)
        return None
    return observer


def _is_element_file(root: Path, path: Path) -> bool:
    try:
        return path.relative_to(root).parts[:2] == (".cpt", "elements")
    except ValueError:
        return False


def _team_elements_changed(ls: CptServer, paths: list[Path]) -> None:
    from .index_features import team_elements_changed

    team_elements_changed(ls, paths)


_IGNORED_PARTS = frozenset({".git", "node_modules", "__pycache__", ".venv", "venv", ".tox"})


def _interesting(root: Path, path: Path) -> bool:
    """Cheap filter on the watchdog thread; the refresh applies .gitignore and excludes."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    return bool(parts) and not _IGNORED_PARTS.intersection(parts) and path.suffix in {
        ".py", ".pyi", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".java",
        ".go"}
