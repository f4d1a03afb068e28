"""initialize / initialized / shutdown: options, workspace root, and a clean exit."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path

from .configuration import parse_options
from .server import CptServer, guarded


def register(server: CptServer) -> None:
    @server.feature(types.INITIALIZE)
    @guarded(server, "initialize")
    def initialize(ls: CptServer, params: types.InitializeParams) -> None:
        """Read initializationOptions and the workspace root."""
        root_uri = params.root_uri or (params.workspace_folders[0].uri
                                       if params.workspace_folders else None)
        if root_uri:
            path = to_fs_path(root_uri)
            ls.root = Path(path) if path else None
        elif params.root_path:
            ls.root = Path(params.root_path)
        raw = params.initialization_options
        if isinstance(raw, dict) and isinstance(raw.get("cpt"), dict):
            raw = raw["cpt"]
        ls.options, problems = parse_options(raw)
        for problem in problems:
            ls.log(problem, types.MessageType.Warning)

    @server.feature(types.INITIALIZED)
    @guarded(server, "initialized")
    def initialized(ls: CptServer, params: types.InitializedParams) -> None:
        """Announce the server in the client's log."""
        ls.log(f"cpt {ls.version} ready: {len(ls.catalog.elements)} elements, "
               f"positions in {ls.encoding}")
