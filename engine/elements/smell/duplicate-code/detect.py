"""Report functions that repeat another function.

The same normalized structure (renamed, reformatted: Type-1/2 clones) or nearly the same (a
statement added or removed: Type-3).
"""

import heapq
from collections import defaultdict
from itertools import combinations, islice

from cpt.engine.analysis import Hit, Related
from cpt.engine.fingerprint import dice, remembered_trigrams

MAX_RELATED = 10  # generated code can hold hundreds of copies; point at the first few
MAX_BUCKET = 40  # a band shared by more units than this is boilerplate, not a clone signal
# Remembered between calls (an index keeps the memo): similarities by fingerprint pair, and
# the trigram counts of the last units compared (large: a few thousand at most).
MAX_SIMILARITIES = 50_000
MAX_TRIGRAMS = 2_000


def detect_project(units, ctx):
    threshold = _thresholds(ctx)
    eligible = [unit for unit in units if _large_enough(unit, threshold)]
    groups = _exact_copies(eligible)
    near = defaultdict(list)
    for unit, other, alike in _near_copies(eligible, threshold, ctx.in_focus, ctx.memo,
                                             ctx.similarities):
        near[id(unit)].append((other, alike))
        near[id(other)].append((unit, alike))
    for unit in eligible:
        group = groups.get(id(unit))
        found = near.get(id(unit), ())
        if (group or found) and ctx.in_focus(unit):
            yield unit.path, _hit(unit, group or (), found, ctx.details)


def takes_part(unit, ctx):
    """Only units this long are compared: an index keeps the sketch bands of these alone."""
    return _large_enough(unit, ctx.threshold)


def fewest_lines(path, ctx):
    """Shorter functions are never compared: a scan does not even fingerprint them."""
    return ctx.threshold("duplicate-min-lines", path)


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
    """Each unit's group of same-fingerprint units (itself included), in report order.

    One sorted list per group: generated code has groups of hundreds, and a list of the other
    copies per unit was quadratic.
    """
    groups = defaultdict(list)
    for unit in units:
        groups[unit.fingerprint].append(unit)
    members = {}
    for copies in groups.values():
        if len(copies) > 1:
            copies.sort(key=_place)  # stable: units in the same place keep their order
            for unit in copies:
                members[id(unit)] = copies
    return members


def _place(unit):
    return unit.path, unit.line


def _near_copies(units, threshold, in_focus, memo, similarities=None):
    """Pairs of units with different fingerprints whose similarity reaches the threshold.

    Candidates come from shared sketch bands; only they are compared, so the cost grows with
    the number of real near clones, not with the square of the units. The similarities not
    remembered are handed to `similarities` (a scan's processes) while the bands are walked.
    """
    # Keyed by fingerprint (a hash of the token stream): copies repeat the same comparison,
    # and an index comparing around one changed file asks for the same pairs again.
    alike_by_fingerprints = _bounded(memo, "alike", MAX_SIMILARITIES)
    if similarities is None:
        yield from _compared_here(units, threshold, in_focus, memo, alike_by_fingerprints)
        return
    candidates = []
    pending = {}

    def unknown():
        for candidate in _candidates(units, threshold, in_focus):
            candidates.append(candidate)
            first, second, _, key = candidate
            if key not in alike_by_fingerprints and key not in pending:
                pending[key] = None
                yield first, second

    computed = similarities(unknown())
    alike_by_fingerprints.update(zip(pending, computed, strict=True))
    for first, second, needed, key in candidates:
        alike = alike_by_fingerprints[key]
        if alike >= needed:
            yield first, second, alike


