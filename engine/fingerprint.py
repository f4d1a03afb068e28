"""Semantic fingerprints of functions and classes, for clone detection.

A unit's text is normalized into a neutral token stream: comments and layout dropped, every
identifier becomes `I`, every string `S`, every number `N`, and language keywords are mapped to
neutral words (`func`, `function`, `def` are all `def`). Type-1 and Type-2 clones (reformatted,
renamed, other literals) therefore share the exact fingerprint; Type-3 clones (a statement added
or removed) stay close under `similarity`. See docs/decisions/0003-fingerprints.md for why the
token stream is used instead of a Python walk over the syntax tree (cost on the scan path).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable
from functools import cache

from .languages import LanguageSpec
from .model import Class, Function, Module

# Keywords that mean the same thing in different languages get one neutral spelling.
NEUTRAL_KEYWORDS = {
    "func": "def", "function": "def", "elif": "else if", "catch": "except",
    "nil": "null", "None": "null", "undefined": "null", "True": "true", "False": "false",
    "this": "self", "let": "var", "const": "var", "throw": "raise",
}

_TOKENS = re.compile(r"\S")


def _keyword_char(spelling: str) -> str:
    """One private-use character per neutral keyword spelling, the same in every language.

    The same in every process too: the table is built from every language's keywords in sorted
    order, never in the order files happen to be normalized (workers and the index compare
    fingerprints made by different processes).
    """
    table = _keyword_table()
    return "".join(table[word] for word in spelling.split())


@cache
def _keyword_table() -> dict[str, str]:
    from .languages import LANGUAGES

    words = {part for spec in LANGUAGES.values() for keyword in spec.keywords
             for part in NEUTRAL_KEYWORDS.get(keyword, keyword).split()}
    return {word: chr(0xE000 + number) for number, word in enumerate(sorted(words))}


@cache
def _normalizer(spec: LanguageSpec):
    keywords = sorted(spec.keywords, key=len, reverse=True)
    comment = re.escape(spec.line_comment) + r"[^\n]*"
    first_chars = {"\"", "'", "`", spec.line_comment[0]}
    if spec.block_comment:
        start, end = (re.escape(part) for part in spec.block_comment)
        comment += rf"|{start}[\s\S]*?{end}"
        first_chars.add(spec.block_comment[0][0])
    if spec.name == "python":
        first_chars.update("rRbBuUfF")
    # The lookahead lets the engine skip most positions at once instead of trying every branch.
    head = "(?=[" + re.escape("".join(sorted(first_chars))) + "])"
    literal = re.compile(rf"{head}(?:(?P<s>{spec.string_pattern})|(?P<c>{comment}))")
    # Each keyword becomes the private-use character of its neutral spelling, so that every
    # word left is a name and one constant-replacement pass (C speed) abstracts them all.
    codes = {word: _keyword_char(NEUTRAL_KEYWORDS.get(word, word)) for word in keywords}
    # As for literals, the lookahead skips the positions no keyword starts at.
    initials = re.escape("".join(sorted({word[0] for word in keywords})))
    keyword = re.compile(rf"(?=[{initials}])\b(?:" + "|".join(map(re.escape, keywords)) + r")\b")
    identifier = re.compile(r"[A-Za-z_$#][\w$]*")
    number = re.compile(r"\d[\w.]*")
    whitespace = re.compile(r"\s+")
    trailing_comma = re.compile(r",\s*(?=[)\]}])")

    def literal_or_comment(match: re.Match) -> str:
        # A placeholder the identifier pattern cannot take for a name; it becomes `S` below.
        return "\x00" if match.group("s") is not None else ""

    def normalize(text: str) -> str:
        text = literal.sub(literal_or_comment, text)
        # A trailing comma before a closing bracket is layout (formatters add or drop it).
        text = trailing_comma.sub("", text)
        text = keyword.sub(lambda m: codes[m.group()], text)
        text = identifier.sub("I", text)
        text = number.sub("N", text)
        text = text.replace("\x00", "S")
        if spec.name == "python":
            text = _indentation_tokens(text)
        # Every token is now one character (I, N, S, a keyword, punctuation): layout is noise.
        return whitespace.sub("", text)

    return normalize


def _indentation_tokens(text: str) -> str:
    """Replace Python's indentation by `{`/`}` tokens so that its width does not matter."""
    out: list[str] = []
    widths = [0]
    depth = 0  # open brackets: a line inside them continues the statement, its indent is layout
    continued = False  # the previous line ended with a backslash
    for line in text.split("\n"):
        stripped = line.lstrip(" \t")
        if not stripped:
            continue
        if depth > 0 or continued:
            if out and out[-1] == ";":
                out.pop()
            out.append(" ")
        else:
            width = len(line) - len(stripped)
            if width > widths[-1]:
                widths.append(width)
                out.append("{")
            while width < widths[-1]:
                widths.pop()
                out.append("}")
        # Strings and comments are already gone, so brackets can be counted as they are.
        count = stripped.count
        depth = max(0, depth + count("(") + count("[") + count("{")
                    - count(")") - count("]") - count("}"))
        continued = stripped.endswith("\\")
        out.append(stripped.rstrip("\\") if continued else stripped)
        out.append(";")
    return "".join(out)


