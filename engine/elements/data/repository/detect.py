"""Recognize a Repository by its roles: a collection-like home for domain objects.

One method puts a whole object into a store (a map keyed by the object's own id, a list, or a
persistence session it delegates to); another takes a key and returns the stored object that
has it; a third also works on the store. A class that writes objects' fields with SQL itself is
a Data Mapper (or an Active Record) and is left to those elements; a store keyed by a key the
caller chooses is a Registry.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.data_roles import active_record, data_mapper, mentions_sql, repository


def detect(ctx):
    module = ctx.module
    for klass in module.classes:
        if klass.kind == "interface":
            continue
        found = repository(klass, module, lambda function: _source(ctx, function))
        if found is None:
            continue
        if mentions_sql(ctx.source) and (data_mapper(klass, module) is not None
                                         or active_record(klass, module) is not None):
            continue
        add, find, store = found
        yield Hit(klass.name_span, args={
            "name": klass.name, "add": add.name, "find": find.name, "store": store})


def _source(ctx, function):
    return ctx.text(function.node) if function.node is not None else ""