def _candidates(units, threshold, in_focus):
    """Each pair of units to compare, with the similarity it needs and its memo key.

    A pair is listed once, in the first bucket that holds both.
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
    # A pair sharing several bands is taken in the first bucket that holds both, found from
    # their sketches: a set of every pair met took more memory than all the units (a scan).
    order = {key: number for number, (key, members) in enumerate(buckets.items())
             if 2 <= len(members) <= MAX_BUCKET}
    # The numbers of each unit's buckets: a pair met in the earliest bucket of either unit
    # cannot have met in an earlier one; otherwise their smallest common number says.
    numbers = {id(unit): frozenset(order[key] for key in unit.sketch if key in order)
               for unit in units}
    earliest = {one: min(known, default=-1) for one, known in numbers.items()}
    needed_by_unit = {id(unit): threshold("duplicate-similarity", unit.path) for unit in units}
    for key, members in buckets.items():
        number = order.get(key)
        if number is None:
            continue
        # A unit is listed twice when two of its bands have one key (a crc32 collision).
        twice = set() if len({id(unit) for unit in members}) < len(members) else None
        for first, second in combinations(members, 2):
            if first.fingerprint == second.fingerprint:
                continue
            one, other = id(first), id(second)
            if one not in focused and other not in focused:
                continue
            if (number != earliest[one] and number != earliest[other]
                    and len(first.sketch) > 1 and min(numbers[one] & numbers[other]) != number):
                continue  # compared in an earlier bucket
            if twice is not None:
                pair = (one, other) if one < other else (other, one)
                if pair in twice:
                    continue
                twice.add(pair)
            needed = max(needed_by_unit[one], needed_by_unit[other])
            smaller, larger = ((first.size, second.size) if first.size <= second.size
                               else (second.size, first.size))
            if 2 * smaller / (smaller + larger) < needed:
                continue  # the size difference alone keeps them below the threshold
            pair_key = ((first.fingerprint, second.fingerprint)
                        if first.fingerprint < second.fingerprint
                        else (second.fingerprint, first.fingerprint))
            yield first, second, needed, pair_key


def _bounded(memo, name, limit):
    kept = memo.setdefault(name, {})
    if len(kept) > limit:
        kept.clear()
    return kept


def _compared_here(units, threshold, in_focus, memo, known):
    """`_near_copies` one pair at a time: no list of every candidate (100k on the stdlib)."""
    grams = _grams_of(memo)
    for first, second, needed, key in _candidates(units, threshold, in_focus):
        alike = known.get(key)
        if alike is None:
            alike = known[key] = dice(grams(first), grams(second))
        if alike >= needed:
            yield first, second, alike


def _grams_of(memo):
    """A unit's trigram counts, kept for the last units compared."""
    known = _bounded(memo, "trigrams", MAX_TRIGRAMS)

    def grams(unit):
        return remembered_trigrams(unit.fingerprint, unit.normalized, known, MAX_TRIGRAMS)

    return grams


def _hit(unit, group, near, details=True):
    """The finding of a unit with its exact copies (`group`, itself included) and near ones."""
    count = max(len(group) - 1, 0) + len(near)
    # Exact copies before near ones in the same place, as one stable sort of both would give.
    ordered = heapq.merge(((other, 1.0) for other in group if other is not unit),
                          sorted(near, key=lambda item: _place(item[0])),
                          key=lambda item: _place(item[0]))
    copies = list(ordered if details else islice(ordered, MAX_RELATED))
    related = [
        Related(span=other.span, message=_label(other, alike),
                path=None if other.path == unit.path else other.path,
                line=other.line, column=other.column, end_line=other.end_line,
                end_column=other.end_column)
        for other, alike in copies[:MAX_RELATED]
    ]
    shown = [f"{other.name} ({_where(other, unit.path)}{_percent(alike)})"
             for other, alike in copies[:3]]
    others = ", ".join(shown) + (f" and {count - 3} more" if count > 3 else "")
    data = {"copies": [[other.path, other.line, round(alike, 3)] for other, alike in copies]
            } if details else {}
    return Hit(unit.name_span, related=related, args={
        "name": unit.name, "count": count, "others": others,
    }, data=data)


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
