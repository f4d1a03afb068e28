"""Debug commands for tests and bug reports: what the server believes a document says."""

from __future__ import annotations

from .server import CptServer, guarded

DOCUMENT_TEXT = "cpt.debug.documentText"


def register(server: CptServer) -> None:
    @server.command(DOCUMENT_TEXT)
    @guarded(server, DOCUMENT_TEXT)
    def document_text(ls: CptServer, uri: str) -> str | None:
        """Return the server's text of an open document (None when it is not open)."""
        state = ls.documents.get(uri)
        if state is not None:
            return state.document.text
        document = ls.workspace.text_documents.get(uri)
        return document.source if document is not None else None

