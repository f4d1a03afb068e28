"""Report module-level variables that functions change: global state in disguise.

Where a variable is declared at the top of a module (or as a static field), and a function
assigns it, the finding sits on the declaration and names the function. Constants, tables
that are only read, locals that shadow the name, one-time initialization (`init()`,
`sync.Once`, a static block) and lazy initialization (the function returns what it set, or
sets it only under an `is None` / `!x` / `== nil` check or with `??=`: see singleton) are
left alone.
"""

import re

from cpt.engine.analysis import Hit
from cpt.engine.roles.concurrency_roles import (
    enclosing_function,
    model_function,
    root_of,
    text_of,
)

_KIND = {
    "python": "Module-level variable", "javascript": "Module-level variable",
    "typescript": "Module-level variable", "go": "Package-level variable", "java": "Static field",
}


def detect(ctx):
    """Assignments inside functions to module-level variables (increments come from check)."""
    if ctx.language == "python":
        return
    globals_ = _globals(ctx)
    if not globals_:
        return
    for function in ctx.module.functions:
        for assignment in function.assignments:
            name = _root_name(assignment.target, ctx.language, globals_)
            if name is None or _declares(assignment, ctx.language):
                continue
            hit = _hit(ctx, globals_, name, function, assignment.value)
            if hit is not None:
                yield hit


def check(ctx, captures):
    """A `global` statement (Python) or an increment (`x++`) inside a function."""
    node = captures["match"][0]
    function = model_function(ctx.module, enclosing_function(node))
    if function is None:
        return None
    if ctx.language == "python":
        return _python_global(ctx, node, function)
    name = text_of(captures["_name"][0])
    return _hit(ctx, _globals(ctx), name, function, node)


def _hit(ctx, globals_, name, function, written):
    anchor = globals_.get(name)
    if anchor is None or _excused(ctx, function, name) or _lazy(written, function, globals_):
        return None
    return Hit(anchor, args={
        "kind": _KIND.get(ctx.language, "Global"), "name": name,
        "function": function.qualified_name if function.name != "<lambda>"
        else "an anonymous function",
    })


def _python_global(ctx, node, function):
    declared = [text_of(child) for child in node.named_children if child.type == "identifier"]
    writes = {}
    for assignment in function.assignments:
        writes.setdefault(assignment.target, []).append(assignment.value)
    for name in declared:
        if name not in writes or _returns(function, name) or all(
                _lazy(value, function, set(declared)) for value in writes[name]):
            continue
        anchor = _python_module_binding(ctx.module, name)
        return Hit(anchor if anchor is not None else node, args={
            "kind": _KIND["python"], "name": name, "function": function.qualified_name,
        })
    return None


def _python_module_binding(module, name):
    """The module-level `name = ...` (not a class attribute) the global refers to."""
    for assignment in module.assignments:
        statement = assignment.value.parent.parent if assignment.value is not None else None
        if assignment.target == name and statement is not None and statement.parent is not None \
                and statement.parent.type == "module":
            return assignment.value.parent.child_by_field_name("left")
    return None


# Module-level declarations, per language, computed once per file and element

def _globals(ctx):
    cached = getattr(ctx, "_global_mutable_names", None)
    if cached is None:
        cached = _collect_globals(ctx)
        ctx._global_mutable_names = cached
    return cached


def _collect_globals(ctx):
    module = ctx.module
    if ctx.language == "java":
        return _java_statics(module)
    some = next((item.node for item in [*module.functions, *module.classes]
                 if item.node is not None), None)
    if some is None:
        return {}
    root = root_of(some)
    if ctx.language == "go":
        return _go_vars(root)
    if ctx.language in ("javascript", "typescript"):
        return _js_vars(root)
    return {}


def _go_vars(root):
    found = {}
    for statement in root.named_children:
        if statement.type != "var_declaration":
            continue
        for spec in _go_specs(statement):
            for name in spec.children_by_field_name("name"):
                if text_of(name) != "_":
                    found[text_of(name)] = name
    return found


def _go_specs(declaration):
    for child in declaration.named_children:
        if child.type == "var_spec":
            yield child
        elif child.type == "var_spec_list":
            yield from (spec for spec in child.named_children if spec.type == "var_spec")


def _js_vars(root):
    found = {}
    for statement in root.named_children:
        if statement.type == "export_statement":
            statement = statement.child_by_field_name("declaration") or statement
        if statement.type not in ("lexical_declaration", "variable_declaration"):
            continue
        if statement.children and statement.children[0].type == "const":
            continue
        for declarator in statement.named_children:
            name = declarator.child_by_field_name("name") if (
                declarator.type == "variable_declarator") else None
            if name is not None and name.type == "identifier":
                found[text_of(name)] = name
    return found


