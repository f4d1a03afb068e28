"""Settings of a file in the editor: the project's config file, then the editor's options.

The project's config file applies as in `cpt scan`; the editor's options (initializationOptions,
workspace configuration section `cpt`) go on top. The editor's section is requested after
`initialized` and again on `workspace/didChangeConfiguration`; config files are re-read when
they change (their mtime, `didSave`, `workspace/didChangeWatchedFiles`). A mistake in a config
file is published as a `config-error` diagnostic on that file and the last good configuration
stays in force.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.uris import from_fs_path

from cpt.engine.catalog import SEVERITIES
from cpt.engine.config import CONFIG_FILES, ConfigProblem, Settings, find_config, load_settings

from .state import ServerOptions

if TYPE_CHECKING:
    from .server import CptServer

SECTION = "cpt"
CONFIG_ERROR = "config-error"
WATCH_GLOB = "**/{pyproject.toml,cpt.toml}"
_OPTION_KEYS = {"debounceMs": "debounce_ms", "settleMs": "settle_ms", "codeLens": "code_lens",
                "select": "select", "ignore": "ignore", "severity": "severity",
                "thresholds": "thresholds", "logFile": "log_file", "index": "index",
                "indexPath": "index_path"}


def parse_options(raw: Any, previous: ServerOptions | None = None,
                  ) -> tuple[ServerOptions, list[str]]:
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
        if not _valid_option(name, value):
            problems.append(f"bad value for cpt.{key}: {value!r}")
            continue
        values[name] = value
    return replace(options, **values), problems


def _valid_option(name: str, value: Any) -> bool:
    if name in ("debounce_ms", "settle_ms"):
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if name in ("code_lens", "index"):
        return isinstance(value, bool)
    if name in ("select", "ignore"):
        if value is None:
            return name == "select"
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if name == "severity":
        return isinstance(value, dict) and all(item in SEVERITIES for item in value.values())
    if name == "thresholds":
        return isinstance(value, dict) and all(
            isinstance(item, int | float) and not isinstance(item, bool) and item >= 0
            for item in value.values())
    return value is None or isinstance(value, str)  # log_file


def unknown_ids(options: ServerOptions, catalog) -> list[str]:
    """Element ids in the editor's options that the catalog does not know."""
    named = [*(options.select or []), *options.ignore, *options.severity]
    return sorted({element_id for element_id in named if element_id not in catalog})


def settings_for(server: CptServer, path: str) -> Settings:
    """Project configuration of `path` with the editor's select/ignore/severity on top.

    Remembered until the next analysis starts (`server.settings_cache` is cleared then), so one
    analysis and its cross-file pass look at the disk once per file, not once per finding.
    """
    cached = server.settings_cache.get(path)
    if cached is None:
        cached = server.settings_cache[path] = _settings_for(server, path)
    return cached


def _settings_for(server: CptServer, path: str) -> Settings:
    config = find_config(Path(path)) if path and not path.startswith("untitled") else None
    settings = _project_settings(server, config)
    options = server.options
    catalog = server.catalog
    if options.select:
        settings = replace(settings, select=frozenset(i for i in options.select if i in catalog))
    if options.ignore:
        settings = replace(settings, ignore=settings.ignore | frozenset(options.ignore))
    if options.severity:
        severity = {key: value for key, value in options.severity.items() if key in catalog}
        settings = replace(settings, severity={**settings.severity, **severity})
    if options.thresholds:
        settings = replace(settings, thresholds={**settings.thresholds, **options.thresholds})
    return settings


@dataclass
class _ConfigFile:
    """What was read from one config file: the settings in force and the file's mistakes."""

    stamp: tuple[int, int]  # (mtime_ns, size): a change re-reads the file
    settings: Settings
    problems: list[ConfigProblem] = field(default_factory=list)


_files: dict[Path, _ConfigFile] = {}


def _project_settings(server: CptServer, config: Path | None) -> Settings:
    """Return the settings of a config file, re-read when it changed; on errors the last good."""
    if config is None:
        return Settings()
    stamp = _stamp(config)
    if stamp is None:
        forget_config(server, config)
        return Settings()
    cached = _files.get(config)
    if cached is not None and cached.stamp == stamp:
        return cached.settings
    return _load(server, config, stamp).settings


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def _load(server: CptServer, config: Path, stamp: tuple[int, int]) -> _ConfigFile:
    previous = _files.get(config)
    settings, problems = load_settings(config, server.catalog)
    if problems and previous is not None:
        settings = previous.settings  # the last good configuration stays in force
    entry = _files[config] = _ConfigFile(stamp, settings, problems)
    for problem in problems:
        server.log(f"config error: {problem}", types.MessageType.Warning)
    if problems or (previous is not None and previous.problems):
        server.on_loop(_publish, server, config, problems)  # may be read by a settle thread
    return entry


def check_config(server: CptServer, path: Path) -> bool:
    """Re-read a config file that changed; say whether the settings in force changed."""
    if find_config(path.parent) != path:  # deleted, or a pyproject.toml without [tool.cpt]
        return forget_config(server, path)
    stamp = _stamp(path)
    if stamp is None:
        return forget_config(server, path)
    before = _files.get(path)
    entry = _load(server, path, stamp)
    return before is None or before.settings != entry.settings


def forget_config(server: CptServer, path: Path) -> bool:
    """Drop a config file that no longer applies and clear its diagnostics."""
    entry = _files.pop(path, None)
    if entry is None:
        return False
    if entry.problems:
        _publish(server, path, [])
    return True


