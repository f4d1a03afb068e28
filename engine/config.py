"""Typed configuration shared by `cpt scan` and the language server.

Read from `[tool.cpt]` in `pyproject.toml` or from `cpt.toml`, found by walking up from a file.
Every problem names its file, line and key; the caller decides whether it is fatal (the CLI
exits 2) or shown and survived (the language server keeps the last good configuration).
"""

from __future__ import annotations

import fnmatch
import functools
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from .catalog import SEVERITIES, Catalog

CONFIG_FILES = ("cpt.toml", "pyproject.toml")
DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024
_KEYS = {"select", "ignore", "severity", "thresholds", "exclude", "per-path-ignores",
         "max-file-size", "fail-on"}


@dataclass(frozen=True)
class ConfigProblem:
    """One mistake in a configuration file, located for the user."""

    path: Path
    line: int  # 1-based; 0 when the file as a whole is wrong
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.key}: {self.message}"


@dataclass(frozen=True)
class Settings:
    """What to look for and how to report it, resolved for one project."""

    select: frozenset[str] | None = None  # None: every element
    ignore: frozenset[str] = frozenset()
    severity: dict[str, str] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    per_path_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    fail_on: str | None = None
    root: Path | None = None  # folder of the config file; per-path globs are relative to it
    source: Path | None = None

    def enabled(self, element_id: str, path: str | Path | None = None) -> bool:
        """Say whether an element is reported, for a file when one is given."""
        if self.select is not None and element_id not in self.select:
            return False
        if element_id in self.ignore:
            return False
        if path is not None and self.per_path_ignores:
            relative = self.relative(path)
            for pattern, ids in self.per_path_ignores.items():
                if element_id in ids and _glob_match(relative, pattern):
                    return False
        return True

    def excluded(self, path: str | Path) -> bool:
        """Say whether a file is excluded by the `exclude` globs."""
        relative = self.relative(path)
        return any(_glob_match(relative, pattern) for pattern in self.exclude)

    def relative(self, path: str | Path) -> str:
        """Return `path` relative to the config root, in POSIX form."""
        path = Path(path)
        if self.root is not None:
            try:
                path = path.resolve().relative_to(_resolved(self.root))
            except ValueError:
                pass
        return PurePosixPath(path).as_posix()

    def severity_of(self, element_id: str, default: str) -> str:
        """Return the configured severity of an element, else its catalog default."""
        return self.severity.get(element_id, default)

    def threshold(self, name: str, default: float) -> float:
        """Return a configured threshold, else the element's default."""
        return self.thresholds.get(name, default)

    def with_overrides(self, select=None, ignore=None) -> Settings:
        """Apply command-line `--select` / `--ignore` on top of the file's settings."""
        result = self
        if select:
            result = replace(result, select=frozenset(select))
        if ignore:
            result = replace(result, ignore=result.ignore | frozenset(ignore))
        return result


def _glob_match(relative: str, pattern: str) -> bool:
    pattern = pattern.rstrip("/")
    if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern + "/*"):
        return True
    # A pattern without a slash matches a name at any depth, as in .gitignore.
    if "/" not in pattern:
        return any(fnmatch.fnmatch(part, pattern) for part in PurePosixPath(relative).parts)
    if pattern.startswith("**/"):
        return _glob_match(relative, pattern[3:])
    return False


def _line_of(text: str, key: str, after: int = 0) -> int:
    """Find the 1-based line where `key` is written, for messages."""
    pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*[=.]', re.MULTILINE)
    match = pattern.search(text, after)
    if match is None:
        match = re.search(re.escape(key), text[after:])
        if match is None:
            return 0
        return text.count("\n", 0, after + match.start()) + 1
    return text.count("\n", 0, match.start()) + 1


def find_config(start: Path) -> Path | None:
    """Walk up to the nearest `cpt.toml`, or `pyproject.toml` with `[tool.cpt]`."""
    folder = start if start.is_dir() else start.parent
    for candidate_dir in (folder, *folder.parents):
        for name in CONFIG_FILES:
            candidate = candidate_dir / name
            if candidate.is_file():
                if name == "cpt.toml":
                    return candidate
                try:
                    text = candidate.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                if re.search(r"^\s*\[tool\.cpt[\].]", text, re.MULTILINE):
                    return candidate
    return None


