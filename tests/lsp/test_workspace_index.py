"""The workspace index in the editor: built in the background with progress, then workspace
diagnostics, symbols, counts in hovers and lenses, clones across files, and files changed on
disk picked up (client watchers, or watchdog when the client has none)."""

import asyncio
import time

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

from .conftest import push_only, start
from .test_commands import APP, execute
from .test_diagnostics import did_open, wait_diagnostics

CLONE = '''import csv


def {name}(path, delimiter=","):
    rows = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader)
        for row in reader:
            if not row or row[0].startswith("#"):
                continue
            record = dict(zip(header, row))
            record["id"] = int(record["id"])
            {extra}rows.append(record)
    return rows
'''


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "other.py").write_text(APP.replace("Config", "Settings"))
    (tmp_path / "customers.py").write_text(CLONE.format(name="load_customers", extra=""))
    (tmp_path / "suppliers.py").write_text(CLONE.format(
        name="read_suppliers", extra='record["ok"] = record.get("ok") == "yes"\n            '))
    return tmp_path


async def index_ready(client, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any("index ready" in item.message for item in client.log_messages):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the index never became ready: "
                         + "; ".join(item.message for item in client.log_messages))


async def workspace_diagnostics(client, previous=()):
    report = await client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(
        previous_result_ids=list(previous)))
    return {item.uri: item for item in report.items}


async def until(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = await condition()
        if result:
            return result
        await asyncio.sleep(0.1)
    raise AssertionError("condition not met in time")


@pytest.mark.asyncio
async def test_index_builds_with_progress_and_answers_workspace_diagnostics(
        client: LanguageClient, workspace):
    result = await start(client, workspace)
    assert result.capabilities.diagnostic_provider.workspace_diagnostics is True
    await index_ready(client)
    titles = [values[0].title for values in client.progress_reports.values()]
    assert "cpt: indexing the workspace" in titles
    reports = await workspace_diagnostics(client)
    app = reports[(workspace / "app.py").as_uri()]
    assert {item.code for item in app.items} >= {"singleton", "mutable-default-argument",
                                                 "command-injection"}
    clone = next(item for item in reports[(workspace / "customers.py").as_uri()].items
                 if item.code == "duplicate-code")
    assert clone.related_information[0].location.uri == (workspace / "suppliers.py").as_uri()
    assert "alike" in clone.message
    # Asking again with the result ids: nothing changed, nothing resent.
    again = await workspace_diagnostics(client, [
        types.PreviousResultId(uri=uri, value=item.result_id) for uri, item in reports.items()])
    assert all(item.kind == "unchanged" for item in again.values())


@pytest.mark.asyncio
async def test_workspace_symbols_come_from_the_index(client: LanguageClient, workspace):
    await start(client, workspace)
    await index_ready(client)
    singletons = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="Sg"))
    assert {symbol.location.uri for symbol in singletons} == {
        (workspace / "app.py").as_uri(), (workspace / "other.py").as_uri()}
    units = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="suppl"))
    assert [symbol.name for symbol in units] == ["read_suppliers"]
    assert units[0].kind == types.SymbolKind.Function


@pytest.mark.asyncio
async def test_hover_and_lens_count_the_other_occurrences(client: LanguageClient, workspace):
    await start(client, workspace)
    await index_ready(client)
    uri = (workspace / "app.py").as_uri()
    did_open(client, uri, APP)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(3, 8)))
    assert "1 other Singleton occurrence(s) in this workspace: `other.py:4`" in hover.contents.value
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    titles = [lens.data["title"] for lens in lenses]
    assert any(title.startswith("◆ Sg Singleton") and "1 more in workspace" in title
               for title in titles)


@pytest.mark.asyncio
async def test_an_open_document_is_compared_with_the_indexed_files(client: LanguageClient,
                                                                   tmp_path):
    (tmp_path / "customers.py").write_text(CLONE.format(name="load_customers", extra=""))
    await start(client, tmp_path, capabilities=push_only())
    await index_ready(client)
    uri = (tmp_path / "vendors.py").as_uri()
    did_open(client, uri, CLONE.format(name="load_vendors", extra="print(row)\n            "))
    diagnostics = await wait_diagnostics(client, uri)
    clone = next(item for item in diagnostics if item.code == "duplicate-code")
    assert clone.related_information[0].location.uri == (tmp_path / "customers.py").as_uri()


