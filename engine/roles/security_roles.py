"""Facts shared by the security elements: call arguments, names' words, imports and user input.

Everything reads the code model and the tree-sitter nodes it carries; nothing walks the tree
beyond a few parents of one node, so the detectors stay linear in the size of the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from cpt.engine.model import Call, Function, Module
from cpt.engine.values import is_constant

_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_STATEMENTS = frozenset({
    "expression_statement", "local_variable_declaration", "lexical_declaration",
    "variable_declaration", "block", "statement_block", "function_definition",
    "method_declaration", "function_declaration", "class_body",
})


def words(identifier: str) -> list[str]:
    """Split `sessionToken`, `SESSION_TOKEN` or `self.session_token` into lower-case words."""
    return [word.lower() for word in _CAMEL.findall(identifier)]


def keyword(call: Call, name: str) -> Any | None:
    """The value node of a Python keyword argument `name=...` of a call, if it is given."""
    for arg in call.args:
        if arg.type == "keyword_argument":
            key = arg.child_by_field_name("name")
            if key is not None and key.text == name.encode():
                return arg.child_by_field_name("value")
    return None


def keyword_argument(call: Call, name: str) -> Any | None:
    """The whole `name=value` argument node of a Python call, if it is given."""
    value = keyword(call, name)
    return value.parent if value is not None else None


def positional(call: Call) -> list[Any]:
    """The positional arguments of a call (Python keyword arguments and comments left out)."""
    return [arg for arg in call.args
            if arg.type not in ("keyword_argument", "comment", "line_comment", "block_comment")]


def is_false(node: Any | None) -> bool:
    """Whether a node is the literal false of its language."""
    return node is not None and node.type in ("false", "False") or (
        node is not None and node.type == "boolean_literal" and node.text == b"false")


def is_true(node: Any | None) -> bool:
    """Whether a node is the literal true of its language."""
    return node is not None and node.type in ("true", "True") or (
        node is not None and node.type == "boolean_literal" and node.text == b"true")


def binding_of(node: Any, limit: int = 12) -> tuple[str, Any] | None:
    """The statement that receives a value: ("assign", target), ("return", node) or None.

    Climbs a few parents from an expression (through calls, joins, generators, arithmetic)
    until the enclosing assignment, declaration, keyword argument or return is met.
    """
    current = node
    for _ in range(limit):
        parent = current.parent
        if parent is None or parent.type in _STATEMENTS:
            return None
        if parent.type in ("assignment", "augmented_assignment", "assignment_expression",
                           "augmented_assignment_expression", "assignment_statement"):
            target = parent.child_by_field_name("left")
            return ("assign", target) if target is not None else None
        if parent.type in ("variable_declarator", "pair", "keyword_argument", "field_definition",
                           "keyed_element"):
            target = (parent.child_by_field_name("name") or parent.child_by_field_name("key")
                      or parent.child_by_field_name("property")
                      or (parent.named_children[0] if parent.named_children else None))
            if target is None:
                return None
            return ("assign", target) if target is not current else None
        if parent.type == "short_var_declaration":
            left = parent.child_by_field_name("left")
            return ("assign", left) if left is not None else None
        if parent.type == "return_statement":
            return ("return", parent)
        current = parent
    return None


def enclosing_function(module: Module, node: Any) -> Function | None:
    """The innermost function of the model whose span holds a node."""
    best = None
    for function in module.functions:
        span = function.span
        if span.start_byte <= node.start_byte and node.end_byte <= span.end_byte:
            if best is None or span.start_byte >= best.span.start_byte:
                best = function
    return best


def calls_named(module: Module, names: Iterable[str]) -> list[tuple[Function | None, Call]]:
    """The pairs of `module.all_calls()` whose `Call.name` is one of `names`, in that order.

    The file's calls are indexed by name once and the index is shared by every detector, so
    one looking for a few names does not loop over every call of the file.
    """
    pairs, by_name = calls_by_name(module)
    positions = sorted(position for name in set(names) for position in by_name.get(name, ()))
    return [pairs[position] for position in positions]


_CallIndex = tuple[list[tuple[Function | None, Call]], dict[str, list[int]]]


def calls_by_name(module: Module) -> _CallIndex:
    """`module.all_calls()` as a list, and the positions in it of each `Call.name` (once per file).

    Callers must not change either.
    """
    return module.memo("security_roles.calls_by_name", lambda: _index_calls(module))


def _index_calls(module: Module) -> _CallIndex:
    # `module.all_calls()` spelled out: this runs over every call of every file.
    pairs: list[tuple[Function | None, Call]] = [(None, call) for call in module.calls]
    for function in module.functions:
        if function.calls:
            pairs.extend([(function, call) for call in function.calls])
    by_name: dict[str, list[int]] = {}
    for position, (_, call) in enumerate(pairs):
        name = call.callee.rpartition(".")[2]  # `Call.name`
        positions = by_name.get(name)
        if positions is None:
            by_name[name] = [position]
        else:
            positions.append(position)
    return pairs, by_name


def import_texts(ctx: Any) -> Iterator[str]:
    """The source text of every import statement of the file."""
    for item in ctx.module.imports:
        yield ctx.text(item.span)


def python_aliases(ctx: Any) -> dict[str, str]:
    """Map local names to what they import: `pkl` -> `pickle`, `loads` -> `pickle.loads`.

    Computed once per file; callers must not change the map.
    """
    return ctx.module.memo("security_roles.python_aliases", lambda: _python_aliases(ctx))


def _python_aliases(ctx: Any) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for text in import_texts(ctx):
        text = " ".join(text.replace("(", " ").replace(")", " ").replace("\\", " ").split())
        if text.startswith("from "):
            head, _, names = text[5:].partition(" import ")
            for part in names.split(","):
                name, _, alias = part.strip().partition(" as ")
                if name and name != "*":
                    aliases[alias.strip() or name.strip()] = f"{head.strip()}.{name.strip()}"
        elif text.startswith("import "):
            for part in text[7:].split(","):
                name, _, alias = part.strip().partition(" as ")
                if alias:
                    aliases[alias.strip()] = name.strip()
    return aliases


def qualified(callee: str, aliases: dict[str, str]) -> str:
    """A Python callee with its first segment expanded through the file's imports."""
    head, dot, rest = callee.partition(".")
    full = aliases.get(head)
    if full is None:
        return callee
    return f"{full}{dot}{rest}"


