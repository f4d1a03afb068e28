"""Report functions whose normalized structure is the same as another function's (clones)."""

from collections import defaultdict

from cpt.engine.analysis import Hit, Related


def detect_project(units, ctx):
    groups = defaultdict(list)
    for unit in units:
        if (unit.lines >= ctx.threshold("duplicate-min-lines", unit.path)
                and unit.size >= ctx.threshold("duplicate-min-tokens", unit.path)):
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
                for other in others
            ]
            names = ", ".join(
                f"{other.name} ({'line ' + str(other.line) if other.path == unit.path else other.path + ':' + str(other.line)})"
                for other in others[:3]
            ) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            yield unit.path, Hit(unit.name_span, related=related, args={
                "name": unit.name, "count": len(others), "others": names,
            })

