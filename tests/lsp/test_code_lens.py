"""Code lenses mark pattern roles (not smells), resolve to `cpt.explain`, and obey `codeLens`."""

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import start
from .test_diagnostics import did_open

APP = (Path(__file__).parent.parent / "data" / "hover" / "app.py").read_text()


async def lenses(client, uri):
    return await client.text_document_code_lens_async(types.CodeLensParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))


@pytest.mark.asyncio
async def test_lenses_above_patterns_resolve_to_explain(client: LanguageClient, tmp_path):
    result = await start(client, tmp_path)
    assert result.capabilities.code_lens_provider.resolve_provider is True
    uri = (tmp_path / "app.py").as_uri()
    did_open(client, uri, APP)
    found = await lenses(client, uri)
    # The singleton only: the mutable default and the injection are smells, not patterns.
    assert len(found) == 1
    lens = found[0]
    assert lens.command is None
    assert lens.range.start == types.Position(3, 6)
    resolved = await client.code_lens_resolve_async(lens)
    assert resolved.command.title == "◆ Sg Singleton · 0.90"
    assert resolved.command.command == "cpt.explain"
    assert list(resolved.command.arguments) == ["singleton"]


@pytest.mark.asyncio
async def test_no_lenses_when_the_option_is_off(client: LanguageClient, tmp_path):
    await start(client, tmp_path, options={"debounceMs": 0, "codeLens": False})
    uri = (tmp_path / "app.py").as_uri()
    did_open(client, uri, APP)
    assert not await lenses(client, uri)
