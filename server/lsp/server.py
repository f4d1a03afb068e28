"""The language server object, its state, and the one place that registers every feature.

Error policy: every handler runs inside `guarded`; an exception is logged once with the method
and answered (requests get an error or an empty result), and the server keeps serving.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.uris import to_fs_path

from cpt import __version__
from cpt.engine.analysis import Analyzer
from cpt.engine.catalog import Catalog, load_catalog
from cpt.engine.config import Settings

from .state import OpenDocument, ServerOptions

log = logging.getLogger("cpt.lsp")


class RawJson(str):
    """A message part already encoded as JSON (diagnostics cached per finding)."""


class CptProtocol(LanguageServerProtocol):
    """The LSP protocol with two changes.

    UTF-8 positions are preferred whenever the client offers them (no UTF-16 conversions), and
    diagnostics that are already JSON are sent without encoding them again.
    """

    def send_raw(self, body: str) -> None:
        """Send one message whose JSON text is ready, framed as pygls frames its own."""
        if self.writer is None:
            return
        data = body.encode(self.CHARSET)
        if self._include_headers:
            data = (f"Content-Length: {len(data)}\r\n"
                    f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n"
                    ).encode(self.CHARSET) + data
        written = self.writer.write(data)
        if inspect.isawaitable(written):
            asyncio.ensure_future(written)

    answered_initialize: Any = None  # the id of an initialize request fast_start answered

    def _send_response(self, msg_id, result=None, error=None):  # type: ignore[override]
        if msg_id is not None and msg_id == self.answered_initialize and error is None:
            self.answered_initialize = None  # answered already, identically (fast_start.py)
            self._result_types.pop(msg_id, None)
            return
        if error is None and isinstance(result, RawJson):
            self._result_types.pop(msg_id, None)
            self.send_raw(f'{{"jsonrpc": "2.0", "id": {json.dumps(msg_id)}, "result": {result}}}')
            return
        super()._send_response(msg_id, result, error)

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams):  # type: ignore[override]
        server = self._server
        if isinstance(server, CptServer):
            server.serving_here()
        general = params.capabilities.general
        if general is not None and general.position_encodings:
            encodings = list(general.position_encodings)
            if types.PositionEncodingKind.Utf8 in encodings:
                encodings.remove(types.PositionEncodingKind.Utf8)
                general.position_encodings = [types.PositionEncodingKind.Utf8, *encodings]
        return (yield from super().lsp_initialize(params))

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(  # type: ignore[override]
            self, params: types.DidChangeTextDocumentParams):
        """Keep pygls's copy of a document only when cpt does not keep its own.

        Applying every keystroke to both copies costs milliseconds on a large file.
        """
        uri = params.text_document.uri
        if uri in getattr(self._server, "documents", {}):
            self.workspace.remove_text_document(uri)
            if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
                yield handler, (params,), None
            return
        yield from super().lsp_text_document__did_change(params)


class CptServer(LanguageServer):
    """pygls server holding the catalog, the analyzer and the open documents."""

    def __init__(self) -> None:
        super().__init__("cpt", __version__, protocol_cls=CptProtocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.documents: dict[str, OpenDocument] = {}
        self.options = ServerOptions()
        self.root: Path | None = None
        self._catalog: Catalog | None = None
        self._analyzer: Analyzer | None = None
        self._reported: set[str] = set()
        self.settings_cache: dict[str, Settings] = {}
        self.index_service: Any = None  # workspace_index.IndexService once started
        self._background: ThreadPoolExecutor | None = None
        # Similarities of clone candidates, kept between the editor's cross-file passes (keyed by
        # fingerprints, bounded by the duplicate-code element).
        self.clone_memo: dict[str, dict[str, Any]] = {}
        self.event_loop: asyncio.AbstractEventLoop | None = None
        self.loop_thread: int | None = None
        # Event-loop time a document last changed: background work waits for a pause after it.
        self.last_activity = 0.0

    @property
    def background(self) -> ThreadPoolExecutor:
        """One thread for whole-file analyses that settle typing (stopped by the next edit)."""
        if self._background is None:
            self._background = ThreadPoolExecutor(1, thread_name_prefix="cpt-settle")
        return self._background

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            roots = [self.root / ".cpt" / "elements"] if self.root is not None else []
            self._catalog = load_catalog(roots)
            for problem in self._catalog.problems:
                self.log(f"element skipped: {problem}", types.MessageType.Warning)
        return self._catalog

    @property
    def analyzer(self) -> Analyzer:
        if self._analyzer is None:
            self._analyzer = Analyzer(self.catalog, cache_fingerprints=True)
        return self._analyzer

    def reload_catalog(self) -> None:
        """Forget the catalog (a team element changed); the next analysis reloads it."""
        self._catalog = None
        self._analyzer = None
        self.clone_memo = {}

    def serving_here(self) -> None:
        """Remember the event loop and its thread: the one that may write to the client."""
        try:
            self.event_loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (the initialize answer computed outside a server)
            return
        self.loop_thread = threading.get_ident()

    def on_loop(self, function: Callable[..., Any], *args: Any) -> None:
        """Call now on the event loop's thread, else schedule it there.

        Only that thread writes to the client: a background analysis that must log (a config
        file it read has mistakes) would otherwise interleave its bytes with the loop's.
        """
        loop = self.event_loop
        if loop is None or threading.get_ident() == self.loop_thread:
            function(*args)
        else:
            loop.call_soon_threadsafe(function, *args)

    @property
    def encoding(self) -> str:
        """The negotiated position encoding: "utf-8", "utf-16" or "utf-32"."""
        encoding = self.workspace.position_encoding or "utf-16"
        return str(getattr(encoding, "value", encoding))

    def settings_for(self, path: str) -> Settings:
        """The settings of a file: project config files, then the editor's options on top."""
        from .configuration import settings_for

        return settings_for(self, path)

    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        """Log to the client's output (never stdout, which carries the protocol); any thread."""
        self.on_loop(self._log, message, kind)

    def _log(self, message: str, kind: types.MessageType) -> None:
        log.log(logging.WARNING if kind <= types.MessageType.Warning else logging.INFO, message)
        try:
            self.window_log_message(types.LogMessageParams(type=kind, message=message))
        except Exception:  # cpt: ignore[broad-except, swallowed-exception] no client yet
            pass

    def log_once(self, key: str, message: str) -> None:
        """Log a recurring problem only the first time."""
        if key not in self._reported:
            self._reported.add(key)
            self.log(message, types.MessageType.Warning)

    def path_of(self, uri: str) -> str:
        return to_fs_path(uri) or uri


