"""Suppression comments: `cpt: ignore[id, ...]`, bare `cpt: ignore`, and `cpt: ignore-file`.

The same parser serves `cpt scan` and the language server, so a suppression behaves the same
everywhere; the server also uses `used` to report suppressions that no longer suppress anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .languages import LanguageSpec
from .positions import LineIndex

_MARK = re.compile(rb"cpt:\s*ignore(-file)?(?:\[([^\]\n]*)\])?")
FILE_SUPPRESSION_LINES = 10  # `ignore-file` counts only near the top of a file


@dataclass
class Suppression:
    """One suppression comment."""

    line: int  # 0-based
    start: int  # byte offset of `cpt:`
    end: int
    ids: frozenset[str] | None  # None: every element
    whole_file: bool
    used: set[str] = field(default_factory=set)

    def covers(self, element_id: str) -> bool:
        return self.ids is None or element_id in self.ids


def find_suppressions(source: bytes, spec: LanguageSpec, lines: LineIndex) -> list[Suppression]:
    """Find every suppression comment written in the language's comment syntax.

    Only real comments count: the scanner consumes string literals first, so a `# cpt: ignore`
    inside a string (data, a docstring, an SQL text) does not hide anything.
    """
    if b"cpt:" not in source:
        return []
    found = []
    for comment in _comment_scanner(spec).finditer(source):
        if comment.lastgroup != "c" or b"cpt:" not in comment.group():
            continue
        for match in _MARK.finditer(comment.group()):
            start = comment.start() + match.start()
            line = lines.line_of(start)
            whole_file = match.group(1) is not None
            if whole_file and line >= FILE_SUPPRESSION_LINES:
                continue
            ids = None
            if match.group(2) is not None:
                ids = frozenset(part.strip().decode("utf-8", "replace")
                                for part in match.group(2).split(b",") if part.strip())
            found.append(Suppression(line, start, comment.start() + match.end(), ids, whole_file))
    return found


@cache
def _comment_scanner(spec: LanguageSpec) -> re.Pattern[bytes]:
    """Strings or comments, leftmost first: a comment marker inside a string is string."""
    comment = re.escape(spec.line_comment) + r"[^\n]*"
    if spec.block_comment:
        start, end = (re.escape(part) for part in spec.block_comment)
        comment += rf"|{start}[\s\S]*?{end}"
    return re.compile(rf"(?P<s>{spec.string_pattern})|(?P<c>{comment})".encode())


def suppressed_by(
    suppressions: list[Suppression], element_id: str, line: int
) -> Suppression | None:
    """Return the suppression that hides a finding of `element_id` reported on `line`."""
    for suppression in suppressions:
        if (suppression.whole_file or suppression.line == line) and suppression.covers(element_id):
            return suppression
    return None
