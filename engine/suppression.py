"""Suppression comments: `cpt: ignore[id, ...]`, bare `cpt: ignore`, and `cpt: ignore-file`.

The same parser serves `cpt scan` and the language server, so a suppression behaves the same
everywhere; the server also uses `used` to report suppressions that no longer suppress anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
    """Find every suppression comment written in the language's comment syntax."""
    if b"cpt:" not in source:
        return []
    prefixes = [spec.line_comment.encode()]
    if spec.block_comment:
        prefixes.append(spec.block_comment[0].encode())
    found = []
    for match in _MARK.finditer(source):
        line = lines.line_of(match.start())
        before = source[lines.line_starts[line]:match.start()]
        if not any(prefix in before for prefix in prefixes):
            continue
        whole_file = match.group(1) is not None
        if whole_file and line >= FILE_SUPPRESSION_LINES:
            continue
        ids = None
        if match.group(2) is not None:
            ids = frozenset(part.strip().decode("utf-8", "replace")
                            for part in match.group(2).split(b",") if part.strip())
        found.append(Suppression(line, match.start(), match.end(), ids, whole_file))
    return found


def suppressed_by(
    suppressions: list[Suppression], element_id: str, line: int
) -> Suppression | None:
    """Return the suppression that hides a finding of `element_id` reported on `line`."""
    for suppression in suppressions:
        if (suppression.whole_file or suppression.line == line) and suppression.covers(element_id):
            return suppression
    return None
