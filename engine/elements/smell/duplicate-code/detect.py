"""Report functions whose normalized structure is the same as another function's (clones)."""

from collections import defaultdict

from cpt.engine.analysis import Hit, Related

MAX_RELATED = 10  # generated code can hold hundreds of copies; point at the first few


def detect_project(units, ctx):
    groups = defaultdict(list)
    limits = {}
    for unit in units:
        limit = limits.get(unit.path)
        if limit is None:
            limit = limits[unit.path] = (ctx.threshold("duplicate-min-lines", unit.path),
                                         ctx.threshold("duplicate-min-tokens", unit.path))
        if unit.lines >= limit[0] and unit.size >= limit[1]:
            groups[unit.fingerprint].append(unit)
    for copies in groups.values():
        if len(copies) < 2:
            continue
        for unit in copies:
            others = [other for other in copies if other is not unit]
            related = [
                Related(span=other.span, message=f"copy: {other.name}",
                        path=None if other.path == unit.path else other.path,
                        line=other.line, column=other.column, end_line=other.end_line,
                        end_column=other.end_column)
                for other in others[:MAX_RELATED]
            ]
            names = ", ".join(
                f"{other.name} ({_where(other, unit.path)})" for other in others[:3]
            ) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            yield unit.path, Hit(unit.name_span, related=related, args={
                "name": unit.name, "count": len(others), "others": names,
            })



def _where(other, path):
    """A copy in the same file is named by its line alone; elsewhere by `path:line`."""
    if other.path == path:
        return f"line {other.line}"
    parts = other.path.replace("\\", "/").split("/")
    return f"{'/'.join(parts[-2:])}:{other.line}"  # short: the related location has the full path
