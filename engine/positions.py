"""Conversions between byte offsets, LSP positions (UTF-8 or UTF-16) and 1-based line/column.

tree-sitter speaks bytes, LSP speaks UTF-16 code units unless UTF-8 is negotiated, and people
read 1-based lines with columns counted in characters. One `LineIndex` per text version does all.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate, count
from operator import add


class Span:
    """A byte range with its tree-sitter points (0-based row, byte column).

    Points are read from the node only when asked for: most spans never need them, and
    reading them from tree-sitter is the costliest part of building the model.
    """

    __slots__ = ("start_byte", "end_byte", "_start", "_end", "_node")

    def __init__(self, start_byte: int, end_byte: int, start: tuple[int, int] | None = None,
                 end: tuple[int, int] | None = None, node=None):
        self.start_byte = start_byte
        self.end_byte = end_byte
        self._start = start
        self._end = end
        self._node = node

    @classmethod
    def of(cls, node) -> Span:
        """Take the span of a tree-sitter node."""
        return cls(node.start_byte, node.end_byte, None, None, node)

    @property
    def start(self) -> tuple[int, int]:
        if self._start is None:
            self._start = tuple(self._node.start_point)
        return self._start

    @property
    def end(self) -> tuple[int, int]:
        if self._end is None:
            self._end = tuple(self._node.end_point)
        return self._end

    def __getstate__(self):
        return (self.start_byte, self.end_byte, self.start, self.end)

    def __setstate__(self, state) -> None:
        self.start_byte, self.end_byte, self._start, self._end = state
        self._node = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Span) and (self.start_byte, self.end_byte) == (
            other.start_byte, other.end_byte)

    def __hash__(self) -> int:
        return hash((self.start_byte, self.end_byte))

    def __repr__(self) -> str:
        return f"Span({self.start_byte}, {self.end_byte}, {self.start}, {self.end})"


class LineIndex:
    """Line starts of a UTF-8 buffer, for converting positions in both directions.

    Lines end at LF (a CRLF's CR belongs to the line break), as tree-sitter counts rows.
    Bytes that are not valid UTF-8 count as one character each in every encoding, so that
    offsets and positions stay inverse to each other even in broken files.
    """

    __slots__ = ("data", "line_starts")

    def __init__(self, data: bytes):
        self.data = data
        # A line starts after the lengths and line feeds of the lines before it (no Python loop).
        lines = data.split(b"\n")
        lines.pop()
        self.line_starts = [0, *map(add, accumulate(map(len, lines)), count(1))]

    def replaced(self, start: int, end: int, inserted: bytes, data: bytes) -> LineIndex:
        """The index of `data`: this text with bytes [start, end) replaced by `inserted`.

        Only the edited lines are scanned; the lines after it move by the edit's length.
        """
        starts = self.line_starts
        first = bisect_right(starts, start)  # lines starting after `start` may change
        last = bisect_right(starts, end)  # lines starting after `end` only move
        delta = len(inserted) - (end - start)
        added = []
        find = inserted.find
        pos = find(b"\n")
        while pos != -1:
            added.append(start + pos + 1)
            pos = find(b"\n", pos + 1)
        index = LineIndex.__new__(LineIndex)
        index.data = data
        index.line_starts = starts[:first] + added + [line + delta for line in starts[last:]]
        return index

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_of(self, offset: int) -> int:
        """Return the 0-based line holding byte `offset` (clamped to the buffer)."""
        return max(bisect_right(self.line_starts, offset) - 1, 0)

    def line_bytes(self, line: int) -> bytes:
        """Return the bytes of a 0-based line without its line break (LF or CRLF)."""
        if line < 0 or line >= len(self.line_starts):
            return b""
        start = self.line_starts[line]
        end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.data)
        text = self.data[start:end]
        return text[:-1] if text.endswith(b"\r") else text

    def point_of(self, offset: int) -> tuple[int, int]:
        """Return the tree-sitter point (row, byte column) of a byte offset."""
        offset = min(max(offset, 0), len(self.data))
        line = self.line_of(offset)
        return line, offset - self.line_starts[line]

    def offset_of_point(self, row: int, byte_column: int) -> int:
        """Return the byte offset of a tree-sitter point, clamped to the buffer."""
        if row < 0:
            return 0
        if row >= len(self.line_starts):
            return len(self.data)
        return min(self.line_starts[row] + max(byte_column, 0), len(self.data))

    # --- LSP positions -------------------------------------------------------------------

    def offset_of_position(self, line: int, character: int, encoding: str = "utf-16") -> int:
        """Return the byte offset of an LSP position; out-of-range values are clamped (LSP spec)."""
        if line < 0:
            return 0
        if line >= len(self.line_starts):
            return len(self.data)
        text = self.line_bytes(line)
        start = self.line_starts[line]
        if encoding == "utf-8":
            column = min(max(character, 0), len(text))
            # Never land inside a multi-byte sequence.
            while column > 0 and column < len(text) and (text[column] & 0xC0) == 0x80:
                column -= 1
            return start + column
        if text.isascii():
            return start + min(max(character, 0), len(text))
        # surrogateescape keeps one character per invalid byte, so byte lengths stay exact
        # ("replace" would turn one bad byte into a three-byte U+FFFD and shift every offset).
        decoded = text.decode("utf-8", "surrogateescape")
        wide = 0x10000 if encoding == "utf-16" else 0x110000  # utf-32 counts code points
        units = 0
        column = 0
        for char in decoded:
            width = 2 if ord(char) >= wide else 1
            if units + width > character:
                break
            units += width
            column += len(char.encode("utf-8", "surrogateescape"))
        return start + column

    def position_of(self, offset: int, encoding: str = "utf-16") -> tuple[int, int]:
        """Return the LSP (line, character) of a byte offset."""
        offset = min(max(offset, 0), len(self.data))
        line = bisect_right(self.line_starts, offset) - 1
        start = self.line_starts[line]
        # Fast path (most code): an ASCII prefix counts the same in every encoding.
        if self.data[start:offset].isascii() and b"\r" not in self.data[start:offset]:
            return line, offset - start
        return line, self.character_of(line, offset - start, encoding)

    def character_of(self, line: int, byte_column: int, encoding: str = "utf-16") -> int:
        """Convert a byte column on a line to the character count of `encoding`."""
        text = self.line_bytes(line)
        # A column past the line's end (inside CRLF, or beyond) is the end of the line.
        byte_column = min(max(byte_column, 0), len(text))
        # A column inside a multi-byte character counts as the start of that character.
        back = 0
        while (0 < byte_column < len(text) and back < 3
               and (text[byte_column] & 0xC0) == 0x80 and not text[:byte_column].isascii()):
            byte_column -= 1
            back += 1
        if encoding == "utf-8":
            return byte_column
        prefix = text[:byte_column]
        if prefix.isascii():
            return len(prefix)
        decoded = prefix.decode("utf-8", "surrogateescape")
        if encoding == "utf-32":
            return len(decoded)
        return len(decoded) + sum(1 for char in decoded if ord(char) > 0xFFFF)

    def human(self, row: int, byte_column: int) -> tuple[int, int]:
        """Return the 1-based line and 1-based column in characters (code points)."""
        return row + 1, self.character_of(row, byte_column, "utf-32") + 1
