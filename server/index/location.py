"""Where a workspace's index lives: the user's cache directory, keyed by the workspace root.

Never inside the repository unless configured (`--db`, the `index-path` setting or
`CPT_INDEX_DIR`): an index in the working tree shows up in `git status` and in other tools.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path


def cache_root() -> Path:
    """The folder of the workspace indexes: `CPT_INDEX_DIR`, else `index/` in cpt's cache."""
    override = os.environ.get("CPT_INDEX_DIR")
    if override:
        return Path(override).expanduser()
    return user_cache_folder() / "index"


def user_cache_folder() -> Path:
    """The platform's per-user cache folder for cpt (the index and the scan cache live in it)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "cpt" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "cpt"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cpt"


def default_db_path(root: Path) -> Path:
    """`<cache>/<folder name>-<hash of the absolute root>.sqlite3`: readable and unique."""
    resolved = str(Path(root).resolve())
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9._-]", "_", Path(resolved).name or "root")[:40]
    return cache_root() / f"{name}-{digest}.sqlite3"
