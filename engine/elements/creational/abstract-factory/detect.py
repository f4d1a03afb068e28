"""Recognize an Abstract Factory by its roles: interchangeable factories of a family of products.

Two or more classes offer the same set of creation methods (at least two), each method returning
a new instance of a product class; within one factory the methods make different products, and
the same method makes a different product in each factory. Repositories whose methods all
return the same entity, and a single factory with several creation methods, are not.

Where it is reported never depends on the order of the declarations: on the shared base or
interface when the file declares one (a Go interface declaring the creation methods counts),
otherwise on every factory of the family, since none of them stands for the others.
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.creational_roles import SELF_TYPE, created_type, strip_parens

_LITERAL = "{}"  # prefix of a product made as an object literal typed by the declared return type


def detect(ctx):
    module = ctx.module
    local_classes = frozenset(klass.name for klass in module.classes)
    families = {}
    for klass in module.classes:
        products = _creation_methods(ctx, klass, local_classes)
        if len(products) >= 2 and len(set(products.values())) == len(products):
            families.setdefault(frozenset(products), []).append((klass, products))
    for methods, factories in families.items():
        factories.sort(key=lambda item: item[0].name)
        for anchors, members in _families_of(module, methods, factories):
            if len(members) < 2 or not _products_vary(methods, members):
                continue
            for anchor in anchors:
                yield Hit(anchor.name_span, args={
                    "name": anchor.name, "count": len(members),
                    "factories": ", ".join(klass.name for klass, _ in members[:4]),
                    "methods": ", ".join(sorted(methods))})


def _families_of(module, methods, factories):
    """([anchors], factories): under a base declared here, else a Go interface, else duck-typed."""
    used = set()
    bases = sorted({base for klass, _ in factories for base in klass.bases})
    for base_name in bases:
        base = module.class_named(base_name.split("<", 1)[0].strip())
        members = [item for item in factories if base_name in item[0].bases]
        if base is not None and len(members) >= 2:
            used.update(klass.name for klass, _ in members)
            yield [base], _distinct(members)
    # An object literal is a product only where a declared base says which family it belongs to.
    rest = [item for item in factories if item[0].name not in used
            and not any(product.startswith(_LITERAL) for product in item[1].values())]
    if len(_distinct(rest)) < 2:
        return
    interface = _declaring_interface(module, methods) if module.language == "go" else None
    if interface is not None:
        yield [interface], _distinct(rest)
    else:
        yield [klass for klass, _ in rest], _distinct(rest)


def _declaring_interface(module, methods):
    """The Go interface of this file declaring all the creation methods (first by name)."""
    found = [klass for klass in module.classes if klass.kind == "interface"
             and methods <= _go_interface_methods(klass)]
    return min(found, key=lambda klass: klass.name) if found else None


def _go_interface_methods(klass) -> frozenset:
    """Names of the methods a Go `type X interface { ... }` declares."""
    node = klass.node.child_by_field_name("type") if klass.node is not None else None
    if node is None or node.type != "interface_type":
        return frozenset()
    names = set()
    for child in node.named_children:
        name = child.child_by_field_name("name") if child.type in ("method_elem",
                                                                   "method_spec") else None
        if name is not None:
            names.add(name.text.decode("utf-8", "replace"))
    return frozenset(names)


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
        created = {_product(ctx, klass, method, strip_parens(ret.text), local_classes)
                   for ret in method.returns}
        if len(created) != 1:
            continue
        product = created.pop()
        if product is not None and product not in (klass.name, SELF_TYPE):
            products[method.name] = product
    return products


def _product(ctx, klass, method, value, local_classes):
    """The product a returned value is: a created class, or a typed TypeScript object literal."""
    if ctx.language == "typescript" and value.startswith("{"):
        declared = _declared_return(method)
        if declared in local_classes and declared != klass.name:
            return f"{_LITERAL}{declared} of {klass.name}"  # each factory's own implementation
        return None
    return created_type(value, ctx.language, local_classes)


def _declared_return(method) -> str | None:
    """`createButton(): Button` -> `Button` (a plain type name only)."""
    node = method.node.child_by_field_name("return_type") if method.node is not None else None
    kind = node.named_children[0] if node is not None and node.named_children else None
    if kind is None or kind.type != "type_identifier":
        return None
    return kind.text.decode("utf-8", "replace")


def _products_vary(methods, factories):
    """Each creation method makes a different product in every factory."""
    return all(len({products[name] for _, products in factories}) == len(factories)
               for name in methods)
