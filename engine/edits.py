"""Text edits as tree-sitter describes them, and how positions move through them.

An analysis of an older version of a file stays useful after an edit: what lies before the
edit keeps its place, what lies after it moves by the edit's length (and line count). The
language server uses this to carry findings forward between full analyses.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from .positions import Span

Point = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Edit:
    """One replacement: bytes [start, old_end) became [start, new_end), with their points."""

    start_byte: int
    old_end_byte: int
    new_end_byte: int
    start_point: Point
    old_end_point: Point
    new_end_point: Point
    blank: bool = False  # removed and inserted text are spaces and tabs only

    def move(self, byte: int, point: Point, is_end: bool) -> tuple[int, Point]:
        """Where a position of the old text is in the new text.

        A start inside the replaced text moves to the edit's start, an end to its new end; an
        insertion exactly at a position pushes starts forward and leaves ends where they were.
        """
        if byte < self.start_byte or (is_end and byte == self.start_byte):
            return byte, point
        if byte >= self.old_end_byte:
            row, column = point
            if row == self.old_end_point[0]:
                column += self.new_end_point[1] - self.old_end_point[1]
            row += self.new_end_point[0] - self.old_end_point[0]
            return byte + self.new_end_byte - self.old_end_byte, (row, column)
        return (self.new_end_byte, self.new_end_point) if is_end else (
            self.start_byte, self.start_point)

    def move_range(self, start: int, end: int) -> tuple[int, int]:
        """A byte range of the old text in the new text (points ignored)."""
        return (self.move(start, (0, 0), False)[0], self.move(end, (0, 0), True)[0])


def move_span(span: Span, edits: list[Edit]) -> Span:
    """The span in the text after `edits` (applied in order)."""
    start_byte, start = span.start_byte, span.start
    end_byte, end = span.end_byte, span.end
    for edit in edits:
        start_byte, start = edit.move(start_byte, start, False)
        end_byte, end = edit.move(end_byte, end, True)
    return Span(start_byte, max(start_byte, end_byte), start, max(start, end))


@dataclass(slots=True)
class _Entry:
    version: int  # the version this edit produced
    edit: Edit
    changed: list[tuple[int, int]]  # tree-sitter's changed ranges, in that version's bytes


class EditLog:
    """The recent edits of a document, to carry an analysis of an older version forward."""

    LIMIT = 256

    def __init__(self) -> None:
        self._entries: deque[_Entry] = deque(maxlen=self.LIMIT)
        self._floor = 0  # versions before this cannot be reached (a full replace, or trimmed)

    def record(self, version: int, edit: Edit, changed: list[tuple[int, int]]) -> None:
        """Remember the edit that produced `version`."""
        if len(self._entries) == self._entries.maxlen:
            self._floor = self._entries[0].version
        self._entries.append(_Entry(version, edit, changed))

    def reset(self, version: int) -> None:
        """The whole text was replaced: nothing before `version` can be carried forward."""
        self._entries.clear()
        self._floor = version

    def since(self, version: int) -> list[_Entry] | None:
        """The entries after `version`, oldest first; None when they are no longer known."""
        if version < self._floor:
            return None
        return [entry for entry in self._entries if entry.version > version]

    def edits_since(self, version: int) -> list[Edit] | None:
        """The edits after `version`, oldest first; None when they are no longer known."""
        entries = self.since(version)
        return None if entries is None else [entry.edit for entry in entries]

    def regions_since(self, version: int) -> list[tuple[int, int, bool]] | None:
        """Byte ranges of the current text that changed after `version`.

        Each is (start, end, blank): the edited text itself and tree-sitter's changed ranges,
        moved through the later edits; `blank` when it comes from a spaces-only edit.
        """
        entries = self.since(version)
        return None if entries is None else regions_of(entries)


def regions_of(entries: list[_Entry]) -> list[tuple[int, int, bool]]:
    """Byte ranges of the text after `entries` that they changed (see `regions_since`)."""
    regions: list[tuple[int, int, bool]] = []
    for index, entry in enumerate(entries):
        edit = entry.edit
        own = [(edit.start_byte, edit.new_end_byte, edit.blank)]
        own += [(start, end, edit.blank) for start, end in entry.changed]
        for later in entries[index + 1:]:
            own = [(*later.edit.move_range(start, end), blank) for start, end, blank in own]
        regions.extend(own)
    return regions
