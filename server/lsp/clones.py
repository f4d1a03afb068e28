"""Clones of an open document: its units compared with the other open documents and the index.

The cross-file pass follows every full analysis. The settle analysis runs it in its background
thread (tens of milliseconds on large files), so keystrokes never wait for it: what it reads is
gathered on the event loop first (`clone_inputs`), and what it computed is taken there after
(`adopt`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cpt.engine.analysis import Analysis, AnalysisCancelled, Finding
from cpt.engine.project import FileUnits, analyze_project, fewest_lines, file_units, takes_part

from .convert import MAX_RELATED
from .server import CptServer
from .state import OpenDocument


@dataclass
class CloneInputs:
    """The other open documents' last full analyses (with their units when known), the index."""

    others: list[tuple[OpenDocument, Analysis, FileUnits | None]]
    reader: Any  # the workspace index reader once ready, else None
    open_paths: set[str]


@dataclass
class Clones:
    """The clone findings of one analysis, and the units computed on the way."""

    units: FileUnits
    findings: list[Finding]
    computed: list[tuple[OpenDocument, Analysis, FileUnits]] = field(default_factory=list)


def clone_inputs(ls: CptServer, state: OpenDocument) -> CloneInputs:
    """What the cross-file pass of `state` reads (on the event loop)."""
    from .workspace_index import ready_reader

    others = []
    for other in ls.documents.values():
        analysis = other.model_analysis  # units need a complete model
        if other is state or analysis is None:
            continue
        others.append((other, analysis, other.units if other.units_of is analysis else None))
    return CloneInputs(others, ready_reader(ls), {other.path for other in ls.documents.values()})


def find_clones(ls: CptServer, analysis: Analysis, inputs: CloneInputs,
                cancelled: Callable[[], bool] | None = None) -> Clones:
    """Clone findings of an analysis (any thread; `AnalysisCancelled` when `cancelled` says so)."""
    own = _units(ls, analysis)
    units = [own]
    computed = []
    for other, other_analysis, known in inputs.others:
        if cancelled is not None and cancelled():
            raise AnalysisCancelled
        if known is None:
            known = _units(ls, other_analysis)
            computed.append((other, other_analysis, known))
        units.append(known)
    if inputs.reader is not None:
        from cpt.server.index.project_pass import neighbour_units

        reader = inputs.reader
        units.extend(neighbour_units(reader.conn, reader.root, own.units, inputs.open_paths))
    if cancelled is not None and cancelled():
        raise AnalysisCancelled
    # details=False: the full list of each clone's copies serves the index's incremental pass
    # and reports; building it for an editor cost megabytes on generated code.
    found = analyze_project(units, ls.catalog, ls.settings_for, memo=ls.clone_memo,
                            details=False)
    findings = found.get(analysis.path, [])
    for finding in findings:  # only these are shown, and they move with every keystroke
        finding.related = finding.related[:MAX_RELATED]
    return Clones(own, findings, computed)


def _units(ls: CptServer, analysis: Analysis) -> FileUnits:
    """The units of an analysis that a cross-file element may pair (the others cannot clone).

    Fingerprints and sketches of the rest would cost a fifth of opening a large file.
    """
    catalog = ls.catalog
    settings = ls.settings_for(analysis.path)
    return file_units(analysis, lambda unit: takes_part(unit, catalog, settings),
                      fewest_lines(catalog, settings, analysis.path))


def adopt(state: OpenDocument, analysis: Analysis, clones: Clones) -> None:
    """Make the clones of `analysis` the document's (on the event loop); keep units computed."""
    state.units, state.units_of = clones.units, analysis
    for other, other_analysis, units in clones.computed:
        if other.model_analysis is other_analysis:
            other.units, other.units_of = units, other_analysis
    state.project_findings = clones.findings


def shares_units(first: FileUnits | None, second: FileUnits | None) -> bool:
    """Whether two files' units may pair: a fingerprint or a sketch band in common."""
    if first is None or second is None:
        return False
    keys = {unit.fingerprint for unit in first.units}
    keys.update(key for unit in first.units for key in unit.sketch)
    return any(unit.fingerprint in keys or not keys.isdisjoint(unit.sketch)
               for unit in second.units)
