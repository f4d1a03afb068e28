"""Recognize an Active Record by its roles: a data class that writes itself to the database.

One instance method runs SQL that changes rows (INSERT, UPDATE, DELETE) and hands over the
object's own fields; a second persistence operation (a finder that builds instances of the
class from a query, or another SQL method) confirms it. SQL keywords are data, not names, so
renaming every identifier finds the same.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.data_roles import active_record, mentions_sql


def detect(ctx):
    module = ctx.module
    if not module.classes or not mentions_sql(ctx.source):
        return
    for klass in module.classes:
        if klass.kind == "interface":
            continue
        found = active_record(klass, module)
        if found is None:
            continue
        write, other = found
        yield Hit(klass.name_span, args={
            "name": klass.name, "save": write.name, "other": other.name})
