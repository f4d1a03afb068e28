"""A real `cpt lsp` process over stdio, driven by pytest-lsp."""

import asyncio
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


def accept_registrations(client: LanguageClient) -> None:
    """Answer client/registerCapability as editors do; keep the registrations for tests."""
    client.registrations = []  # type: ignore[attr-defined]
    client.registered = asyncio.Event()  # type: ignore[attr-defined]

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]
        client.registered.set()  # type: ignore[attr-defined]


@pytest_lsp.fixture(config=server_config())
async def client(lsp_client: LanguageClient):
    accept_registrations(lsp_client)
    yield
    await lsp_client.shutdown_session()