def go_import_name(ctx: Any, path: str) -> str | None:
    """The name a Go file uses for an imported package path (its alias, or the last segment)."""
    for item in ctx.module.imports:
        if item.module.strip('"`') == path:
            text = ctx.text(item.span).strip()
            alias = text.split()[0] if " " in text or "\t" in text else ""
            if alias and not alias.startswith(('"', "`")):
                return None if alias in ("_", ".") else alias
            return path.rsplit("/", 1)[-1]
    return None


# User input: what a request handler reads from its request, per language.
USER_INPUT = {
    "python": re.compile(
        r"\brequest\.(args|form|files|values|json|data|get_json|cookies|headers|GET|POST|FILES|"
        r"query_params|path_params|match_info|query|rel_url)\b"),
    "javascript": re.compile(r"\breq(uest)?\.(params|query|body|cookies|headers|files?)\b"),
    "java": re.compile(
        r"\b\w*[rR]equest\.(getParameter|getParameterValues|getHeader|getQueryString|getPathInfo|"
        r"getPart|getCookies|getRequestURI|getInputStream|getReader)\b"),
    "go": re.compile(
        r"\b\w+\.(URL\.Query\(\)|FormValue|PostFormValue|PathValue|URL\.Path\b|Form\.Get|"
        r"PostForm\.Get|Header\.Get)|\bmux\.Vars\(|\b[cC]\.(Param|Query|PostForm|FormValue)\("),
}
USER_INPUT["typescript"] = USER_INPUT["javascript"]

# Parameters that a web framework fills from the request.
_PY_ROUTE = re.compile(r"\.(route|get|post|put|patch|delete|api_route)\(")
_JAVA_BOUND = re.compile(r"@(PathVariable|RequestParam|RequestHeader|PathParam|QueryParam|"
                         r"FormParam|RequestBody)\b")


def request_parameters(ctx: Any, function: Function) -> set[str]:
    """Parameters filled from the request: a Flask/FastAPI route's, Java's annotated ones."""
    if ctx.language == "python":
        node = function.node
        parent = node.parent if node is not None else None
        if parent is not None and parent.type == "decorated_definition":
            decorators = [child for child in parent.children if child.type == "decorator"]
            if any(_PY_ROUTE.search(ctx.text(item)) for item in decorators):
                return {param.name for param in function.params} - {"self", "request"}
        return set()
    if ctx.language == "java":
        return {param.name for param in function.params
                if param.node is not None and _JAVA_BOUND.search(ctx.text(param.node))}
    return set()


def mentions(text: str, names: Iterable[str]) -> bool:
    """Whether text reads one of the names as a whole word."""
    return any(re.search(rf"(?<![\w.]){re.escape(name)}\b", text) for name in names)