def _java_statics(module):
    found = {}
    for klass in module.classes:
        body = klass.node.child_by_field_name("body") if klass.node is not None else None
        if body is None or klass.kind == "interface":
            continue
        for member in body.named_children:
            if member.type != "field_declaration":
                continue
            modifiers = next((child for child in member.named_children
                              if child.type == "modifiers"), None)
            words = text_of(modifiers).split()
            if "static" not in words or "final" in words:
                continue
            for declarator in member.children_by_field_name("declarator"):
                name = declarator.child_by_field_name("name")
                if name is not None:
                    found.setdefault(text_of(name), name)
                    found.setdefault(f"{klass.name}.{text_of(name)}", name)
    return found


# What a write inside a function means

def _root_name(target, language, globals_):
    """`count`, `cache[k]`, `state.x` -> the module-level name they change, if any."""
    if language == "java" and target.count(".") == 1 and target in globals_:
        return target.split(".", 1)[1]
    name = target
    if "." in target or "[" in target:
        name = re.split(r"[.\[]", target, maxsplit=1)[0]
    if language == "java" and name != target:
        return None  # `items[i] = x` changes the array a final field may hold: not reassignment
    return name if name in globals_ else None


def _declares(assignment, language):
    """`let x = ...`, `x := ...`, `int x = ...`: a new local, not a write to the global."""
    value = assignment.value
    parent = value.parent if value is not None else None
    if parent is None:
        return False
    if language == "go":
        statement = parent.parent if parent.type == "expression_list" else parent
        return statement is not None and statement.type in ("short_var_declaration", "var_spec")
    return parent.type == "variable_declarator"


def _excused(ctx, function, name):
    """Shadowed by a local, one-time initialization, or lazy initialization of a single value."""
    if _returns(function, name) or _shadowed(ctx, function, name) or _redefines_itself(
            function, name):
        return True
    if ctx.language == "go":
        return function.name == "init" or _inside_once(function)
    return False


_TESTED = re.compile(
    r"^\(?\s*(?:not\s+|!)?\s*([\w.]+)\s*(?:(?:is|==|===)\s*(?:None|null|nil|undefined))?\s*\)?$")


def _lazy(written, function, globals_):
    """A write under `if x is None:`, `if (!x)`, `if x == nil` of a global: set up on first use.

    `x ??= load()` and `x ||= load()` say the same in one line.
    """
    current = written.parent if written is not None else None
    if current is not None and current.type == "augmented_assignment_expression":
        operator = current.child_by_field_name("operator")
        if operator is not None and operator.type in ("??=", "||="):
            return True
    stop = function.node.id if function.node is not None else None
    while current is not None and current.id != stop:
        if current.type == "if_statement":
            condition = current.child_by_field_name("condition")
            match = _TESTED.match(text_of(condition).strip()) if condition is not None else None
            if match and match.group(1).split(".")[-1] in globals_:
                return True
        current = current.parent
    return False


def _redefines_itself(function, name):
    """`var __assign = function () { __assign = Object.assign || ...; }`: compiled helpers."""
    holder = function.node.parent if function.node is not None else None
    named = holder.child_by_field_name("name") if holder is not None and (
        holder.type == "variable_declarator") else None
    return named is not None and text_of(named) == name


def _returns(function, name):
    return any(ret.text == name for ret in function.returns)


def _inside_once(function):
    """A function literal handed to `once.Do(...)` runs one time."""
    node = function.node
    arguments = node.parent if node is not None else None
    call = arguments.parent if arguments is not None else None
    head = call.child_by_field_name("function") if call is not None else None
    return head is not None and text_of(head).endswith(".Do")


def _shadowed(ctx, function, name):
    """A parameter or local of the same name in the function or in one around it."""
    start, end = function.span.start_byte, function.span.end_byte
    pattern = _local_pattern(ctx.language, name)
    for outer in ctx.module.functions:
        if outer.span.start_byte > start or outer.span.end_byte < end:
            continue
        if any(param.name == name for param in outer.params):
            return True
        if outer.node is None:
            continue
        text = _text_of_function(ctx, outer)
        if name in text and pattern.search(text):  # every pattern holds the name as written
            return True
    return False


def _text_of_function(ctx, function):
    """The text of a function, decoded once per file: every global written in it asks again."""
    texts = ctx.module.memo(("global-mutable-state", "function texts"), dict)
    text = texts.get(id(function))
    if text is None:
        text = texts[id(function)] = text_of(function.node)
    return text


def _local_pattern(language, name):
    name = re.escape(name)
    if language == "go":
        return re.compile(
            rf"\bvar\s+{name}\b|(?:^|[\s;(])(?:\w+\s*,\s*)*{name}\s*(?:,\s*\w+\s*)*:=", re.M)
    if language == "java":
        return re.compile(rf"(?<![\w.])(?!return\b|throw\b|case\b|yield\b|else\b)[A-Za-z_][\w.]*"
                          rf"(?:<[^;=()]*>)?(?:\[\])*\s+{name}\s*[;=:]")
    return re.compile(rf"\b(?:let|const|var)\s+(?:\[[^\]]*\b)?{name}\b")
