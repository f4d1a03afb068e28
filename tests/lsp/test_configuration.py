"""Editor settings and project config files apply without a restart; their mistakes are shown."""

import asyncio
import textwrap

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

from .conftest import push_only, start
from .test_diagnostics import RISKY, did_open

BOTH = {"command-injection", "mutable-default-argument"}


async def wait_publish(client, uri, accept, timeout=15):
    """Wait until the latest publish of `uri` satisfies `accept(diagnostics)`; return them."""

    async def wait():
        # The stored latest publish is checked first: two publishes in a row would otherwise
        # slip between two waits.
        while uri not in client.diagnostics or not accept(list(client.diagnostics[uri])):
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return list(client.diagnostics[uri])

    return await asyncio.wait_for(wait(), timeout)


def codes(diagnostics):
    return {d.code for d in diagnostics}


def watched(client, path, kind=types.FileChangeType.Changed):
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=path.as_uri(), type=kind)]))


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "app.py").write_text(RISKY)
    return tmp_path


@pytest.mark.asyncio
async def test_workspace_configuration_is_read_after_initialized(client: LanguageClient,
                                                                  workspace):
    client.set_configuration({"select": ["command-injection"]}, section="cpt")
    await start(client, workspace, capabilities=push_only())
    uri = (workspace / "app.py").as_uri()
    did_open(client, uri, RISKY)
    await wait_publish(client, uri, lambda found: codes(found) == {"command-injection"})


@pytest.mark.asyncio
async def test_did_change_configuration_applies_without_restart(client: LanguageClient,
                                                                workspace):
    await start(client, workspace, capabilities=push_only())
    uri = (workspace / "app.py").as_uri()
    did_open(client, uri, RISKY)
    await wait_publish(client, uri, lambda found: codes(found) == BOTH)
    client.set_configuration({"ignore": ["command-injection"],
                              "severity": {"mutable-default-argument": "error"}}, section="cpt")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    found = await wait_publish(client, uri,
                               lambda found: codes(found) == {"mutable-default-argument"})
    assert found[0].severity == types.DiagnosticSeverity.Error
    # Removing the setting brings the finding back (the section replaces, it does not merge).
    client.set_configuration({}, section="cpt")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await wait_publish(client, uri, lambda found: codes(found) == BOTH)


@pytest.mark.asyncio
async def test_a_bad_editor_setting_is_logged_and_the_rest_applies(client: LanguageClient,
                                                                   workspace):
    client.set_configuration({"select": ["command-injection"], "debounceMs": -1,
                              "severity": {"command-injection": "fatal"}, "colour": "red"},
                             section="cpt")
    await start(client, workspace, capabilities=push_only())
    uri = (workspace / "app.py").as_uri()
    did_open(client, uri, RISKY)
    found = await wait_publish(client, uri, lambda found: codes(found) == {"command-injection"})
    assert found[0].severity == types.DiagnosticSeverity.Error  # catalog default kept
    messages = "\n".join(m.message for m in client.log_messages)
    for name in ("cpt.debounceMs", "cpt.severity", "cpt.colour"):
        assert name in messages


@pytest.mark.asyncio
async def test_config_file_mistakes_are_diagnostics_and_the_last_good_config_stays(
        client: LanguageClient, workspace):
    config = workspace / "pyproject.toml"
    config.write_text('[project]\nname = "x"\n\n[tool.cpt]\nselect = ["command-injection"]\n')
    config_uri = config.as_uri()
    await start(client, workspace, capabilities=push_only())
    uri = (workspace / "app.py").as_uri()
    did_open(client, uri, RISKY)
    await wait_publish(client, uri, lambda found: codes(found) == {"command-injection"})

    config.write_text(textwrap.dedent('''\
        [project]
        name = "x"

        [tool.cpt]
        select = ["command-injection", "no-such-element"]
        colour = "red"

        [tool.cpt.severity]
        command-injection = "fatal"
    '''))
    watched(client, config)
    found = await wait_publish(client, config_uri, lambda found: len(found) == 3)
    assert {d.code for d in found} == {"config-error"} and {d.source for d in found} == {"cpt"}
    lines = {d.range.start.line: d.message for d in found}
    assert set(lines) == {4, 5, 8}
    assert "no-such-element" in lines[4] and "unknown key" in lines[5] and "fatal" in lines[8]
    # The document is analyzed with the last good configuration meanwhile.
    assert codes(client.diagnostics[uri]) == {"command-injection"}

    # Fixed and saved in the editor: the errors clear and the new settings apply.
    config.write_text('[tool.cpt]\nignore = ["command-injection"]\n')
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=config_uri)))
    await wait_publish(client, config_uri, lambda found: found == [])
    await wait_publish(client, uri, lambda found: codes(found) == {"mutable-default-argument"})


@pytest.mark.asyncio
async def test_cpt_toml_errors_show_at_start_and_clear_when_deleted(client: LanguageClient,
                                                                   workspace):
    config = workspace / "cpt.toml"
    config.write_text('ignore = "command-injection"\n\n[thresholds]\nno-such = 3\n')
    await start(client, workspace, capabilities=push_only())
    found = await wait_publish(client, config.as_uri(), lambda found: len(found) == 2)
    assert sorted(d.range.start.line for d in found) == [0, 3]
    config.unlink()
    watched(client, config, types.FileChangeType.Deleted)
    await wait_publish(client, config.as_uri(), lambda found: found == [])


@pytest.mark.asyncio
async def test_config_files_are_watched_when_the_client_can_register(client: LanguageClient,
                                                                    workspace):
    await start(client, workspace, capabilities=client_capabilities("visual-studio-code"))
    await asyncio.wait_for(client.registered.wait(), 15)
    by_method = {r.method: r for r in client.registrations}
    watchers = by_method[types.WORKSPACE_DID_CHANGE_WATCHED_FILES].register_options["watchers"]
    assert [w["globPattern"] for w in watchers] == ["**/{pyproject.toml,cpt.toml}"]


@pytest.mark.asyncio
async def test_pull_clients_see_new_settings(client: LanguageClient, workspace):
    await start(client, workspace, capabilities="visual-studio-code")
    uri = (workspace / "app.py").as_uri()
    did_open(client, uri, RISKY)
    identifier = types.TextDocumentIdentifier(uri=uri)
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=identifier))
    assert codes(report.items) == BOTH
    (workspace / "cpt.toml").write_text('select = ["mutable-default-argument"]\n')
    watched(client, workspace / "cpt.toml", types.FileChangeType.Created)

    # Notifications are handled in order, so the next pull sees the new settings.
    again = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=identifier, previous_result_id=report.result_id))
    assert again.kind == "full"
    assert codes(again.items) == {"mutable-default-argument"}