class Taint:
    """Which names of one function carry user input, followed through its assignments."""

    def __init__(self, ctx: Any, function: Function | None, clean: re.Pattern[str] | None = None):
        self.source = USER_INPUT.get(ctx.language)
        self.names: set[str] = set()
        if function is None or self.source is None:
            return
        self.names = request_parameters(ctx, function)
        for assignment in sorted(function.assignments, key=lambda item: item.span.start_byte):
            text = assignment.value_text
            target = assignment.target
            if clean is not None and clean.search(text):
                self.names.discard(target)
            elif self.carries(text):
                self.names.add(target)

    def carries(self, text: str) -> bool:
        """Whether an expression's text reads user input or a name that holds some."""
        if self.source is None:
            return False
        return bool(self.source.search(text)) or mentions(text, self.names)


_JS_DEFAULT = re.compile(r"^import\s+(?:type\s+)?([\w$]+)\s*(?:,|\bfrom\b)")
_JS_NAMESPACE = re.compile(r"\*\s*as\s+([\w$]+)")
_JS_NAMED = re.compile(r"\{([^}]*)\}")


def js_bindings(ctx: Any, *packages: str) -> tuple[set[str], dict[str, str]]:
    """Local names a JS/TS file gives a package: whole-module names, and `local -> export`.

    Covers `import x from`, `import * as x from`, `import { a as b } from`, and
    `const x = require(...)` / `const { a: b } = require(...)`.
    """
    wanted = set(packages)
    modules: set[str] = set()
    named: dict[str, str] = {}
    for item in ctx.module.imports:
        if item.module.strip("\"'`") not in wanted:
            continue
        text = ctx.text(item.span)
        if text.startswith("import"):
            default = _JS_DEFAULT.search(text)
            if default:
                modules.add(default.group(1))
            modules.update(_JS_NAMESPACE.findall(text))
            for group in _JS_NAMED.findall(text):
                _named(group, " as ", named)
    for assignment in ctx.module.assignments:
        text = assignment.value_text
        if text.startswith("require(") and text[8:].strip("()'\"` ;") in wanted:
            target = assignment.target
            if target.startswith("{"):
                _named(target.strip("{} "), ":", named)
            else:
                modules.add(target)
    return modules, named


def _named(group: str, separator: str, named: dict[str, str]) -> None:
    for part in group.split(","):
        name, _, alias = part.strip().partition(separator)
        if name.strip():
            named[alias.strip() or name.strip()] = name.strip()


def declared_type(source: str, name: str, types: Iterable[str]) -> bool:
    """Java: whether `name` is declared with (or created as) one of `types` in the file."""
    alternatives = "|".join(re.escape(item) for item in types)
    local = re.escape(name.removeprefix("this."))
    pattern = (rf"\b(?:{alternatives})(?:<[^>]*>)?\s+{local}\b"
               rf"|\b{local}\s*=\s*new\s+(?:{alternatives})\b")
    return re.search(pattern, source) is not None


def constant_value(ctx: Any, node: Any, function: Function | None) -> bool:
    """Whether an expression is constant text, also through a module-level constant name."""
    if is_constant(node, function):
        return True
    if node.type != "identifier":
        return False
    name = node.text.decode("utf-8", "replace")
    if function is not None and any(param.name == name for param in function.params):
        return False
    if function is not None and any(item.target == name for item in function.assignments):
        return False
    outer = [item for item in ctx.module.assignments if item.target == name]
    return len(outer) == 1 and outer[0].value is not None and is_constant(outer[0].value)


_IF_NODES = frozenset({"if_statement", "elif_clause", "else_clause", "conditional_expression",
                       "ternary_expression"})
_FUNCTION_NODES = frozenset({"function_definition", "function_declaration", "method_declaration",
                             "arrow_function", "function_expression", "method_definition",
                             "lambda", "lambda_expression", "func_literal", "module", "program",
                             "source_file"})


def guarded_by(node: Any, pattern: re.Pattern[str], limit: int = 24) -> bool:
    """Whether a node sits in a branch whose condition matches `pattern` (inside its function).

    `if verify is False: ctx.check_hostname = False` honours an option the caller chose;
    the `else` of such an `if` counts too.
    """
    current = node
    for _ in range(limit):
        parent = current.parent
        if parent is None or parent.type in _FUNCTION_NODES:
            return False
        if parent.type in _IF_NODES:
            branch = parent.parent if parent.type == "else_clause" else parent
            condition = branch.child_by_field_name("condition") if branch is not None else None
            if condition is not None and pattern.search(
                    condition.text.decode("utf-8", "replace")):
                return True
        current = parent
    return False
