"""A real `cpt lsp` process over stdio, driven by pytest-lsp."""

import sys

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = [sys.executable, "-m", "cpt", "lsp"]


def server_config():
    return ClientServerConfig(server_command=SERVER)


def push_only(name="neovim"):
    """A real client's capabilities without pull diagnostics, so the server pushes."""
    capabilities = client_capabilities(name)
    capabilities.text_document.diagnostic = None
    return capabilities


async def start(client: LanguageClient, root, options=None, capabilities="visual-studio-code"):
    """initialize + initialized with the given workspace root and options."""
    if isinstance(capabilities, str):
        capabilities = client_capabilities(capabilities)
    params = types.InitializeParams(
        capabilities=capabilities,
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")],
        initialization_options=options or {"debounceMs": 0},
    )
    result = await client.initialize_session(params)
    return result


@pytest_lsp.fixture(config=server_config())
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()
