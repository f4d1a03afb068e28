"""Report functions that repeat another function.

The same normalized structure (renamed, reformatted: Type-1/2 clones) or nearly the same (a
statement added or removed: Type-3).
"""

from collections import defaultdict
from itertools import combinations

from cpt.engine.analysis import Hit, Related
from cpt.engine.fingerprint import similarity

MAX_RELATED = 10  # generated code can hold hundreds of copies; point at the first few
MAX_BUCKET = 40  # a band shared by more units than this is boilerplate, not a clone signal


def detect_project(units, ctx):
    threshold = _thresholds(ctx)
    eligible = [unit for unit in units if _large_enough(unit, threshold)]
    partners = _exact_copies(eligible)
    for unit, other, alike in _near_copies(eligible, threshold, ctx.in_focus):
        partners[id(unit)].append((other, alike))
        partners[id(other)].append((unit, alike))
    for unit in eligible:
        copies = partners.get(id(unit))
        if copies:
            yield unit.path, _hit(unit, copies)


def _thresholds(ctx):
    """`ctx.threshold`, asked once per file and name: a file's settings are found from its path."""
    known = {}

    def threshold(name, path):
        value = known.get((name, path))
        if value is None:
            value = known[name, path] = ctx.threshold(name, path)
        return value

    return threshold


def _large_enough(unit, threshold):
    return (unit.lines >= threshold("duplicate-min-lines", unit.path)
            and unit.size >= threshold("duplicate-min-tokens", unit.path))


def _exact_copies(units):
    groups = defaultdict(list)
    for unit in units:
        groups[unit.fingerprint].append(unit)
    partners = defaultdict(list)
    for copies in groups.values():
        if len(copies) > 1:
            for unit in copies:
                partners[id(unit)] = [(other, 1.0) for other in copies if other is not unit]
    return partners


def _near_copies(units, threshold, in_focus):
    """Pairs of units with different fingerprints whose similarity reaches the threshold.

    Candidates come from shared sketch bands; only they are compared, so the cost grows with
    the number of real near clones, not with the square of the units.
    """
    focused = {id(unit) for unit in units if in_focus(unit)}
    # Only bands that hold a unit in focus can give a pair with one (all bands without focus).
    wanted = ({key for unit in units if id(unit) in focused for key in unit.sketch}
              if len(focused) < len(units) else None)
    buckets = defaultdict(list)
    for unit in units:
        for key in unit.sketch:
            if wanted is None or key in wanted:
                buckets[key].append(unit)
    seen = set()
    alike_by_fingerprints = {}  # copies of a unit repeat the same comparison
    for members in buckets.values():
        if len(members) < 2 or len(members) > MAX_BUCKET:
            continue
        for first, second in combinations(members, 2):
            if first.fingerprint == second.fingerprint:
                continue
            if id(first) not in focused and id(second) not in focused:
                continue
            pair = (id(first), id(second)) if id(first) < id(second) else (id(second), id(first))
            if pair in seen:
                continue
            seen.add(pair)
            needed = max(threshold("duplicate-similarity", first.path),
                         threshold("duplicate-similarity", second.path))
            smaller, larger = sorted((first.size, second.size))
            if 2 * smaller / (smaller + larger) < needed:
                continue  # the size difference alone keeps them below the threshold
            key = tuple(sorted((first.fingerprint, second.fingerprint)))
            alike = alike_by_fingerprints.get(key)
            if alike is None:
                alike = alike_by_fingerprints[key] = similarity(first.normalized,
                                                                second.normalized)
            if alike >= needed:
                yield first, second, alike


def _hit(unit, copies):
    copies = sorted(copies, key=lambda item: (item[0].path, item[0].line))
    related = [
        Related(span=other.span, message=_label(other, alike),
                path=None if other.path == unit.path else other.path,
                line=other.line, column=other.column, end_line=other.end_line,
                end_column=other.end_column)
        for other, alike in copies[:MAX_RELATED]
    ]
    shown = [f"{other.name} ({_where(other, unit.path)}{_percent(alike)})"
             for other, alike in copies[:3]]
    others = ", ".join(shown) + (f" and {len(copies) - 3} more" if len(copies) > 3 else "")
    return Hit(unit.name_span, related=related, args={
        "name": unit.name, "count": len(copies), "others": others,
    }, data={"copies": [[other.path, other.line, round(alike, 3)] for other, alike in copies]})


def _label(other, alike):
    return f"copy: {other.name}" if alike >= 1.0 else f"near copy ({alike:.0%} alike): {other.name}"


def _percent(alike):
    return "" if alike >= 1.0 else f", {alike:.0%} alike"


def _where(other, path):
    """A copy in the same file is named by its line alone; elsewhere by `path:line`."""
    if other.path == path:
        return f"line {other.line}"
    parts = other.path.replace("\\", "/").split("/")
    return f"{'/'.join(parts[-2:])}:{other.line}"  # short: the related location has the full path
