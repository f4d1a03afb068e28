"""Hover shows the element card of the finding under the cursor, in the file's comment syntax."""

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import start
from .test_diagnostics import did_open

DATA = Path(__file__).parent.parent / "data" / "hover"


def open_data(client, root, name, language):
    target = root / name
    target.write_text((DATA / name).read_text())
    did_open(client, target.as_uri(), target.read_text(), language)
    return target.as_uri()


async def hover(client, uri, line, character):
    return await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line, character)))


@pytest.mark.asyncio
async def test_hover_on_a_pattern_name_shows_its_card(client: LanguageClient, tmp_path):
    await start(client, tmp_path)
    uri = open_data(client, tmp_path, "app.py", "python")
    result = await hover(client, uri, 3, 8)  # inside `Config`
    text = result.contents.value
    assert result.contents.kind == types.MarkupKind.Markdown
    assert text.startswith("**Sg Singleton** · creational · period 3 (class)")
    assert "instance of itself" in text  # what it is
    assert "keeps its only instance in `_instance`" in text  # why it matters here
    assert "combines with Fm Factory Method" in text
    assert "conflicts with" not in text  # empty relationships are left out
    assert "**Fix:**" in text
    assert "`# cpt: ignore[singleton]`" in text
    assert "---" not in text
    assert result.range == types.Range(types.Position(3, 6), types.Position(3, 12))


@pytest.mark.asyncio
async def test_hover_on_a_smell_range(client: LanguageClient, tmp_path):
    await start(client, tmp_path)
    uri = open_data(client, tmp_path, "app.py", "python")
    result = await hover(client, uri, 12, 20)  # the `[]` default
    assert result.contents.value.startswith("**Md Mutable Default Argument**")
    assert "`# cpt: ignore[mutable-default-argument]`" in result.contents.value


@pytest.mark.asyncio
async def test_several_findings_give_one_card_each(client: LanguageClient, tmp_path):
    await start(client, tmp_path)
    uri = open_data(client, tmp_path, "nested.py", "python")
    result = await hover(client, uri, 0, 6)  # `handle`: too deep and too many parameters
    cards = result.contents.value.split("\n\n---\n\n")
    assert [card.split("**")[1] for card in cards] == ["Dn Deep Nesting",
                                                       "Lp Long Parameter List"]


@pytest.mark.asyncio
async def test_suppression_uses_the_language_comment_syntax(client: LanguageClient, tmp_path):
    await start(client, tmp_path)
    uri = open_data(client, tmp_path, "run.js", "javascript")
    result = await hover(client, uri, 2, 5)
    assert "`// cpt: ignore[command-injection]`" in result.contents.value


@pytest.mark.asyncio
async def test_no_hover_where_nothing_was_found(client: LanguageClient, tmp_path):
    await start(client, tmp_path)
    uri = open_data(client, tmp_path, "app.py", "python")
    assert await hover(client, uri, 0, 3) is None
    assert await hover(client, (tmp_path / "closed.py").as_uri(), 0, 0) is None
