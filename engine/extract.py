"""Build the language-neutral code model from the matches of one extraction query.

The per-language `queries/<lang>.scm` files name what they find with a shared set of captures
(see `queries/README.md`); this module turns those captures into `model.Module` without ever
looking at a language-specific node kind, except through the neutral-kind table below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any

from . import fingerprint
from .languages import LanguageSpec
from .model import (
    ASK_NODE,
    Assignment,
    Call,
    Class,
    Field,
    Function,
    Handler,
    Import,
    Module,
    Param,
    Return,
)
from .positions import Span

# Node kinds of every grammar mapped to the neutral value kinds detectors read.
NEUTRAL_KINDS = {
    **dict.fromkeys(
        (
            "string", "string_literal", "interpreted_string_literal", "raw_string_literal",
            "text_block", "concatenated_string",
        ),
        "string",
    ),
    "template_string": "template",
    **dict.fromkeys(
        (
            "integer", "float", "number", "decimal_integer_literal", "hex_integer_literal",
            "octal_integer_literal", "binary_integer_literal", "decimal_floating_point_literal",
            "int_literal", "float_literal", "imaginary_literal",
        ),
        "number",
    ),
    **dict.fromkeys(("list", "array", "list_comprehension", "array_initializer"), "list"),
    **dict.fromkeys(("dictionary", "object", "dictionary_comprehension"), "dict"),
    **dict.fromkeys(("set", "set_comprehension"), "set"),
    **dict.fromkeys(("call", "call_expression", "method_invocation"), "call"),
    **dict.fromkeys(("new_expression", "object_creation_expression"), "new"),
    **dict.fromkeys(("none", "null", "null_literal", "nil", "undefined"), "null"),
    **dict.fromkeys(("true", "false", "boolean_literal"), "bool"),
    **dict.fromkeys(
        ("lambda", "arrow_function", "function_expression", "func_literal", "lambda_expression",
         "function"),
        "lambda",
    ),
    **dict.fromkeys(("identifier", "this", "self"), "name"),
    **dict.fromkeys(("attribute", "member_expression", "field_access", "selector_expression"),
                    "member"),
    **dict.fromkeys(
        ("binary_expression", "binary_operator", "formatted_string"), "expression"
    ),
    "composite_literal": "new",
    "unary_expression": "expression",
}

_SILENT_STATEMENTS = frozenset(
    {"pass_statement", "comment", "empty_statement", "line_comment", "block_comment"}
)
_MODIFIER_WORDS = re.compile(r"\b(static|private|protected|public|staticmethod|classmethod)\b")
_WHITESPACE = re.compile(r"\s+")
_MAX_NAME = 200


def value_kind(node: Any) -> str:
    """Return the neutral kind of an expression node."""
    kind = NEUTRAL_KINDS.get(node.type)
    # Looping, not recursing: code may wrap a value in thousands of parentheses.
    while kind is None and node.type in ("parenthesized_expression", "expression_list") and (
        node.named_child_count == 1
    ):
        node = node.named_children[0]
        kind = NEUTRAL_KINDS.get(node.type)
    if kind == "string" and node.type == "string":
        # Python f-strings and JS template-like strings with interpolation are not constants.
        for child in node.named_children:
            if child.type == "interpolation":
                return "template"
    return kind or "other"


def node_text(node: Any) -> str:
    """Return a node's source text on one line, shortened for names and messages."""
    text = node.text.decode("utf-8", "replace")
    if len(text) > _MAX_NAME:
        text = text[:_MAX_NAME]
    return _WHITESPACE.sub("", text) if "\n" in text else text


def _innermost(items: list[tuple[int, int, Any]], containers: list) -> list:
    """For items `(start byte, end byte, item)` sorted by start, the innermost container of each.

    Containers must be sorted by (start, -end) and expose `.span`; None where none contains.
    """
    # Runs over every unit of a file: plain integers instead of attribute chains.
    starts = [container.span.start_byte for container in containers]
    ends = [container.span.end_byte for container in containers]
    result = []
    for (_start, end, item), stack in _open_containers(starts, ends, items):
        found = None
        for position in reversed(stack):
            container = containers[position]
            # A container never contains itself.
            if container is not item and ends[position] >= end:
                found = container
                break
        result.append(found)
    return result


