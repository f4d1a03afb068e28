"""Code actions: each quick fix, both suppressions and fix-all really remove their diagnostics."""

import textwrap

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

from .conftest import start
from .test_diagnostics import did_open

FIX_ALL = "source.fixAll.cpt"

# One finding per document, with text beyond ASCII so that positions depend on the encoding.
FIXES = {
    "mutable-default-argument": (
        'def add(item, bucket=[]):\n    """Add 🎉 to the bucket."""\n    bucket.append(item)\n',
        '    """Add 🎉 to the bucket."""\n    if bucket is None:\n        bucket = []\n',
    ),
    "broad-except": (
        'def load(read):\n    try:\n        return read("日本")\n'
        '    except:\n        return None\n',
        "    except Exception:\n",
    ),
    "command-injection": (
        'import subprocess\n\n\ndef listing():\n    subprocess.run("ls -l 🎉", shell=True)\n',
        'subprocess.run(["ls", "-l", "🎉"])',
    ),
    "swallowed-exception": (
        '"""Módulo 🎉."""\n\nimport os\n\n\ndef remove(path):\n    try:\n        os.remove(path)\n'
        '    except FileNotFoundError:\n        pass\n',
        'import logging\nimport os\n',
    ),
}

EVERYTHING = textwrap.dedent('''\
    import subprocess


    def run(items=[]):
        try:
            subprocess.run("make build", shell=True)
        except:
            pass
''')


def apply_text_edits(text, edits, encoding):
    """Apply LSP TextEdits to a string, counting characters in the negotiated encoding."""
    lines = text.splitlines(keepends=True) or [""]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position):
        if position.line >= len(lines):
            return len(text)
        line, units, index = lines[position.line], 0, 0
        while index < len(line) and units < position.character and line[index] not in "\r\n":
            units += _width(line[index], encoding)
            index += 1
        return starts[position.line] + index

    # Stable sort, applied back to front: insertions at one position keep their order.
    ordered = sorted(edits, key=lambda edit: offset(edit.range.start))
    for edit in reversed(ordered):
        text = text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


def _width(char, encoding):
    if encoding == "utf-8":
        return len(char.encode("utf-8"))
    if encoding == "utf-16":
        return len(char.encode("utf-16-le")) // 2
    return 1


def edits_of(edit: types.WorkspaceEdit, uri):
    if edit.document_changes:
        return [change_edit for change in edit.document_changes
                if change.text_document.uri == uri for change_edit in change.edits]
    return list(edit.changes[uri])


class Session:
    """One open document in a real server: its text, version and negotiated encoding."""

    def __init__(self, client, uri, text, encoding):
        self.client, self.uri, self.text, self.encoding, self.version = (
            client, uri, text, encoding, 1)

    @classmethod
    async def open(cls, client, root, text, offered=("utf-16",)):
        capabilities = client_capabilities("visual-studio-code")
        capabilities.general.position_encodings = list(offered)
        result = await start(client, root, capabilities=capabilities)
        uri = (root / "app.py").as_uri()
        did_open(client, uri, text)
        return cls(client, uri, text, result.capabilities.position_encoding), result

    async def diagnostics(self):
        report = await self.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri)))
        return list(report.items)

    async def actions(self, diagnostics, only=None, whole=False):
        if whole:
            rng = types.Range(types.Position(0, 0), types.Position(len(self.text.splitlines()), 0))
        else:
            rng = diagnostics[0].range
        actions = await self.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri), range=rng,
            context=types.CodeActionContext(diagnostics=diagnostics, only=only)))
        return list(actions or [])

    def apply(self, action):
        """Apply an action's edit as the editor would, and send the new text as a didChange."""
        self.text = apply_text_edits(self.text, edits_of(action.edit, self.uri), self.encoding)
        self.version += 1
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=self.uri,
                                                                version=self.version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=self.text)]))


def by_code(diagnostics, code):
    return next(diagnostic for diagnostic in diagnostics if diagnostic.code == code)


@pytest.mark.asyncio
@pytest.mark.parametrize("offered", [("utf-16",), ("utf-8", "utf-16")], ids=["utf16", "utf8"])
@pytest.mark.parametrize("element", sorted(FIXES))
async def test_quick_fix_removes_its_diagnostic(client: LanguageClient, tmp_path, element,
                                                offered):
    text, expected = FIXES[element]
    session, _ = await Session.open(client, tmp_path, text, offered)
    diagnostic = by_code(await session.diagnostics(), element)
    actions = await session.actions([diagnostic])
    preferred = [action for action in actions if action.is_preferred]
    assert len(preferred) == 1
    quick_fix = preferred[0]
    assert quick_fix.kind == types.CodeActionKind.QuickFix
    assert list(quick_fix.diagnostics) == [diagnostic]
    session.apply(quick_fix)
    assert expected in session.text
    after = await session.diagnostics()
    # broad-except leaves a milder finding (`except Exception`), with another message.
    assert (element, diagnostic.message) not in {(d.code, d.message) for d in after}


