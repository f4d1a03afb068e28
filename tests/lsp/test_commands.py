"""Commands: explain an element, the workspace's periodic table, and a cancellable scan."""

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import push_only, start
from .test_diagnostics import did_open, wait_diagnostics

DATA = Path(__file__).parent.parent / "data" / "hover"
APP = (DATA / "app.py").read_text()


async def execute(client, command, *arguments):
    return await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=command, arguments=list(arguments)))


@pytest.mark.asyncio
async def test_commands_are_announced(client: LanguageClient, tmp_path):
    result = await start(client, tmp_path)
    commands = set(result.capabilities.execute_command_provider.commands)
    assert {"cpt.explain", "cpt.showTable", "cpt.scanWorkspace"} <= commands


@pytest.mark.asyncio
@pytest.mark.parametrize("argument", ["singleton", "Sg", "Singleton"])
async def test_explain_returns_the_card_as_data_and_markdown(client: LanguageClient, tmp_path,
                                                             argument):
    await start(client, tmp_path)
    result = await execute(client, "cpt.explain", argument)
    assert result["card"]["id"] == "singleton"
    assert result["card"]["relationships"]["combines_with"] == ["factory-method"]
    assert result["markdown"].startswith("**Sg Singleton** · creational · period 3 (class)")
    assert "cpt: ignore[singleton]" in result["markdown"]


@pytest.mark.asyncio
async def test_explain_an_unknown_element(client: LanguageClient, tmp_path):
    await start(client, tmp_path)
    assert await execute(client, "cpt.explain", "no-such-element") is None


@pytest.mark.asyncio
async def test_show_table_counts_occurrences_in_open_documents(client: LanguageClient, tmp_path):
    await start(client, tmp_path)
    uri = (tmp_path / "app.py").as_uri()
    did_open(client, uri, APP)
    table = await execute(client, "cpt.showTable")
    assert table["groups"][:3] == ["creational", "structural", "behavioral"]
    assert [p["period"] for p in table["periods"]] == [1, 2, 3, 4, 5]
    by_id = {element["id"]: element for element in table["elements"]}
    assert len(by_id) >= 15
    singleton = by_id["singleton"]
    assert (singleton["symbol"], singleton["group"], singleton["period"]) == ("Sg", "creational", 3)
    assert singleton["severity"] == "info" and singleton["count"] == 1
    [place] = singleton["occurrences"]
    assert (place["uri"], place["range"]) == (uri, {
        "start": {"line": 3, "character": 6}, "end": {"line": 3, "character": 12}})
    assert (place["path"], place["line"], place["column"]) == ("app.py", 4, 7)
    assert by_id["command-injection"]["count"] == 1
    assert by_id["god-class"]["count"] == 0 and by_id["god-class"]["occurrences"] == []


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "clean.py").write_text("def add(a, b):\n    return a + b\n")
    (tmp_path / "run.js").write_text((DATA / "run.js").read_text())
    (tmp_path / "latin1.py").write_bytes("x = 'caf\xe9'\n".encode("latin-1"))
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "dep.js").write_text((DATA / "run.js").read_text())
    return tmp_path


def reports(client):
    """The progress values of the one token the server created."""
    assert len(client.progress_reports) == 1
    return next(iter(client.progress_reports.values()))


@pytest.mark.asyncio
async def test_scan_reports_progress_and_publishes_closed_files(client: LanguageClient,
                                                                workspace):
    # Without the index (`index: false`) the command analyzes every file itself.
    await start(client, workspace, {"debounceMs": 0, "index": False}, capabilities=push_only())
    open_uri = (workspace / "clean.py").as_uri()
    did_open(client, open_uri, "def add(a, b):\n    return a + b\n")
    await wait_diagnostics(client, open_uri)
    summary = await execute(client, "cpt.scanWorkspace")
    assert summary == {"files": 3, "findings": 4, "skipped": 1, "cancelled": False, "total": 4}
    values = reports(client)
    assert values[0].kind == "begin" and values[0].cancellable
    assert values[-1].kind == "end" and "3 files, 4 findings" in values[-1].message
    middle = values[1:-1]
    assert middle and all(value.kind == "report" for value in middle)
    percentages = [value.percentage for value in middle]
    assert percentages == sorted(percentages)
    # Files that are not open get their diagnostics pushed; the open one stays the editor's.
    app = client.diagnostics[(workspace / "app.py").as_uri()]
    assert {d.code for d in app} == {"singleton", "mutable-default-argument", "command-injection"}
    assert {d.code for d in client.diagnostics[(workspace / "run.js").as_uri()]} == {
        "command-injection"}
    assert (workspace / "node_modules" / "dep.js").as_uri() not in client.diagnostics
    # The table now counts the scanned files too.
    table = await execute(client, "cpt.showTable")
    counts = {element["id"]: element["count"] for element in table["elements"]}
    assert counts["command-injection"] == 2 and counts["singleton"] == 1


@pytest.mark.asyncio
async def test_scan_stops_promptly_when_cancelled(client: LanguageClient, tmp_path):
    total = 300
    for index in range(total):
        (tmp_path / f"module_{index:03}.py").write_text(APP.replace("Config", f"Config{index}"))
    await start(client, tmp_path, {"debounceMs": 0, "index": False}, capabilities=push_only())
    open_uri = (tmp_path / "module_299.py").as_uri()
    did_open(client, open_uri, APP)
    await wait_diagnostics(client, open_uri)
    scan = asyncio.ensure_future(execute(client, "cpt.scanWorkspace"))

    async def first_report():
        while True:
            params = await client.wait_for_notification(types.PROGRESS)
            if params.value.get("kind") == "report" and params.value.get("percentage", 0) >= 1:
                return params.token

    token = await asyncio.wait_for(first_report(), 30)
    # The scan yields between files: other requests are answered while it runs.
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=open_uri), position=types.Position(3, 8)))
    assert "Sg Singleton" in hover.contents.value and not scan.done()
    client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    summary = await asyncio.wait_for(scan, 30)
    assert summary["cancelled"] is True
    assert summary["total"] == total
    assert 0 < summary["files"] < total
    assert summary["findings"] == 3 * summary["files"]
    values = reports(client)
    assert values[-1].kind == "end" and values[-1].message.startswith("cancelled")