def _open_containers(starts: list[int], ends: list[int],
                     items: list) -> Iterator[tuple[Any, list[int]]]:
    """Each item (a tuple starting with its start byte, in order) with the containers open there.

    Containers are given by their start and end bytes, sorted by (start, -end); the stack holds
    their positions, each inside the one below it.
    """
    count = len(starts)
    stack: list[int] = []
    index = 0
    for item in items:
        start = item[0]
        while index < count and starts[index] <= start:
            opening = starts[index]
            while stack and ends[stack[-1]] <= opening:
                stack.pop()
            stack.append(index)
            index += 1
        while stack and ends[stack[-1]] <= start:
            stack.pop()
        yield item, stack


# A capture waiting to be attached to its innermost function and class:
# (start byte, end byte, kind, payload). Tuples: a file has hundreds of thousands.
_Located = tuple[int, int, str, Any]


def build_module(
    matches: Iterable[tuple[int, dict[str, list[Any]]]],
    spec: LanguageSpec,
    path: str,
    has_errors: bool = False,
    source: bytes = b"",
    fingerprints: fingerprint.FingerprintCache | None = None,
) -> Module:
    """Turn the extraction matches of one file into its code model."""
    module = Module(language=spec.name, path=path, has_errors=has_errors)
    classes: dict[int, Class] = {}
    functions: dict[int, Function] = {}
    modifiers: dict[int, list[str]] = {}
    receivers: dict[int, str] = {}
    located: list[_Located] = []
    locate = located.append
    controls: dict[int, tuple[Span, bool]] = {}
    chains: set[int] = set()
    text = _text_of(source)

    kinds = _PATTERN_KINDS.setdefault(spec.name, {})
    # One branch per primary capture, the most frequent first: this loop runs once per match.
    for index, captures in matches:
        kind = kinds.get(index)
        if kind is None:
            kind = kinds[index] = next((name for name in _PRIMARY if name in captures), "")
        if kind == "call":
            node = captures["call"][0]
            callees = captures.get("call.callee")
            args = captures.get("call.args")
            start, end = node.start_byte, node.end_byte
            call = Call(
                text(node) if callees is None else text(callees[0]) if len(callees) == 1
                else _joined_text(callees),
                Span(start, end, None, None, node), args[0] if args else ASK_NODE, False, node,
            )
            locate((start, end, "call", call))
        elif kind == "assign":
            node = captures["assign"][0]
            value = captures["assign.value"][0]
            start, end = node.start_byte, node.end_byte
            assignment = Assignment(
                text(captures["assign.target"][0]), Span(start, end, None, None, node),
                value_kind(value), text(value), value,
            )
            locate((start, end, "assign", assignment))
        elif kind == "param":
            node = captures["param"][0]
            name_node = captures.get("param.name", [node])[0]
            default = captures.get("param.default", [None])[0]
            start, end = node.start_byte, node.end_byte
            param = Param(
                text(name_node), Span(start, end, None, None, node),
                Span.of(default) if default is not None else None,
                value_kind(default) if default is not None else None, node,
            )
            locate((start, end, "param", param))
        elif kind == "control":
            node = captures["control"][0]
            controls[node.id] = (Span.of(node), False)
        elif kind == "class":
            _add_class(captures, classes, text)
        elif kind == "function":
            node = captures["function"][0]
            if node.id in functions:
                continue
            name_node = captures.get("function.name", [None])[0]
            functions[node.id] = Function(
                name=text(name_node) if name_node is not None else "<lambda>",
                span=Span.of(node),
                name_span=Span.of(name_node if name_node is not None else node),
                node=node,
            )
            if "function.receiver" in captures:
                receivers[node.id] = text(captures["function.receiver"][0])
            if "function.static" in captures:
                modifiers.setdefault(node.id, []).append("static")
        elif kind == "return":
            node = captures["return"][0]
            value = captures.get("return.value", [None])[0]
            start, end = node.start_byte, node.end_byte
            ret = Return(
                span=Span(start, end, None, None, node),
                kind=value_kind(value) if value is not None else None,
                text=text(value) if value is not None else "",
            )
            locate((start, end, "return", ret))
        elif kind == "new":
            node = captures["new"][0]
            type_node = captures.get("new.type", [node])[0]
            args = captures.get("new.args")
            start, end = node.start_byte, node.end_byte
            call = Call(text(type_node), Span(start, end, None, None, node),
                        args[0] if args else ASK_NODE, True, node)
            locate((start, end, "call", call))
        elif kind == "field":
            node = captures["field"][0]
            value = captures.get("field.value", [None])[0]
            start, end = node.start_byte, node.end_byte
            for name_node in captures.get("field.name", ()):
                field = Field(
                    name=text(name_node), span=Span(start, end, None, None, node), static=True,
                    value_kind=value_kind(value) if value is not None else None,
                )
                locate((start, end, "field", (field, node.id)))
        elif kind == "control.chain":
            chains.add(captures["control.chain"][0].id)
        elif kind == "handler":
            node = captures["handler"][0]
            handler = _handler(node, captures, text)
            locate((node.start_byte, node.end_byte, "handler", handler))
        elif kind == "import":
            node = captures["import"][0]
            for module_node in captures.get("import.module", [node]):
                module.imports.append(Import(module=text(module_node).strip("\"'`"),
                                             span=Span.of(node)))
        elif kind == "modifier":
            target = captures["modifier.of"][0]
            words = modifiers.setdefault(target.id, [])
            for modifier in captures["modifier"]:
                words.extend(_MODIFIER_WORDS.findall(modifier.text.decode("utf-8", "replace")))

    _assemble(module, spec, classes, functions, modifiers, receivers, located, controls, chains)
    fingerprint.fingerprint_module(module, spec, source, fingerprints)
    return module