def normalize(text: str, spec: LanguageSpec) -> str:
    """Return the neutral token stream of a piece of source."""
    return _normalizer(spec)(text)


def digest(normalized: str) -> str:
    """Hash a normalized token stream into a short stable fingerprint."""
    return hashlib.blake2b(normalized.encode(), digest_size=8).hexdigest()


# Shorter units are never reported as clones; not normalizing them saves scan time.
MIN_FINGERPRINT_LINES = 3


class FingerprintCache:
    """Normalized streams of unit texts seen before: an editor re-analyzes mostly unchanged code."""

    def __init__(self, capacity: int = 20_000):
        self.capacity = capacity
        self._entries: dict[tuple[str, bytes], tuple[str, str]] = {}

    def get(self, spec: LanguageSpec, text: bytes) -> tuple[str, str]:
        key = (spec.name, text)
        found = self._entries.get(key)
        if found is None:
            if len(self._entries) >= self.capacity:
                self._entries.clear()  # simple and bounded; a full re-fill is one analysis
            normalized = normalize(text.decode("utf-8", "replace"), spec)
            found = self._entries[key] = (normalized, digest(normalized))
        return found


def fingerprint_module(module: Module, spec: LanguageSpec, source: bytes,
                       cache: FingerprintCache | None = None) -> None:
    """Let every class, and every function of `MIN_FINGERPRINT_LINES` lines, be fingerprinted.

    The streams are made when first read (`Function.fingerprint`), with the same result.
    """
    if not source:
        return
    streams = Streams(spec, source, cache)
    for function in module.functions:
        function.streams = streams
    for klass in module.classes:
        klass.fingerprinted = True


class Streams:
    """Makes a function's normalized stream and fingerprint from its file, on first use."""

    __slots__ = ("spec", "source", "cache")

    def __init__(self, spec: LanguageSpec, source: bytes, cache: FingerprintCache | None):
        self.spec = spec
        self.source = source
        self.cache = cache

    def __call__(self, function: Function) -> tuple[str, str]:
        span = function.span
        if span.end[0] - span.start[0] + 1 < MIN_FINGERPRINT_LINES:
            return "", ""
        # The unit's own name is an identifier like any other; only the structure counts.
        raw = self.source[span.start_byte:span.end_byte]
        if self.cache is not None:
            return self.cache.get(self.spec, raw)
        normalized = normalize(raw.decode("utf-8", "replace"), self.spec)
        return normalized, digest(normalized)


def class_fingerprint(klass: Class) -> str:
    """Fingerprint a class by its kind, field count and the fingerprints of its methods."""
    parts = [klass.kind, str(len(klass.fields))] + [method.fingerprint for method in klass.methods]
    return digest("|".join(parts))