@pytest.mark.asyncio
async def test_suppress_on_line_merges_into_an_existing_comment(client: LanguageClient, tmp_path):
    text = ('import subprocess\n\n\n'
            'def run(cmd, items=[]): subprocess.run("ls " + cmd, shell=True)\n')
    session, _ = await Session.open(client, tmp_path, text)
    found = await session.diagnostics()
    assert {d.code for d in found} == {"command-injection", "mutable-default-argument"}
    for code in ("mutable-default-argument", "command-injection"):
        diagnostic = by_code(await session.diagnostics(), code)
        actions = await session.actions([diagnostic])
        session.apply(next(a for a in actions if a.title == f"Suppress {code} on this line"))
    assert session.text.splitlines()[3].endswith(
        "shell=True)  # cpt: ignore[command-injection, mutable-default-argument]")
    assert await session.diagnostics() == []


@pytest.mark.asyncio
async def test_suppress_in_file_goes_below_the_shebang(client: LanguageClient, tmp_path):
    text = "#!/usr/bin/env python3\n" + FIXES["mutable-default-argument"][0]
    session, _ = await Session.open(client, tmp_path, text)
    diagnostic = by_code(await session.diagnostics(), "mutable-default-argument")
    actions = await session.actions([diagnostic])
    assert [a.title for a in actions if a.kind == types.CodeActionKind.QuickFix] == [
        "Default `bucket` to None and create the value in the body",
        "Suppress mutable-default-argument on this line",
        "Suppress mutable-default-argument in this file",
    ]
    session.apply(next(a for a in actions if a.title.endswith("in this file")))
    assert session.text.splitlines()[:2] == [
        "#!/usr/bin/env python3", "# cpt: ignore-file[mutable-default-argument]"]
    assert await session.diagnostics() == []


@pytest.mark.asyncio
async def test_fix_all_applies_every_fix_in_one_edit(client: LanguageClient, tmp_path):
    session, result = await Session.open(client, tmp_path, EVERYTHING)
    assert FIX_ALL in result.capabilities.code_action_provider.code_action_kinds
    before = await session.diagnostics()
    assert {d.code for d in before} == {"mutable-default-argument", "command-injection",
                                        "broad-except", "swallowed-exception"}
    actions = await session.actions(before, only=[types.CodeActionKind.SourceFixAll], whole=True)
    assert [action.kind for action in actions] == [FIX_ALL]
    session.apply(actions[0])
    assert session.text == textwrap.dedent('''\
        import logging
        import subprocess


        def run(items=None):
            if items is None:
                items = []
            try:
                subprocess.run(["make", "build"])
            except Exception:
                logging.exception("Ignored an unexpected error")
    ''')
    after = await session.diagnostics()
    assert [d.code for d in after] == ["broad-except"]  # `except Exception`: narrowing is manual
    assert await session.actions(after, only=[types.CodeActionKind.SourceFixAll],
                                 whole=True) == []


@pytest.mark.asyncio
async def test_requested_kinds_filter_the_actions(client: LanguageClient, tmp_path):
    session, _ = await Session.open(client, tmp_path, EVERYTHING)
    found = await session.diagnostics()
    quick = await session.actions(found, only=[types.CodeActionKind.QuickFix], whole=True)
    assert quick and all(action.kind == types.CodeActionKind.QuickFix for action in quick)
    assert await session.actions(found, only=[types.CodeActionKind.Refactor], whole=True) == []
    both = await session.actions(found, whole=True)
    assert [action.kind for action in both].count(FIX_ALL) == 1


@pytest.mark.asyncio
async def test_suppression_uses_the_language_comment_syntax(client: LanguageClient, tmp_path):
    await start(client, tmp_path)
    uri = (tmp_path / "run.js").as_uri()
    text = ('const cp = require("child_process");\n'
            'function run(name) {\n  cp.exec("ls " + name);\n}\n')
    did_open(client, uri, text, language="javascript")
    session = Session(client, uri, text, "utf-16")
    diagnostic = by_code(await session.diagnostics(), "command-injection")
    actions = await session.actions([diagnostic])
    assert not any(action.is_preferred for action in actions)  # no fix outside Python
    session.apply(next(a for a in actions if a.title.endswith("on this line")))
    assert '  cp.exec("ls " + name);  // cpt: ignore[command-injection]\n' in session.text
    assert "command-injection" not in {d.code for d in await session.diagnostics()}