def _text_of(source: bytes) -> Callable[[Any], str]:
    """`node_text` read from the file's bytes: slicing them costs a third of `node.text`.

    Long nodes are cut before decoding; 1,000 bytes hold more than `_MAX_NAME` characters.
    Without the bytes (a model built from matches alone), the node's own text is read.
    """
    if not source:
        return node_text
    whitespace = _WHITESPACE.sub

    def text(node: Any) -> str:
        start = node.start_byte
        end = node.end_byte
        if end - start > 1000:
            end = start + 1000
        value = source[start:end].decode("utf-8", "replace")
        if len(value) > _MAX_NAME:
            value = value[:_MAX_NAME]
        return whitespace("", value) if "\n" in value else value

    return text


def _add_class(captures: dict[str, list[Any]], classes: dict[int, Class],
               text: Callable[[Any], str]) -> None:
    """Record a class once, with the bases of every match that names it."""
    node = captures["class"][0]
    item = classes.get(node.id)
    if item is None:
        name_node = captures.get("class.name", [node])[0]
        kind_node = captures.get("class.kind", [None])[0]
        kind = "class"
        if kind_node is not None:
            kind = "interface" if "interface" in kind_node.type else (
                "struct" if "struct" in kind_node.type else "class"
            )
        item = Class(
            name=text(name_node), span=Span.of(node), name_span=Span.of(name_node),
            kind=kind, node=node,
        )
        classes[node.id] = item
    for base in captures.get("class.base", ()):
        name = text(base)
        if name not in item.bases:
            item.bases.append(name)