def load_settings(path: Path, catalog: Catalog) -> tuple[Settings, list[ConfigProblem]]:
    """Read a config file into `Settings`; bad entries are reported and left at defaults."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", 0) or 0
        return Settings(root=path.parent, source=path), [
            ConfigProblem(path, line, "toml", f"not valid TOML: {error}")
        ]
    except (OSError, UnicodeDecodeError) as error:
        return Settings(root=path.parent, source=path), [
            ConfigProblem(path, 0, "file", f"cannot read: {error}")
        ]
    section_start = 0
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("cpt", {})
        match = re.search(r"^\s*\[tool\.cpt", text, re.MULTILINE)
        section_start = match.start() if match else 0
    return parse_settings(data, path, catalog, text, section_start)


def parse_settings(
    data: dict[str, Any], path: Path, catalog: Catalog, text: str = "", section_start: int = 0
) -> tuple[Settings, list[ConfigProblem]]:
    """Validate a `[tool.cpt]` table (also used for the editor's `cpt` settings)."""
    problems: list[ConfigProblem] = []

    def problem(key: str, message: str, locate: str | None = None) -> None:
        line = _line_of(text, locate or key, section_start) if text else 0
        problems.append(ConfigProblem(path, line, key, message))

    def element_ids(key: str, value: Any) -> frozenset[str]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            problem(key, "must be a list of element ids")
            return frozenset()
        for item in value:
            if item not in catalog:
                problem(key, f"unknown element id {item!r}", locate=item)
        return frozenset(item for item in value if item in catalog)

    for key in data:
        if key not in _KEYS:
            problem(key, f"unknown key; known keys: {', '.join(sorted(_KEYS))}")
    select = element_ids("select", data["select"]) if "select" in data else None
    ignore = element_ids("ignore", data.get("ignore", []))
    severity: dict[str, str] = {}
    for element_id, value in (data.get("severity") or {}).items():
        if element_id not in catalog:
            problem(f"severity.{element_id}", f"unknown element id {element_id!r}",
                    locate=element_id)
        elif value not in SEVERITIES:
            problem(f"severity.{element_id}",
                    f"{value!r} is not one of {', '.join(SEVERITIES)}", locate=element_id)
        else:
            severity[element_id] = value
    known_thresholds = catalog.thresholds
    thresholds: dict[str, float] = {}
    for name, value in (data.get("thresholds") or {}).items():
        if name not in known_thresholds:
            problem(f"thresholds.{name}",
                    f"unknown threshold; known: {', '.join(sorted(known_thresholds))}",
                    locate=name)
        elif not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            problem(f"thresholds.{name}", "must be a non-negative number", locate=name)
        else:
            thresholds[name] = value
    exclude = data.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(item, str) for item in exclude):
        problem("exclude", "must be a list of glob patterns")
        exclude = []
    per_path: dict[str, tuple[str, ...]] = {}
    for pattern, ids in (data.get("per-path-ignores") or {}).items():
        per_path[pattern] = tuple(sorted(element_ids(f"per-path-ignores.{pattern}", ids)))
    max_size = data.get("max-file-size", DEFAULT_MAX_FILE_SIZE)
    if not isinstance(max_size, int) or isinstance(max_size, bool) or max_size <= 0:
        problem("max-file-size", "must be a positive number of bytes")
        max_size = DEFAULT_MAX_FILE_SIZE
    fail_on = data.get("fail-on")
    if fail_on is not None and fail_on not in SEVERITIES + ("none",):
        problem("fail-on", f"{fail_on!r} is not one of {', '.join(SEVERITIES + ('none',))}")
        fail_on = None
    settings = Settings(
        select=select, ignore=ignore, severity=severity, thresholds=thresholds,
        exclude=tuple(exclude), per_path_ignores=per_path, max_file_size=max_size,
        fail_on=fail_on, root=path.parent, source=path,
    )
    return settings, problems


@functools.lru_cache(maxsize=256)
def _resolved(root: Path) -> Path:
    """A config root, resolved once (it is asked for every file)."""
    return root.resolve()
