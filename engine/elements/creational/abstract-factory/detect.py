"""Recognize an Abstract Factory by its roles: interchangeable factories of a family of products.

Two or more classes offer the same set of creation methods (at least two), each method returning
a new instance of a product class; within one factory the methods make different products, and
the same method makes a different product in each factory. Repositories whose methods all
return the same entity, and a single factory with several creation methods, are not.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.creational_roles import SELF_TYPE, created_type, strip_parens


def detect(ctx):
    module = ctx.module
    local_classes = frozenset(klass.name for klass in module.classes)
    families = {}
    for klass in module.classes:
        products = _creation_methods(ctx, klass, local_classes)
        if len(products) >= 2 and len(set(products.values())) == len(products):
            families.setdefault(frozenset(products), []).append((klass, products))
    for methods, factories in families.items():
        for anchor, members in _families_of(module, factories):
            if len(members) < 2 or not _products_vary(methods, members):
                continue
            yield Hit(anchor.name_span, args={
                "name": anchor.name, "count": len(members),
                "factories": ", ".join(klass.name for klass, _ in members[:4]),
                "methods": ", ".join(sorted(methods))})


def _families_of(module, factories):
    """(anchor, factories): those under a common base declared here, then the duck-typed rest."""
    used = set()
    bases = sorted({base for klass, _ in factories for base in klass.bases})
    for base_name in bases:
        base = module.class_named(base_name.split("<", 1)[0].strip())
        members = [item for item in factories if base_name in item[0].bases]
        if base is not None and len(members) >= 2:
            used.update(klass.name for klass, _ in members)
            yield base, _distinct(members)
    rest = _distinct([item for item in factories if item[0].name not in used])
    if len(rest) >= 2:
        yield rest[0][0], rest


def _distinct(factories):
    """One factory per product family: a class making the same products adds no family."""
    seen, kept = set(), []
    for klass, products in factories:
        signature = tuple(sorted(products.items()))
        if signature not in seen:
            seen.add(signature)
            kept.append((klass, products))
    return kept


def _creation_methods(ctx, klass, local_classes):
    """{method name: product class} for methods that return a new instance of another class."""
    products = {}
    for method in klass.methods:
        if method.is_constructor or not method.returns:
            continue
        created = {created_type(strip_parens(ret.text), ctx.language, local_classes)
                   for ret in method.returns}
        if len(created) != 1:
            continue
        product = created.pop()
        if product is not None and product not in (klass.name, SELF_TYPE):
            products[method.name] = product
    return products


def _products_vary(methods, factories):
    """Each creation method makes a different product in every factory."""
    return all(len({products[name] for _, products in factories}) == len(factories)
               for name in methods)