def tokens(normalized: str) -> list[str]:
    """Split a normalized stream into tokens."""
    return _TOKENS.findall(normalized)


def similarity(first: Function | str, second: Function | str) -> float:
    """Return how alike two units are, from 0 (nothing shared) to 1 (same structure).

    Dice coefficient over token trigrams, counted with multiplicity.
    """
    a = first.normalized if isinstance(first, Function) else first
    b = second.normalized if isinstance(second, Function) else second
    if tokens(a) == tokens(b):
        return 1.0
    return dice(trigrams(a), trigrams(b))


def trigrams(normalized: str) -> Counter:
    """The token trigrams of a normalized stream with their counts (for `dice`)."""
    stream = "".join(normalized.split())  # every token is one character (see `normalize`)
    return Counter(zip(stream, stream[1:], stream[2:], strict=False))


def dice(first: Counter, second: Counter) -> float:
    """Dice coefficient of two trigram multisets: `similarity` of two different streams."""
    total = first.total() + second.total()
    if total == 0:
        return 0.0
    if len(first) > len(second):
        first, second = second, first
    count = second.get
    shared = 0
    for gram, mine in first.items():
        theirs = count(gram)
        if theirs:
            shared += mine if mine < theirs else theirs
    return 2 * shared / total


def remembered_trigrams(key: Hashable, normalized: str, known: dict, limit: int) -> Counter:
    """`trigrams` of a stream, kept in `known` for the `limit` most recently used keys.

    A pass meets a unit a few times; keeping every unit's counts took more memory than the units.
    """
    grams = known.pop(key, None)
    if grams is None:
        if len(known) >= limit:
            del known[next(iter(known))]  # the least recently used: keeps memory flat
        grams = trigrams(normalized)
    known[key] = grams  # last in the dict's order: most recently used
    return grams


SKETCH_BINS = 16
BAND_ROWS = 2
SKETCH_MIN_TOKENS = 20  # below this a unit is boilerplate-sized: no near-clone lookup


class _GramHashes(dict):
    """The mixed crc32 of each trigram seen: a few thousand recur in every unit."""

    def __missing__(self, gram: str) -> int:
        if len(self) >= 100_000:
            self.clear()  # bounded; refilling costs one crc32 per trigram
        value = self[gram] = (zlib.crc32(gram.encode("utf-8")) * 0x9E3779B1) & 0xFFFFFFFF
        return value


_GRAM_HASHES = _GramHashes()
_SLOT_STARTS = [slot << 28 for slot in range(SKETCH_BINS + 1)]


def sketch(normalized: str) -> tuple[int, ...]:
    """Band keys for finding near clones without comparing every pair (MinHash LSH).

    One-permutation MinHash over the token trigrams: 16 bins, banded by two. Two units with
    trigram Jaccard 0.7 share a band with probability ~0.99, at 0.3 with ~0.5, and candidates
    are verified with `similarity`. crc32 is stable across processes (the index stores keys).
    """
    stream = "".join(normalized.split())
    if len(stream) < SKETCH_MIN_TOKENS:
        return ()
    grams = set(map("".join, zip(stream, stream[1:], stream[2:], strict=False)))
    hashes = sorted(map(_GRAM_HASHES.__getitem__, grams))
    # A slot is a hash's top four bits: its smallest hash is the first one from the slot's start.
    bounds = [bisect_left(hashes, start) for start in _SLOT_STARTS]
    minimums = [hashes[at] & 0x0FFFFFFF if at < after else -1
                for at, after in zip(bounds, bounds[1:], strict=False)]
    keys = []
    for band in range(0, SKETCH_BINS, BAND_ROWS):
        rows = minimums[band:band + BAND_ROWS]
        if min(rows) >= 0:
            keys.append(zlib.crc32(f"{band}:{rows[0]}:{rows[1]}".encode()))
    return tuple(keys)
