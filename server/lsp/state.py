"""What the server knows: open documents with their last analysis, and the active settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cpt.engine.analysis import Analysis
from cpt.engine.document import Document


@dataclass
class OpenDocument:
    """An editor buffer: its incrementally parsed text and what was found in it."""

    uri: str
    path: str
    document: Document
    version: int | None = None
    analysis: Analysis | None = None
    analyzed_version: int = -1  # Document.version the analysis belongs to
    analyses: int = 0  # analyses so far: a new settings analysis changes the pull result id
    pending: Any = None  # the debounce task of the next analysis
    settling: Any = None  # the timer of the full analysis that follows carried-forward ones
    settle_cancel: Any = None  # threading.Event that stops that analysis once it runs
    clones_refresh: Any = None  # the timer of a clone pass a partner file's change asks for
    clones_cancel: Any = None  # threading.Event that stops that pass once it runs
    model_analysis: Analysis | None = None  # the last full analysis (its model is complete)
    settings: Any = None  # the Settings the analysis ran with
    wire: Any = None  # convert.WireCache: the diagnostics last sent, reused when unchanged
    too_large: bool = False
    project_findings: list = field(default_factory=list)  # clones with other open documents
    units: Any = None  # FileUnits of `units_of`, computed once per analysis
    units_of: Any = None

    @property
    def findings(self):
        return self.analysis.findings if self.analysis is not None else []


@dataclass
class ServerOptions:
    """Editor-side options (initializationOptions and workspace/configuration section `cpt`)."""

    debounce_ms: int = 150
    # After edits analyzed function by function, the whole file is analyzed again once the
    # user has paused this long (class and module patterns, clones).
    settle_ms: int = 400
    code_lens: bool = True
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)
    log_file: str | None = None
    index: bool = True  # build the workspace index in the background
    index_path: str | None = None  # default: the user cache folder, keyed by the workspace
