"""Find the files a scan should read: `.gitignore` honoured, build and dependency dirs skipped."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pathspec

from cpt.engine.languages import language_for_path

DEFAULT_EXCLUDES = frozenset({
    ".git", ".hg", ".svn", "node_modules", ".venv", "venv", "env", ".env", ".tox", ".nox",
    "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist", "target",
    "out", ".next", ".nuxt", "coverage", ".gradle", ".idea", ".vscode", "vendor",
    "bower_components", "site-packages", ".eggs",
    ".cpt",  # a team's element folders: their fixtures hold deliberately bad code
})
_SNIFF = 8192


@dataclass(frozen=True)
class Candidate:
    """A file that may be scanned, with the language chosen for it."""

    path: Path
    language: str


def _is_virtualenv(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file()


def _gitignore(folder: Path) -> pathspec.PathSpec | None:
    ignore_file = folder / ".gitignore"
    if not ignore_file.is_file():
        return None
    try:
        lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _ignored(path: Path, is_dir: bool, specs: list[tuple[Path, pathspec.PathSpec]]) -> bool:
    for base, spec in specs:
        try:
            relative = path.relative_to(base).as_posix()
        except ValueError:
            continue
        if spec.match_file(relative + "/" if is_dir else relative):
            return True
    return False


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(128)
    except OSError:
        return b""


def _ancestor_ignores(root: Path) -> list[tuple[Path, pathspec.PathSpec]]:
    """The .gitignore files above a scanned folder, up to its repository's root."""
    if (root / ".git").exists():
        return []
    found = []
    for folder in root.parents:
        spec = _gitignore(folder)
        if spec is not None:
            found.append((folder, spec))
        if (folder / ".git").exists():
            return list(reversed(found))
    return []


def discover(paths: list[Path]) -> Iterator[Candidate]:
    """Yield every source file below the given paths, in a stable order."""
    seen: set[Path] = set()
    for root in paths:
        root = root.resolve()
        if root.is_file():
            spec = language_for_path(root, _head(root))
            if spec is not None and root not in seen:
                seen.add(root)
                yield Candidate(root, spec.name)
            continue
        if not root.is_dir():
            continue
        yield from _walk(root, seen)


def _walk(root: Path, seen: set[Path]) -> Iterator[Candidate]:
    specs = _ancestor_ignores(root)
    if _ignored(root, True, specs):
        specs = []  # the user named an ignored folder explicitly: scan it
    stack: list[tuple[Path, list[tuple[Path, pathspec.PathSpec]]]] = [(root, specs)]
    while stack:
        folder, inherited = stack.pop()
        own = _gitignore(folder)
        active = inherited + [(folder, own)] if own is not None else inherited
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        subfolders = []
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    continue
                if entry.is_dir():
                    if entry.name in DEFAULT_EXCLUDES or _is_virtualenv(path):
                        continue
                    if not _ignored(path, True, active):
                        subfolders.append((path, active))
                    continue
                if not entry.is_file():
                    continue
            except OSError:
                continue
            if _ignored(path, False, active):
                continue
            spec = language_for_path(path, b"" if path.suffix else _head(path))
            if spec is not None and path not in seen:
                seen.add(path)
                yield Candidate(path, spec.name)
        stack.extend(reversed(subfolders))


def walked_candidate(root: Path, path: Path) -> Candidate | None:
    """The candidate a walk of `root` would yield for `path`, or None if the walk skips it.

    File watchers see every write (build output, node_modules, ignored files); this applies
    the same rules as `discover` to one path without walking the tree.
    """
    root, path = root.resolve(), path.resolve()
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return None
    if not parts or not path.is_file():
        return None
    specs = _ancestor_ignores(root)
    if _ignored(root, True, specs):
        specs = []  # as in `discover`: a workspace inside an ignored folder is scanned whole
    folder = root
    for name in parts[:-1]:
        own = _gitignore(folder)
        if own is not None:
            specs = specs + [(folder, own)]
        folder = folder / name
        if name in DEFAULT_EXCLUDES or _is_virtualenv(folder) or _ignored(folder, True, specs):
            return None
    own = _gitignore(folder)
    if own is not None:
        specs = specs + [(folder, own)]
    if _ignored(path, False, specs):
        return None
    spec = language_for_path(path, b"" if path.suffix else _head(path))
    return Candidate(path, spec.name) if spec is not None else None
