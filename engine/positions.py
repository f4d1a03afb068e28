"""Conversions between byte offsets, LSP positions (UTF-8 or UTF-16) and 1-based line/column.

tree-sitter speaks bytes, LSP speaks UTF-16 code units unless UTF-8 is negotiated, and people
read 1-based lines with columns counted in characters. One `LineIndex` per text version does all.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A byte range with its tree-sitter points (0-based row, byte column)."""

    start_byte: int
    end_byte: int
    start: tuple[int, int]
    end: tuple[int, int]

    @classmethod
    def of(cls, node) -> Span:
        """Take the span of a tree-sitter node."""
        return cls(node.start_byte, node.end_byte, tuple(node.start_point), tuple(node.end_point))


class LineIndex:
    """Line starts of a UTF-8 buffer, for converting positions in both directions."""

    __slots__ = ("data", "line_starts")

    def __init__(self, data: bytes):
        self.data = data
        starts = [0]
        find = data.find
        pos = find(b"\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find(b"\n", pos + 1)
        self.line_starts = starts

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_of(self, offset: int) -> int:
        """Return the 0-based line holding byte `offset`."""
        return bisect_right(self.line_starts, offset) - 1

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
        line = self.line_of(offset)
        return line, offset - self.line_starts[line]

    def offset_of_point(self, row: int, byte_column: int) -> int:
        """Return the byte offset of a tree-sitter point, clamped to the buffer."""
        if row >= len(self.line_starts):
            return len(self.data)
        return min(self.line_starts[row] + byte_column, len(self.data))

    # --- LSP positions -------------------------------------------------------------------

    def offset_of_position(self, line: int, character: int, encoding: str = "utf-16") -> int:
        """Return the byte offset of an LSP position; out-of-range values are clamped as the spec says."""
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
        decoded = text.decode("utf-8", "replace") if not text.isascii() else None
        if decoded is None:
            return start + min(max(character, 0), len(text))
        units = 0
        column = 0
        for char in decoded:
            width = 2 if ord(char) > 0xFFFF else 1
            if units + width > character:
                break
            units += width
            column += len(char.encode("utf-8", "replace"))
        return start + column

    def position_of(self, offset: int, encoding: str = "utf-16") -> tuple[int, int]:
        """Return the LSP (line, character) of a byte offset."""
        line, byte_column = self.point_of(min(max(offset, 0), len(self.data)))
        return line, self.character_of(line, byte_column, encoding)

    def character_of(self, line: int, byte_column: int, encoding: str = "utf-16") -> int:
        """Convert a byte column on a line to the character count of `encoding`."""
        if encoding == "utf-8":
            return byte_column
        prefix = self.line_bytes(line)[:byte_column]
        if prefix.isascii():
            return len(prefix)
        text = prefix.decode("utf-8", "replace")
        if encoding == "utf-32":
            return len(text)
        return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)

    def human(self, row: int, byte_column: int) -> tuple[int, int]:
        """Return the 1-based line and 1-based column in characters (code points)."""
        return row + 1, self.character_of(row, byte_column, "utf-32") + 1
