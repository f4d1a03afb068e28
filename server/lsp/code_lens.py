"""Code lenses above the classes and functions that play a pattern role: `◆ Sg Singleton · 0.93`.

Lenses are sent without a command and completed in `codeLens/resolve`, so that a file with many
patterns costs the client only the lenses it shows.
"""

from __future__ import annotations

from lsprotocol import types

from .commands import EXPLAIN
from .convert import lsp_range
from .index_features import other_occurrences
from .server import CptServer, guarded
from .symbols import current_findings


def register(server: CptServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=True))
    @guarded(server, "textDocument/codeLens", empty=[])
    def code_lens(ls: CptServer, params: types.CodeLensParams) -> list[types.CodeLens]:
        """One lens per pattern finding; none when the `codeLens` option is off."""
        if not ls.options.code_lens:
            return []
        found = current_findings(ls, params.text_document.uri, model=False)
        if found is None:
            return []
        _state, analysis, findings = found
        lenses = []
        for finding in findings:
            element = ls.catalog.get(finding.element)
            if element is None or not element.is_pattern:
                continue
            title = f"◆ {element.symbol} {element.name} · {finding.confidence:.2f}"
            line = analysis.lines.human(*finding.span.start)[0]
            others, _ = other_occurrences(ls, element.id, analysis.path, line, limit=0)
            if others:
                title += f" · {others} more in workspace"
            lenses.append(types.CodeLens(
                range=lsp_range(finding.span, analysis.lines, ls.encoding),
                data={"element": element.id, "title": title}))
        return lenses

    @server.feature(types.CODE_LENS_RESOLVE)
    @guarded(server, "codeLens/resolve")
    def resolve(ls: CptServer, lens: types.CodeLens) -> types.CodeLens:
        """Attach the `cpt.explain` command of the lens's element."""
        data = lens.data if isinstance(lens.data, dict) else {}
        element_id = str(data.get("element", ""))
        title = str(data.get("title") or element_id)
        lens.command = types.Command(title=title, command=EXPLAIN, arguments=[element_id])
        return lens
