"""An open file kept in sync with an editor: text, line index and an incrementally edited tree.

The language server receives small edits as LSP ranges (UTF-16 by default); re-parsing the
whole file for every keystroke is wasteful, so each edit is applied to the bytes, described to
tree-sitter with `Tree.edit`, and the file is re-parsed with the old tree as a starting point.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import tree_sitter as ts

from .config import Settings
from .edits import Edit, EditLog
from .languages import LanguageSpec
from .positions import LineIndex

if TYPE_CHECKING:
    from .analysis import Analysis, Analyzer


class Document:
    """One version of a file's text with the syntax tree that belongs to exactly that text."""

    def __init__(self, text: str | bytes, spec: LanguageSpec, analyzer: Analyzer,
                 path: str = "<memory>"):
        self.spec = spec
        self.path = path
        # The parser belongs to the analyzer (one per language per process), not to the file.
        self._analyzer = analyzer
        self.data = _to_bytes(text)
        self.lines = LineIndex(self.data)
        self.tree: ts.Tree = analyzer.parse(self.data, spec)
        # What the last edit changed in the tree, for callers that refresh only those parts.
        self.changed_ranges: list[ts.Range] = [_whole(self.tree)]
        self.version = 0
        # Every edit since the recent versions, so an analysis of an older version can be
        # carried forward (engine/incremental.py) instead of redone from scratch.
        self.log = EditLog()

    @property
    def text(self) -> str:
        """The current text; bytes that are not UTF-8 come back as U+FFFD."""
        return self.data.decode("utf-8", "replace")

    def apply_change(self, range_start_line: int, range_start_char: int, range_end_line: int,
                     range_end_char: int, new_text: str, encoding: str = "utf-16") -> None:
        """Replace an LSP range (in `encoding` units) with `new_text` and re-parse incrementally.

        Out-of-range positions are clamped as the LSP spec asks; a reversed range is
        treated as its normal form, since clients have been seen to send both.
        """
        lines = self.lines
        start = lines.offset_of_position(range_start_line, range_start_char, encoding)
        end = lines.offset_of_position(range_end_line, range_end_char, encoding)
        if end < start:
            start, end = end, start
        inserted = _to_bytes(new_text)
        start_point = lines.point_of(start)
        old_end_point = lines.point_of(end)
        new_end = start + len(inserted)
        newlines = inserted.count(b"\n")
        if newlines:
            new_end_point = (start_point[0] + newlines, len(inserted) - inserted.rfind(b"\n") - 1)
        else:
            new_end_point = (start_point[0], start_point[1] + len(inserted))
        removed = self.data[start:end]
        self.data = self.data[:start] + inserted + self.data[end:]
        self.lines = lines.replaced(start, end, inserted, self.data)
        # Edit a copy: analyses of the previous version keep their own, unedited tree
        # (their spans read points from its nodes lazily).
        old_tree = self.tree.copy()
        old_tree.edit(start_byte=start, old_end_byte=end, new_end_byte=new_end,
                      start_point=start_point, old_end_point=old_end_point,
                      new_end_point=new_end_point)
        self.tree = self._analyzer.parse(self.data, self.spec, old_tree)
        self.changed_ranges = list(old_tree.changed_ranges(self.tree))
        self.version += 1
        self.log.record(self.version, Edit(start, end, new_end, start_point, old_end_point,
                                           new_end_point, _blank(removed) and _blank(inserted)),
                        [(item.start_byte, item.end_byte) for item in self.changed_ranges])

    def replace_all(self, text: str | bytes) -> None:
        """Replace the whole text (full document sync): a fresh parse, everything changed."""
        self.data = _to_bytes(text)
        self.lines = LineIndex(self.data)
        self.tree = self._analyzer.parse(self.data, self.spec)
        self.changed_ranges = [_whole(self.tree)]
        self.version += 1
        self.log.reset(self.version)

    def analyze(self, analyzer: Analyzer | None = None,
                settings: Settings | None = None) -> Analysis:
        """Run the catalog over the current text, reusing the kept tree instead of re-parsing."""
        return self.snapshot().analyze(analyzer or self._analyzer, settings or Settings())

    def snapshot(self) -> Snapshot:
        """The current version's text, tree and line index, safe to analyze in another thread.

        Edits replace them (and edit a copy of the tree), so the snapshot never changes.
        """
        return Snapshot(self.data, self.tree, self.lines, self.version, self.path, self.spec)


class Snapshot:
    """One version of a document, fixed (see `Document.snapshot`)."""

    __slots__ = ("data", "tree", "lines", "version", "path", "spec")

    def __init__(self, data: bytes, tree: ts.Tree, lines: LineIndex, version: int, path: str,
                 spec: LanguageSpec):
        self.data, self.tree, self.lines = data, tree, lines
        self.version, self.path, self.spec = version, path, spec

    def analyze(self, analyzer: Analyzer, settings: Settings,
                cancelled: Callable[[], bool] | None = None) -> Analysis:
        """Analyze this version (`AnalysisCancelled` when `cancelled` says so)."""
        analysis = analyzer.analyze(self.data, self.path, self.spec, settings, tree=self.tree,
                                    lines=self.lines, cancelled=cancelled)
        analysis.version = self.version
        return analysis


def _to_bytes(text: str | bytes) -> bytes:
    if isinstance(text, bytes):
        return text
    # Lone surrogates (a client splitting a pair) cannot be encoded; keep the rest of the edit.
    return text.encode("utf-8", "replace")


def _blank(data: bytes) -> bool:
    """Spaces and tabs only (no line breaks, which can end a statement)."""
    return not data.strip(b" \t")


def _whole(tree: ts.Tree) -> ts.Range:
    root = tree.root_node
    return ts.Range(root.start_point, root.end_point, root.start_byte, root.end_byte)
