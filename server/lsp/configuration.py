"""Settings of a file in the editor: the project's config file (as in `cpt scan`), then the
editor's options (initializationOptions / workspace configuration section `cpt`) on top."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpt.engine.config import Settings, find_config, load_settings

from .state import ServerOptions

if TYPE_CHECKING:
    from .server import CptServer

_OPTION_KEYS = {"debounceMs": "debounce_ms", "codeLens": "code_lens", "select": "select",
                "ignore": "ignore", "severity": "severity", "thresholds": "thresholds",
                "logFile": "log_file"}


def parse_options(raw: Any, previous: ServerOptions | None = None) -> tuple[ServerOptions, list[str]]:
    """Read editor options; a bad value keeps its previous value and is reported."""
    options = previous or ServerOptions()
    problems: list[str] = []
    if not isinstance(raw, dict):
        return options, ([] if raw is None else ["cpt settings must be an object"])
    values = {}
    for key, value in raw.items():
        if key not in _OPTION_KEYS:
            problems.append(f"unknown setting cpt.{key}")
            continue
        name = _OPTION_KEYS[key]
        expected = {"debounce_ms": int, "code_lens": bool, "select": (list, type(None)),
                    "ignore": list, "severity": dict, "thresholds": dict,
                    "log_file": (str, type(None))}[name]
        if not isinstance(value, expected) or (name == "debounce_ms" and value < 0):
            problems.append(f"bad value for cpt.{key}: {value!r}")
            continue
        values[name] = value
    return replace(options, **values), problems


def settings_for(server: CptServer, path: str) -> Settings:
    """Project configuration of `path` with the editor's select/ignore/severity on top."""
    config = find_config(Path(path)) if path and not path.startswith("untitled") else None
    settings = _project_settings(server, config)
    options = server.options
    catalog = server.catalog
    if options.select:
        settings = replace(settings, select=frozenset(i for i in options.select if i in catalog))
    if options.ignore:
        settings = replace(settings, ignore=settings.ignore | frozenset(options.ignore))
    if options.severity:
        settings = replace(settings, severity={**settings.severity, **options.severity})
    if options.thresholds:
        settings = replace(settings, thresholds={**settings.thresholds, **options.thresholds})
    return settings


_cache: dict[Path, tuple[float, Settings]] = {}


def _project_settings(server: CptServer, config: Path | None) -> Settings:
    """Load a config file once per modification; on errors keep the last good settings."""
    if config is None:
        return Settings()
    try:
        mtime = config.stat().st_mtime
    except OSError:
        return Settings()
    cached = _cache.get(config)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    settings, problems = load_settings(config, server.catalog)
    for problem in problems:
        server.log(f"config error: {problem}")
    if problems and cached is not None:
        settings = cached[1]  # the last good configuration stays in force
    _cache[config] = (mtime, settings)
    return settings