def _handler(node: Any, captures: dict[str, list[Any]], text: Callable[[Any], str]) -> Handler:
    """An exception handler with its caught types and whether its body does nothing."""
    body = captures.get("handler.body", [None])[0]
    statements = [
        child for child in (body.named_children if body is not None else [])
        if child.type not in ("comment", "line_comment", "block_comment")
    ]
    silent = all(
        child.type in _SILENT_STATEMENTS
        or (child.type == "expression_statement" and child.named_child_count == 1
            and child.named_children[0].type == "ellipsis")
        for child in statements
    )
    types = [
        part
        for type_node in captures.get("handler.type", ())
        for part in _split_types(text(type_node))
    ]
    return Handler(
        span=Span.of(node), types=types, body_statements=len(statements),
        body_is_silent=silent, node=node,
    )


def _joined_text(nodes: list[Any]) -> str:
    """The text from the first to the last of several captured parts, on one line.

    For example `object` .. `name` of a Java method call; a long head is cut so that the last
    segment stays.
    """
    start = min(item.start_byte for item in nodes)
    end = max(item.end_byte for item in nodes)
    parent = nodes[0].parent
    if parent is None or not (parent.start_byte <= start and end <= parent.end_byte):
        return node_text(nodes[-1])
    text = parent.text[start - parent.start_byte:end - parent.start_byte].decode("utf-8", "replace")
    text = _WHITESPACE.sub("", text) if "\n" in text else text
    return text[-_MAX_NAME:]


_COMMENTS = frozenset({"comment", "line_comment", "block_comment"})


def make_counter(query: Any) -> Any:
    """Return a function that counts a unit's statements and branches with the lazy query."""
    import tree_sitter as ts

    def count(function: Function) -> tuple[int, int]:
        captures = ts.QueryCursor(query).captures(function.node)
        statements = sum(1 for node in captures.get("statement", ()) if node.type not in _COMMENTS)
        return statements, len(captures.get("branch", ()))

    return count


# The capture that says what a match is, in the order they are looked for; the answer is
# cached per pattern index, so each match costs one dictionary look-up to dispatch.
_PRIMARY = ("call", "assign", "control", "return", "param", "function", "class", "new",
            "field", "handler", "import", "modifier", "control.chain")
_PATTERN_KINDS: dict[str, dict[int, str]] = {}


def _split_types(text: str) -> list[str]:
    text = re.split(r"\s+as\s+", text)[0]
    text = text.strip("()")
    return [part.strip().split()[0] for part in re.split(r"[,|]", text) if part.strip()]


def _assemble(
    module: Module,
    spec: LanguageSpec,
    classes: dict[int, Class],
    functions: dict[int, Function],
    modifiers: dict[int, list[str]],
    receivers: dict[int, str],
    located: list[_Located],
    controls: dict[int, tuple[Span, bool]],
    chains: set[int],
) -> None:
    """Attach every capture to its innermost unit and derive the per-unit figures."""
    class_list = sorted(classes.values(), key=lambda c: (c.span.start_byte, -c.span.end_byte))
    function_list = sorted(
        functions.values(), key=lambda f: (f.span.start_byte, -f.span.end_byte)
    )
    module.classes = class_list
    module.functions = function_list

    units: list[Class | Function] = sorted(
        [*class_list, *function_list], key=lambda u: (u.span.start_byte, -u.span.end_byte)
    )
    by_name = {item.name: item for item in class_list}
    bounds = [(function.span.start_byte, function.span.end_byte, function)
              for function in function_list]
    for function, container in zip(function_list, _innermost(bounds, units), strict=True):
        words = modifiers.get(function.node.id, [])
        if isinstance(container, Class):
            function.owner = container
            function.is_method = True
            container.methods.append(function)
        elif function.node.id in receivers:
            owner = by_name.get(receivers[function.node.id].lstrip("*"))
            if owner is not None:
                function.owner = owner
                function.is_method = True
                owner.methods.append(function)
        function.is_static = "static" in words or "staticmethod" in words or (
            "classmethod" in words
        )
        function.is_constructor = function.is_method and (
            function.name in spec.constructor_names
            or function.node.type == "constructor_declaration"
        )
        function.visibility = _visibility(function.name, words, spec)
    for declared in class_list:
        declared.decorators = modifiers.get(declared.node.id, [])

    _attach(module, spec, located, units, modifiers)
    _nesting(function_list, controls, chains)


