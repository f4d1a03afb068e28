"""What one analyzed file contributes to the index: rows ready to insert, built in a worker."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import msgpack

from cpt.engine.analysis import Analysis
from cpt.engine.project import UnitRecord, file_units
from cpt.engine.suppression import Suppression


@dataclass
class IndexedFile:
    """One file's analysis reduced to table rows (picklable, no syntax tree)."""

    path: str  # relative to the workspace root, POSIX separators
    language: str
    hash: str
    size: int
    mtime_ns: int
    analysis_key: str
    lines: int = 0
    skipped: str | None = None
    suppressions: list[Suppression] = field(default_factory=list)
    units: list[dict] = field(default_factory=list)
    bands: list[list[int]] = field(default_factory=list)  # per unit, parallel to `units`
    findings: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def unit_rows(analysis: Analysis, takes_part: Callable[[UnitRecord], bool] = lambda _unit: True
              ) -> tuple[list[dict], list[list[int]]]:
    """Functions and classes with their fingerprints and feature vectors.

    Sketch bands are kept for the functions a cross-file element may pair (`takes_part`)
    only, so that the number of units under a band is the bucket the detector sees.
    """
    human = analysis.lines.human
    records = iter(file_units(analysis).units)  # the fingerprinted functions, in order
    units: list[dict] = []
    bands: list[list[int]] = []
    for function in analysis.module.functions:
        units.append(_unit(human, "function", function.qualified_name, function.span,
                           function.name_span, function.fingerprint, function.normalized,
                           function.lines, _function_features(function)))
        keys: list[int] = []
        part = False
        if function.fingerprint:
            record = next(records)
            keys = list(record.sketch)
            part = takes_part(record)
        units[-1]["sketch"] = msgpack.packb(keys)
        units[-1]["project"] = int(part)
        bands.append(keys if part else [])
    for klass in analysis.module.classes:
        units.append(_unit(human, klass.kind, klass.name, klass.span, klass.name_span,
                           klass.fingerprint, "", klass.lines, _class_features(klass)))
        units[-1]["sketch"] = None
        units[-1]["project"] = 0
        bands.append([])
    return units, bands


def _unit(human, kind, name, span, name_span, fingerprint, normalized, lines, features) -> dict:
    line, column = human(*span.start)
    end_line, end_column = human(*span.end)
    name_line, name_column = human(*name_span.start)
    _, name_end_column = human(*name_span.end)
    return {
        "kind": kind, "name": name, "line": line, "column": column, "end_line": end_line,
        "end_column": end_column, "name_line": name_line, "name_column": name_column,
        "name_end_column": name_end_column, "start_byte": span.start_byte,
        "end_byte": span.end_byte, "name_start_byte": name_span.start_byte,
        "name_end_byte": name_span.end_byte, "fingerprint": fingerprint or "",
        "size": len(normalized), "lines": lines, "normalized": normalized,
        "features": msgpack.packb(features),
    }


FUNCTION_FEATURES = ("params", "calls", "statements", "branches", "max_nesting", "lines",
                     "returns", "assignments", "handlers", "is_method", "is_constructor")
CLASS_FEATURES = ("fields", "static_fields", "methods", "bases", "decorators", "lines")


def _function_features(function) -> list[int]:
    return [len(function.params), len(function.calls), function.statements, function.branches,
            function.max_nesting, function.lines, len(function.returns),
            len(function.assignments), len(function.handlers), int(function.is_method),
            int(function.is_constructor)]


def _class_features(klass) -> list[int]:
    return [len(klass.fields), sum(1 for item in klass.fields if item.static),
            len(klass.methods), len(klass.bases), len(klass.decorators), klass.lines]


def finding_rows(analysis: Analysis) -> list[dict]:
    """The file's own findings (not the cross-file ones) with human positions."""
    human = analysis.lines.human
    rows = []
    for finding in analysis.findings:
        line, column = human(*finding.span.start)
        end_line, end_column = human(*finding.span.end)
        related = []
        for item in finding.related:
            if item.path is None:
                r_line, r_column = human(*item.span.start)
                r_end_line, r_end_column = human(*item.span.end)
                related.append([None, r_line, r_column, r_end_line, r_end_column, item.message])
            else:
                related.append([item.path, item.line, item.column, item.end_line,
                                item.end_column, item.message])
        rows.append({
            "element": finding.element, "severity": finding.severity,
            "confidence": round(finding.confidence, 3), "source": finding.source,
            "scope": "file", "message": finding.message, "line": line, "column": column,
            "end_line": end_line, "end_column": end_column,
            "related": msgpack.packb(related) if related else None,
            "start_byte": finding.span.start_byte,
        })
    return rows


def pack_suppressions(suppressions: list[Suppression]) -> bytes:
    return msgpack.packb([[item.line, item.start, item.end,
                           sorted(item.ids) if item.ids is not None else None, item.whole_file]
                          for item in suppressions])


def unpack_suppressions(data: bytes | None) -> list[Suppression]:
    if not data:
        return []
    return [Suppression(line, start, end, frozenset(ids) if ids is not None else None, whole)
            for line, start, end, ids, whole in msgpack.unpackb(data)]