@pytest.mark.asyncio
async def test_files_changed_on_disk_are_picked_up_by_watchdog(client: LanguageClient, workspace):
    capabilities = push_only()
    capabilities.workspace.did_change_watched_files = None  # no client watchers: watchdog
    await start(client, workspace, capabilities=capabilities)
    await index_ready(client)

    async def count(element):
        table = await execute(client, "cpt.showTable")
        return next(item["count"] for item in table["elements"] if item["id"] == element)

    assert await count("code-injection") == 0
    (workspace / "generated.py").write_text("def run(text):\n    return eval(text)\n")
    await until(lambda: _equals(count("code-injection"), 1))
    (workspace / "generated.py").unlink()
    await until(lambda: _equals(count("code-injection"), 0))
    # Ignored files are not indexed.
    (workspace / ".gitignore").write_text("build_output/\n")
    (workspace / "build_output").mkdir()
    (workspace / "build_output" / "gen.py").write_text("eval(input())\n")
    (workspace / "seen.py").write_text("def run(text):\n    return eval(text)\n")
    await until(lambda: _equals(count("code-injection"), 1))
    await asyncio.sleep(1)
    assert await count("code-injection") == 1


async def _equals(awaitable, expected):
    return await awaitable == expected


@pytest.mark.asyncio
async def test_client_file_watchers_are_used_when_offered(client: LanguageClient, workspace):
    await start(client, workspace, capabilities=client_capabilities("visual-studio-code"))
    await index_ready(client)
    await until(lambda: _registered(client, "cpt-source-files"))
    (workspace / "generated.py").write_text("def run(text):\n    return eval(text)\n")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=(workspace / "generated.py").as_uri(),
                        type=types.FileChangeType.Created)]))

    async def indexed():
        reports = await workspace_diagnostics(client)
        found = reports.get((workspace / "generated.py").as_uri())
        return found is not None and {item.code for item in found.items} == {"code-injection"}

    await until(indexed)


async def _registered(client, registration_id):
    return any(item.id == registration_id for item in client.registrations)


@pytest.mark.asyncio
async def test_scan_workspace_publishes_indexed_files_to_push_clients(client: LanguageClient,
                                                                      workspace):
    await start(client, workspace, capabilities=push_only())
    await index_ready(client)
    summary = await execute(client, "cpt.scanWorkspace")
    assert summary["cancelled"] is False and summary["files"] == 4
    codes = {item.code for item in client.diagnostics[(workspace / "suppliers.py").as_uri()]}
    assert "duplicate-code" in codes
    table = await execute(client, "cpt.showTable")
    assert table["workspace"] == str(workspace.resolve())
    assert next(item for item in table["elements"] if item["id"] == "singleton")["count"] == 2


@pytest.mark.asyncio
async def test_an_unusable_index_location_leaves_the_editor_working(client: LanguageClient,
                                                                     workspace, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the index folder should be")
    await start(client, workspace, {"debounceMs": 0, "indexPath": str(blocker / "i.sqlite3")},
                capabilities=push_only())

    async def reported():
        return any("workspace index unavailable" in item.message
                   for item in client.log_messages)

    await until(reported)
    uri = (workspace / "app.py").as_uri()
    did_open(client, uri, APP)
    assert {item.code for item in await wait_diagnostics(client, uri)} >= {"singleton"}
    symbols = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="Sg"))
    assert [symbol.location.uri for symbol in symbols] == [uri]


@pytest.mark.asyncio
@pytest.mark.parametrize("watchers", ["client", "watchdog"])
async def test_team_elements_apply_without_a_restart(client: LanguageClient, tmp_path, watchers):
    from tests.server.test_elements_cli import make_element

    (tmp_path / ".cpt" / "elements").mkdir(parents=True)
    capabilities = (client_capabilities("visual-studio-code") if watchers == "client"
                    else push_only())
    capabilities.text_document.diagnostic = None  # push, so the new finding arrives by itself
    if watchers == "watchdog":
        capabilities.workspace.did_change_watched_files = None
    await start(client, tmp_path, capabilities=capabilities)
    await index_ready(client)
    uri = (tmp_path / "app.py").as_uri()
    did_open(client, uri, 'print("debug")\n')
    assert "no-print" not in {item.code for item in await wait_diagnostics(client, uri)}
    folder = make_element(tmp_path)
    if watchers == "client":
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=(folder / "element.toml").as_uri(),
                            type=types.FileChangeType.Created)]))

    async def reported():
        return "no-print" in {item.code for item in client.diagnostics.get(uri, [])}

    await until(reported)