def _attach(module: Module, spec: LanguageSpec, located: list[_Located],
            units: list[Class | Function], modifiers: dict[int, list[str]]) -> None:
    """Attach every located capture to its innermost function and its innermost class."""
    located.sort(key=itemgetter(0))
    # One sweep over the nested units (sorted by start, then outermost first) for both owners;
    # plain integers instead of attribute chains: this runs over every capture of a file.
    starts = [unit.span.start_byte for unit in units]
    ends = [unit.span.end_byte for unit in units]
    as_function = [unit if isinstance(unit, Function) else None for unit in units]
    as_class = [unit if isinstance(unit, Class) else None for unit in units]
    for (_start, end, kind, payload), stack in _open_containers(starts, ends, located):
        function: Function | None = None
        klass: Class | None = None
        for position in reversed(stack):
            if ends[position] >= end:
                if function is None:
                    function = as_function[position]
                if klass is None:
                    klass = as_class[position]
                if function is not None and klass is not None:
                    break
        if kind == "call":
            (function.calls if function is not None else module.calls).append(payload)
        elif kind == "assign":
            _attach_assignment(module, spec, payload, function, klass)
        elif kind == "param":
            if function is not None:
                function.params.append(payload)
        elif kind == "return":
            if function is not None:
                function.returns.append(payload)
        elif kind == "field":
            if klass is not None and (function is None or function.owner is not klass
                                      and function.span.start_byte < klass.span.start_byte):
                field, node_id = payload
                words = modifiers.get(node_id, [])
                if spec.name in ("java", "typescript", "tsx", "javascript"):
                    field.static = "static" in words
                if spec.name == "go":
                    field.static = False
                klass.fields.append(field)
        elif kind == "handler":
            (function.handlers if function is not None else module.handlers).append(payload)


def _attach_assignment(
    module: Module, spec: LanguageSpec, assignment: Assignment, function: Function | None,
    klass: Class | None,
) -> None:
    if function is None:
        module.assignments.append(assignment)  # module or class level: outside any function
        return
    function.assignments.append(assignment)
    owner = function.owner
    if owner is None:
        return
    receiver, _, name = assignment.target.partition(".")
    if name and "." not in name and receiver in spec.self_names + ("cls",):
        static = receiver == "cls"
        if owner.field_named(name) is None:
            owner.fields.append(
                Field(name=name, span=assignment.span, static=static,
                      value_kind=assignment.value_kind)
            )


def _visibility(name: str, words: list[str], spec: LanguageSpec) -> str:
    for word in ("private", "protected", "public"):
        if word in words:
            return word
    if spec.visibility_by_case:
        return "public" if name[:1].isupper() else "private"
    if name.startswith("#") or (name.startswith("_") and not name.endswith("__")):
        return "private"
    return "public"


def _nesting(
    functions: list[Function], controls: dict[int, tuple[Span, bool]], chains: set[int]
) -> None:
    """Compute each function's deepest control nesting; else-if chains do not nest."""
    items = sorted(
        ((span.start_byte, span.end_byte, (span, node_id in chains))
         for node_id, (span, _) in controls.items()),
        key=lambda item: (item[0], -item[1]),
    )
    owners = _innermost(items, functions)
    per_function: dict[int, list[tuple[Span, bool]]] = {}
    for (_start, _end, item), owner in zip(items, owners, strict=True):
        if owner is not None:
            per_function.setdefault(id(owner), []).append(item)
    for function in functions:
        stack: list[int] = []
        for span, chained in per_function.get(id(function), ()):
            while stack and stack[-1] <= span.start_byte:
                stack.pop()
            function.control_count += 1
            if chained:  # an else-if continues its chain without nesting deeper
                continue
            stack.append(span.end_byte)
            if len(stack) > function.max_nesting:
                function.max_nesting = len(stack)
                function.deepest = span
