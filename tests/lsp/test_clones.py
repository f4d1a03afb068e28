"""Clones between open documents show on both sides, as `cpt scan` reports them."""

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import push_only, start
from .test_diagnostics import did_open, wait_diagnostics
from .test_incremental_diagnostics import CLONE, _codes
from .test_workspace_index import until


@pytest.mark.asyncio
async def test_a_copy_opened_later_shows_on_both_sides_until_it_is_closed(
        client: LanguageClient, tmp_path):
    await start(client, tmp_path, {"debounceMs": 0, "index": False}, capabilities=push_only())
    first, second = (tmp_path / "first.py").as_uri(), (tmp_path / "second.py").as_uri()
    did_open(client, first, CLONE)
    assert "duplicate-code" not in _codes(await wait_diagnostics(client, first))

    did_open(client, second, "# notes\n" + CLONE)
    assert "duplicate-code" in _codes(await wait_diagnostics(client, second))

    async def first_has_the_copy():
        return "duplicate-code" in _codes(client.diagnostics.get(first, []))

    await until(first_has_the_copy, timeout=30)

    client.text_document_did_close(
        types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(second)))

    async def first_is_alone_again():
        return "duplicate-code" not in _codes(client.diagnostics.get(first, []))

    await until(first_is_alone_again, timeout=30)