def guarded(server: CptServer, method: str, empty: Any = None) -> Callable:
    """Wrap a handler: log failures once with the method, answer `empty`, keep serving."""

    def failed(error: Exception) -> Any:
        server.log_once(f"{method}:{type(error).__name__}",
                        f"{method} failed: {type(error).__name__}: {error}")
        log.exception("%s failed", method)
        return empty

    def wrap(handler: Callable) -> Callable:
        if _is_coroutine(handler):
            @functools.wraps(handler)
            async def run_async(*args, **kwargs):
                try:
                    return await handler(*args, **kwargs)
                except Exception as error:  # cpt: ignore[broad-except] the error policy
                    return failed(error)
            return run_async

        @functools.wraps(handler)
        def run(*args, **kwargs):
            try:
                return handler(*args, **kwargs)
            except Exception as error:  # cpt: ignore[broad-except] the error policy
                return failed(error)
        return run

    return wrap


def _is_coroutine(function: Callable) -> bool:
    import inspect

    return inspect.iscoroutinefunction(function)


def create_server() -> CptServer:
    """Build the server with every feature registered (one module per LSP feature)."""
    from . import (
        code_actions,
        code_lens,
        commands,
        configuration,
        debug,
        diagnostics,
        hover,
        index_features,
        lifecycle,
        symbols,
    )

    server = CptServer()
    # Order matters once: configuration wraps the initialized/didSave handlers registered by
    # lifecycle and diagnostics, so it comes after them.
    for module in (lifecycle, diagnostics, hover, code_lens, code_actions, commands, symbols,
                   configuration, index_features, debug):
        module.register(server)
    return server
