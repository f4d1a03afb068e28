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
from collections import Counter
from functools import cache

from .languages import LanguageSpec
from .model import Class, Function, Module

# Keywords that mean the same thing in different languages get one neutral spelling.
NEUTRAL_KEYWORDS = {
    "func": "def", "function": "def", "elif": "else if", "catch": "except",
    "nil": "null", "None": "null", "undefined": "null", "True": "true", "False": "false",
    "this": "self", "let": "var", "const": "var", "throw": "raise",
}

_TOKENS = re.compile(r"[A-Za-z_]+|\d+|\S")


@cache
def _normalizer(spec: LanguageSpec):
    keywords = sorted(spec.keywords, key=len, reverse=True)
    comment = re.escape(spec.line_comment) + r"[^\n]*"
    if spec.block_comment:
        start, end = (re.escape(part) for part in spec.block_comment)
        comment += rf"|{start}[\s\S]*?{end}"
    literal = re.compile(rf"(?P<s>{spec.string_pattern})|(?P<c>{comment})")
    identifier = re.compile(r"(?<![\w$#])(?!(?:" + "|".join(keywords) + r")\b)[A-Za-z_$#][\w$]*")
    number = re.compile(r"(?<![\w$])(?:0[xXbBoO][\da-fA-F_]+|\d[\d_]*\.?\d*(?:[eE][-+]?\d+)?)[\w]*")
    keyword = re.compile(r"\b(" + "|".join(map(re.escape, NEUTRAL_KEYWORDS)) + r")\b")
    whitespace = re.compile(r"\s+")
    loose_space = re.compile(r" (?!\w)|(?<!\w) ")

    trailing_comma = re.compile(r",\s*(?=[)\]}])")

    def literal_or_comment(match: re.Match) -> str:
        # A placeholder the identifier pattern cannot take for a name; it becomes `S` below.
        return "\x00" if match.group("s") is not None else ""

    def normalize(text: str) -> str:
        text = literal.sub(literal_or_comment, text)
        # A trailing comma before a closing bracket is layout (formatters add or drop it).
        text = trailing_comma.sub("", text)
        text = identifier.sub("I", text)
        text = number.sub("N", text)
        text = text.replace("\x00", "S")
        text = keyword.sub(lambda m: NEUTRAL_KEYWORDS[m.group(1)], text)
        if spec.name == "python":
            text = _indentation_tokens(text)
        # Keep one space only where it separates two words ("not I", "return N").
        return loose_space.sub("", whitespace.sub(" ", text)).strip()

    return normalize


def _indentation_tokens(text: str) -> str:
    """Replace Python's indentation by `{`/`}` tokens so that its width does not matter."""
    out = []
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
        depth = max(0, depth + sum(stripped.count(c) for c in "([{")
                    - sum(stripped.count(c) for c in ")]}"))
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


def fingerprint_module(module: Module, spec: LanguageSpec, source: bytes) -> None:
    """Give every function and class of a module its fingerprint."""
    if not source:
        return
    for function in module.functions:
        text = source[function.span.start_byte:function.span.end_byte].decode("utf-8", "replace")
        # The unit's own name is an identifier like any other; only the structure counts.
        function.normalized = normalize(text, spec)
        function.fingerprint = digest(function.normalized)
    for klass in module.classes:
        klass.fingerprint = class_fingerprint(klass)


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
    a = tokens(first.normalized if isinstance(first, Function) else first)
    b = tokens(second.normalized if isinstance(second, Function) else second)
    if a == b:
        return 1.0
    grams_a = Counter(zip(a, a[1:], a[2:], strict=False))
    grams_b = Counter(zip(b, b[1:], b[2:], strict=False))
    total = sum(grams_a.values()) + sum(grams_b.values())
    if total == 0:
        return 0.0
    shared = sum((grams_a & grams_b).values())
    return 2 * shared / total
