"""Code actions: an element's quick fix, suppression comments, and `source.fixAll.cpt`.

Every action carries its WorkspaceEdit (no resolve round trip): the edits are small and are
computed from the document's current analysis, so they match the version the client sees.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lsprotocol import types

from cpt.engine.analysis import Analysis, Finding
from cpt.engine.fixes import Edit, fix, fix_all, fix_title
from cpt.engine.positions import Span

from .convert import SOURCE, lsp_range
from .diagnostics import ensure_current
from .server import CptServer, guarded
from .state import OpenDocument

FIX_ALL = "source.fixAll.cpt"
QUICK_FIX = types.CodeActionKind.QuickFix.value
# PEP 263: a coding declaration counts on the first two lines only.
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*[-_.a-zA-Z0-9]+")


def register(server: CptServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
    )
    @guarded(server, "textDocument/codeAction", [])
    def code_action(ls: CptServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        """Quick fixes and suppressions for cpt diagnostics; fix-all for the whole document."""
        return code_actions(ls, params)


def code_actions(ls: CptServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """Return the actions the request's kinds allow, for the diagnostics in its context."""
    state = ls.documents.get(params.text_document.uri)
    if state is None:
        return []
    only = params.context.only
    ours = any(diagnostic.source == SOURCE for diagnostic in params.context.diagnostics)
    if not ours and not (only is not None and _allows(only, FIX_ALL)):
        # Editors ask on every cursor move; while typing, nothing of ours is under the cursor,
        # and fix-all is only computed when asked for by kind (save actions, the menu).
        return []
    ensure_current(ls, state)
    analysis = state.analysis
    if analysis is None:
        return []
    actions: list[types.CodeAction] = []
    if _allows(only, QUICK_FIX):
        for diagnostic in params.context.diagnostics:
            finding = _finding_of(ls, state, analysis, diagnostic)
            if finding is not None:
                actions.extend(_quick_fixes(ls, state, analysis, diagnostic, finding))
    if _allows(only, FIX_ALL):
        edits = fix_all(analysis, catalog=ls.catalog)
        if edits:
            actions.append(types.CodeAction(
                title="Fix all cpt problems that have a safe fix", kind=FIX_ALL,
                edit=_workspace_edit(ls, state, analysis, edits)))
    return actions


def _allows(only: Sequence[str] | None, kind: str) -> bool:
    """Kinds are hierarchical: asking for `source.fixAll` admits `source.fixAll.cpt`."""
    if only is None:
        return True
    return any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)


def _finding_of(ls: CptServer, state: OpenDocument, analysis: Analysis,
                diagnostic: types.Diagnostic) -> Finding | None:
    """Return the finding behind a diagnostic of the current analysis (a stale one has none)."""
    if diagnostic.source != SOURCE or str(diagnostic.code) not in ls.catalog:
        return None
    for finding in analysis.findings + state.project_findings:
        if finding.element == str(diagnostic.code) and lsp_range(
                finding.span, analysis.lines, ls.encoding) == diagnostic.range:
            return finding
    return None


def _quick_fixes(ls: CptServer, state: OpenDocument, analysis: Analysis,
                 diagnostic: types.Diagnostic, finding: Finding) -> list[types.CodeAction]:
    actions = []
    element_id = finding.element

    def action(title: str, edits: list[Edit], preferred: bool = False) -> None:
        actions.append(types.CodeAction(
            title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
            is_preferred=preferred or None, edit=_workspace_edit(ls, state, analysis, edits)))

    edits = fix(analysis, finding, ls.catalog) if finding in analysis.findings else None
    if edits:
        action(fix_title(finding, ls.catalog), edits, preferred=True)
    line_edit = suppress_on_line(analysis, element_id, finding.span.start[0])
    if line_edit is not None:
        action(f"Suppress {element_id} on this line", [line_edit])
    action(f"Suppress {element_id} in this file", [suppress_in_file(analysis, element_id)])
    return actions


def suppress_on_line(analysis: Analysis, element_id: str, row: int) -> Edit | None:
    """`cpt: ignore[<id>]` at the end of a line, merged into one already there."""
    for suppression in analysis.suppressions:
        if suppression.line == row and not suppression.whole_file and suppression.ids is not None:
            return _merged(suppression.start, suppression.end, "ignore", suppression.ids,
                           element_id)
    lines = analysis.lines
    text = lines.line_bytes(row)
    start = lines.line_starts[row]
    content = text.rstrip()
    end = start + len(content)
    if content.endswith(b"\\") or _inside_text(analysis, end):
        return None  # a comment here would end a continued line or land inside a string
    comment = analysis.spec.comment(f"cpt: ignore[{element_id}]")
    return Edit(end, start + len(text), f"  {comment}")


def suppress_in_file(analysis: Analysis, element_id: str) -> Edit:
    """`cpt: ignore-file[<id>]` at the top (after a shebang or encoding line), or merged."""
    for suppression in analysis.suppressions:
        if suppression.whole_file and suppression.ids is not None:
            return _merged(suppression.start, suppression.end, "ignore-file", suppression.ids,
                           element_id)
    lines = analysis.lines
    row = 0
    while row < min(2, lines.line_count):
        text = lines.line_bytes(row)
        if not ((row == 0 and text.startswith(b"#!")) or (
                analysis.spec.name == "python" and _CODING.match(text))):
            break
        row += 1
    comment = analysis.spec.comment(f"cpt: ignore-file[{element_id}]") + "\n"
    if row < lines.line_count:
        offset = lines.line_starts[row]
        return Edit(offset, offset, comment)
    end = len(lines.data)  # nothing but a shebang, without a line break
    return Edit(end, end, "\n" + comment)


def _merged(start: int, end: int, word: str, ids: frozenset[str], element_id: str) -> Edit:
    return Edit(start, end, f"cpt: {word}[{', '.join(sorted(ids | {element_id}))}]")


def _inside_text(analysis: Analysis, offset: int) -> bool:
    """Say whether `offset` lies inside a string or comment that goes on past it."""
    node = analysis.tree.root_node.descendant_for_byte_range(offset, offset)
    while node is not None:
        kind = node.type
        if ("string" in kind or "comment" in kind or kind == "text_block") and (
                node.start_byte < offset < node.end_byte):
            return True
        node = node.parent
    return False


def _workspace_edit(ls: CptServer, state: OpenDocument, analysis: Analysis,
                    edits: list[Edit]) -> types.WorkspaceEdit:
    """Turn byte edits into one WorkspaceEdit, versioned when the client checks versions."""
    text_edits = [
        types.TextEdit(range=lsp_range(Span(edit.start_byte, edit.end_byte), analysis.lines,
                                       ls.encoding),
                       new_text=edit.new_text)
        for edit in sorted(edits, key=lambda edit: (edit.start_byte, edit.end_byte))
    ]
    workspace = ls.client_capabilities.workspace
    capability = workspace.workspace_edit if workspace is not None else None
    if capability is not None and capability.document_changes:
        document = types.OptionalVersionedTextDocumentIdentifier(uri=state.uri,
                                                                 version=state.version)
        return types.WorkspaceEdit(document_changes=[
            types.TextDocumentEdit(text_document=document, edits=text_edits)])
    return types.WorkspaceEdit(changes={state.uri: text_edits})
