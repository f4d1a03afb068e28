"""What a file's analysis depends on besides its bytes, as short keys.

A stored result (the workspace index, the scan cache) is reused only while these keys are the
same: cpt's own code, the grammars, the elements (built-in or a team's) and the file's settings.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import fields
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from cpt import __version__
from cpt.engine.catalog import Catalog
from cpt.engine.config import Settings

_GRAMMAR_DISTRIBUTIONS = ("tree-sitter", "tree-sitter-python", "tree-sitter-javascript",
                          "tree-sitter-typescript", "tree-sitter-java", "tree-sitter-go")
_CODE_SUFFIXES = frozenset({".py", ".scm", ".toml", ".json", ".onnx"})


@lru_cache(maxsize=1)
def code_key() -> str:
    """Changes with cpt's code (an editable install changes it without a new version).

    By content, not mtime: a fresh `pip install` (a CI run) writes every file anew.
    """
    import cpt
    import cpt.engine
    import cpt.models
    import cpt.server

    digest = hashlib.sha256(f"{__version__}|{sys.version}".encode())
    for name in _GRAMMAR_DISTRIBUTIONS:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    folders = {Path(package.__file__ or "").parent
               for package in (cpt, cpt.engine, cpt.models, cpt.server)}
    # An installed `cpt/` holds the others; the source layout nests `cpt` in `server/`.
    for folder in sorted(folder for folder in folders
                         if not any(other in folder.parents for other in folders)):
        for path in sorted(folder.rglob("*")):
            if (path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts
                    and "fixtures" not in path.parts and path.is_file()):
                digest.update(f"{path.relative_to(folder)}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def catalog_key(catalog: Catalog) -> str:
    """Changes when cpt or any element (built-in or the team's) changes: then re-analyze all.

    Built-in element folders are part of cpt's code (`code_key`); a team's are read here.
    """
    digest = hashlib.sha256(code_key().encode())
    for element in sorted(catalog, key=lambda item: item.id):
        digest.update(element.id.encode())
        folder = getattr(element, "folder", None)
        if folder is None or element.builtin:
            continue
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and "fixtures" not in path.parts and path.suffix != ".pyc":
                digest.update(f"{path.relative_to(folder)}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def settings_key(catalog_hash: str, settings: Settings) -> str:
    """The analysis inputs of the files that share `settings`, the same in every process.

    Not `repr(settings)`: a frozenset's order follows string hashing, which changes per process.
    """
    parts = [catalog_hash]
    for item in fields(settings):
        parts.append(f"{item.name}={_canonical(getattr(settings, item.name))}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _canonical(value: object) -> str:
    if isinstance(value, (set, frozenset)):
        return repr(sorted(value, key=repr))
    if isinstance(value, dict):
        return repr(sorted((repr(key), _canonical(item)) for key, item in value.items()))
    return repr(value)
