"""Helpers of the smell elements: test files, identifier words and constant names."""

from __future__ import annotations

import re

_TEST_PATH = re.compile(
    r"(^|[/\\])(tests?|__tests__|__mocks__|spec|testdata|test_?utils?)[/\\]"
    r"|(^|[/\\])(test_[^/\\]*|[^/\\]*_test|conftest)\.py$"
    r"|_test\.go$"
    r"|\.(test|spec)\.[cm]?[jt]sx?$"
    r"|[/\\][^/\\]*(Test|Tests|IT)\.java$"
)
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|[0-9]|$)|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_UPPER_NAME = re.compile(r"^_*[A-Z][A-Z0-9_]*$")


def is_test_path(path: str) -> bool:
    """Say whether a file is a test, where literals are data and not magic."""
    return bool(_TEST_PATH.search(path or ""))


def words_of(identifier: str) -> list[str]:
    """Split `retryCount`, `retry_count` or `HTTPRetry` into lower-case words."""
    return [word.lower() for word in _WORD.findall(identifier)]


def is_upper_name(name: str) -> bool:
    """Say whether a name is written as a constant (`MAX_SIZE`, `_LIMIT`)."""
    return bool(_UPPER_NAME.match(name)) and any(char.isalpha() for char in name)


def constant_name(words: list[str], language: str) -> str:
    """A constant's name from words: UPPER_SNAKE, or unexported lowerCamel in Go."""
    words = [word for word in words if word] or ["value"]
    if language == "go":  # UPPER_CASE would export the name; Go spells constants in camelCase
        return words[0] + "".join(word.capitalize() for word in words[1:])
    return "_".join(word.upper() for word in words)
