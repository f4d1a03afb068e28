"""Recognize a Data Mapper by its roles: a class that moves other objects to and from SQL.

One method receives an object and hands its fields to SQL that changes rows; another runs a
query and builds objects from the result row (`Q(**row)`, `Q(row[0], row[1])`,
`new Q(rs.getLong(...), ...)`, Go's `rows.Scan(&q.A, &q.B)`). The domain objects know nothing
about the database; a class that writes its own fields is an Active Record instead.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.data_roles import active_record, data_mapper, mentions_sql


def detect(ctx):
    module = ctx.module
    if not module.classes or not mentions_sql(ctx.source):
        return
    for klass in module.classes:
        if klass.kind == "interface":
            continue
        found = data_mapper(klass, module)
        if found is None or active_record(klass, module) is not None:
            continue
        writer, reader = found
        yield Hit(klass.name_span, args={
            "name": klass.name, "write": writer.name, "read": reader.name})