def _publish(server: CptServer, path: Path, problems: list[ConfigProblem]) -> None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    lines = text.splitlines()
    diagnostics = []
    for problem in problems:
        line = max(problem.line - 1, 0)
        width = _width(lines[line], server.encoding) if line < len(lines) else 0
        diagnostics.append(types.Diagnostic(
            range=types.Range(types.Position(line, 0), types.Position(line, width)),
            message=f"{problem.key}: {problem.message}", severity=types.DiagnosticSeverity.Error,
            source="cpt", code=CONFIG_ERROR))
    uri = from_fs_path(str(path)) or path.as_uri()
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))


def _width(line: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(line.encode("utf-8", "replace"))
    if encoding == "utf-16":
        return len(line.encode("utf-16-le", "surrogatepass")) // 2
    return len(line)


def register(server: CptServer) -> None:
    from .server import guarded

    base: list[ServerOptions] = []  # the initializationOptions, under the workspace section

    @guarded(server, "initialized (configuration)")
    async def initialized(ls: CptServer, params: types.InitializedParams) -> None:
        """Register the config-file watcher, check the root's config file, read `cpt`."""
        base.append(ls.options)
        await _watch_config_files(ls)
        # Documents may have been opened meanwhile: analyze them again when settings change,
        # at once (a watcher event handled before the next await would see nothing new).
        root_config = find_config(ls.root) if ls.root is not None else None
        if root_config is not None and check_config(ls, root_config):
            reanalyze(ls)
        if await _read_workspace_configuration(ls, base[0]):
            reanalyze(ls)

    @guarded(server, "textDocument/didSave (configuration)")
    def did_save(ls: CptServer, params: types.DidSaveTextDocumentParams) -> None:
        """Check a saved config file again and apply it."""
        path = Path(ls.path_of(params.text_document.uri))
        if path.name in CONFIG_FILES and check_config(ls, path):
            reanalyze(ls)

    _after(server, types.INITIALIZED, initialized)
    _after(server, types.TEXT_DOCUMENT_DID_SAVE, did_save)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @guarded(server, "workspace/didChangeConfiguration")
    async def did_change_configuration(ls: CptServer,
                                       params: types.DidChangeConfigurationParams) -> None:
        """Read the `cpt` section again (or take it from the notification) and apply it."""
        start = base[0] if base else ServerOptions()
        if await _read_workspace_configuration(ls, start, pushed=params.settings):
            reanalyze(ls)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded(server, "workspace/didChangeWatchedFiles")
    def did_change_watched_files(ls: CptServer, params: types.DidChangeWatchedFilesParams) -> None:
        """Config files created, changed or deleted outside the editor."""
        changed = False
        for event in params.changes:
            path = Path(ls.path_of(event.uri))
            if path.name in CONFIG_FILES:
                changed = check_config(ls, path) or changed
        if changed:
            reanalyze(ls)


def _after(server: CptServer, method: str, extra: Callable[..., Any]) -> None:
    """Run `extra` after the handler another module registered (pygls keeps one per method)."""
    features = server.protocol.fm.features
    previous = features.get(method)

    async def both(params: Any) -> None:
        if previous is not None:
            result = previous(params)
            if inspect.isawaitable(result):
                await result
        result = extra(server, params)
        if inspect.isawaitable(result):
            await result

    features[method] = both


async def _watch_config_files(ls: CptServer) -> None:
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace is not None else None
    if watched is None or not watched.dynamic_registration:
        return
    registrations = [types.Registration(
        id="cpt-config-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=WATCH_GLOB)]))]
    changes = workspace.did_change_configuration if workspace is not None else None
    if changes is not None and changes.dynamic_registration:
        registrations.append(types.Registration(
            id="cpt-configuration", method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
            register_options={"section": SECTION}))
    try:
        await ls.client_register_capability_async(
            types.RegistrationParams(registrations=registrations))
    except Exception as error:  # cpt: ignore[broad-except] the client said no; files still read
        ls.log(f"could not watch config files: {error}")


async def _read_workspace_configuration(ls: CptServer, start: ServerOptions,
                                        pushed: Any = None) -> bool:
    """Apply the `cpt` section over the initializationOptions; say whether anything changed."""
    workspace = ls.client_capabilities.workspace
    if workspace is not None and workspace.configuration:
        scope = from_fs_path(str(ls.root)) if ls.root is not None else None
        answer = await ls.workspace_configuration_async(types.ConfigurationParams(
            items=[types.ConfigurationItem(scope_uri=scope, section=SECTION)]))
        raw = answer[0] if answer else None
    elif isinstance(pushed, dict):
        raw = pushed.get(SECTION, pushed)
    else:
        return False
    options, problems = parse_options(raw, start)
    for problem in problems:
        ls.log(problem, types.MessageType.Warning)
    unknown = unknown_ids(options, ls.catalog)
    if unknown:
        ls.log(f"cpt settings name unknown element ids: {', '.join(unknown)}",
               types.MessageType.Warning)
    if options == ls.options:
        return False
    code_lens_changed = options.code_lens != ls.options.code_lens
    ls.options = options
    if code_lens_changed:
        _refresh(ls, "code_lens", ls.workspace_code_lens_refresh)
    return True


def reanalyze(ls: CptServer) -> None:
    """Analyze every open document again under the new settings, and let the client know."""
    from .diagnostics import analyze_now

    for state in list(ls.documents.values()):
        if state.pending is not None:
            state.pending.cancel()
        analyze_now(ls, state, full=True)
    _refresh(ls, "diagnostics", ls.workspace_diagnostic_refresh)


def _refresh(ls: CptServer, capability: str, send: Callable[[None], Awaitable[Any] | Any]) -> None:
    """Ask a client that pulls to pull again (only when it says it supports it)."""
    workspace = ls.client_capabilities.workspace
    support = getattr(workspace, capability, None) if workspace is not None else None
    if support is not None and support.refresh_support:
        send(None)
