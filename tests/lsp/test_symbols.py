"""The outline lists pattern roles and smells; workspace symbols find elements across files."""

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import start
from .test_diagnostics import did_open

DATA = Path(__file__).parent.parent / "data" / "hover"
TWIN = '''\
def total(orders):
    result = 0
    for order in orders:
        if order.paid:
            result += order.amount * order.quantity
        else:
            result -= order.refund
    return result
'''


@pytest.mark.asyncio
async def test_document_symbols_name_element_and_place(client: LanguageClient, tmp_path):
    await start(client, tmp_path)
    uri = (tmp_path / "app.py").as_uri()
    did_open(client, uri, (DATA / "app.py").read_text())
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    outline = [(s.name, s.kind) for s in symbols]
    assert outline == [
        ("Sg Singleton: Config", types.SymbolKind.Class),
        ("Md Mutable Default Argument: run", types.SymbolKind.Event),
        ("Cm Command Injection: run", types.SymbolKind.Event),
    ]
    assert symbols[0].range.start == types.Position(3, 6)
    assert "`_instance`" in symbols[0].detail


@pytest.mark.asyncio
@pytest.mark.parametrize("query,expected", [
    ("singleton", {"Sg Singleton: Config"}),
    ("Sg", {"Sg Singleton: Config"}),
    ("duplicate", {"Dc Duplicate Code: total", "Dc Duplicate Code: total_again"}),
    ("nothing-like-this", set()),
])
async def test_workspace_symbols_by_id_symbol_or_name(client: LanguageClient, tmp_path, query,
                                                      expected):
    await start(client, tmp_path)
    did_open(client, (tmp_path / "app.py").as_uri(), (DATA / "app.py").read_text())
    did_open(client, (tmp_path / "twins.py").as_uri(),
             TWIN + "\n\n" + TWIN.replace("total", "total_again"))
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query=query))
    assert {symbol.name for symbol in found} == expected
    for symbol in found:
        assert symbol.location.uri.startswith(tmp_path.as_uri())
        assert symbol.location.range.start.line >= 0
