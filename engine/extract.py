"""Build the language-neutral code model from the matches of one extraction query.

The per-language `queries/<lang>.scm` files name what they find with a shared set of captures
(see `queries/README.md`); this module turns those captures into `model.Module` without ever
looking at a language-specific node kind, except through the neutral-kind table below.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from . import fingerprint
from .languages import LanguageSpec
from .model import (
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


def _text(source: bytes, node: Any) -> str:
    """`node_text` read from the file's bytes: slicing them costs a third of `node.text`.

    Long nodes are cut before decoding; 1,000 bytes hold more than `_MAX_NAME` characters.
    Without the bytes (a model built from matches alone), the node's own text is read.
    """
    if not source:
        return node_text(node)
    start = node.start_byte
    text = source[start:min(node.end_byte, start + 1000)].decode("utf-8", "replace")
    if len(text) > _MAX_NAME:
        text = text[:_MAX_NAME]
    return _WHITESPACE.sub("", text) if "\n" in text else text


def _innermost(items: list, containers: list) -> list:
    """For items sorted by start byte, return the innermost container of each (or None).

    Containers must be sorted by (start, -end). Both expose `.span`.
    """
    # Runs over every capture of a file: plain integers instead of attribute chains.
    starts = [container.span.start_byte for container in containers]
    ends = [container.span.end_byte for container in containers]
    count = len(containers)
    result = []
    stack: list[int] = []  # positions in `containers`
    index = 0
    for item in items:
        span = item.span
        start = span.start_byte
        while index < count and starts[index] <= start:
            opening = starts[index]
            while stack and ends[stack[-1]] <= opening:
                stack.pop()
            stack.append(index)
            index += 1
        while stack and ends[stack[-1]] <= start:
            stack.pop()
        # A container never contains itself.
        end = span.end_byte
        found = None
        for position in reversed(stack):
            container = containers[position]
            if container is not item and ends[position] >= end:
                found = container
                break
        result.append(found)
    return result


class _Located:
    """A capture waiting to be attached to its innermost function or class."""

    __slots__ = ("span", "kind", "payload")

    def __init__(self, span: Span, kind: str, payload: Any):
        self.span = span
        self.kind = kind
        self.payload = payload


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
    controls: dict[int, tuple[Span, bool]] = {}
    chains: set[int] = set()

    kinds = _PATTERN_KINDS.setdefault(spec.name, {})
    for index, captures in matches:
        kind = kinds.get(index)
        if kind is None:
            kind = kinds[index] = next((name for name in _PRIMARY if name in captures), "")
        if kind == "call":
            node = captures["call"][0]
            callees = captures.get("call.callee", [node])
            args = captures.get("call.args", [None])[0]
            call = Call(
                callee=_text(source, callees[0]) if len(callees) == 1 else _joined_text(callees),
                span=Span.of(node), node=node,
                arguments=args,
            )
            located.append(_Located(call.span, "call", call))
        elif kind == "class":
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
                    name=_text(source, name_node), span=Span.of(node), name_span=Span.of(name_node),
                    kind=kind, node=node,
                )
                classes[node.id] = item
            for base in captures.get("class.base", ()):
                text = _text(source, base)
                if text not in item.bases:
                    item.bases.append(text)
        elif kind == "function":
            node = captures["function"][0]
            if node.id in functions:
                continue
            name_node = captures.get("function.name", [None])[0]
            functions[node.id] = Function(
                name=_text(source, name_node) if name_node is not None else "<lambda>",
                span=Span.of(node),
                name_span=Span.of(name_node if name_node is not None else node),
                node=node,
            )
            if "function.receiver" in captures:
                receivers[node.id] = _text(source, captures["function.receiver"][0])
            if "function.static" in captures:
                modifiers.setdefault(node.id, []).append("static")
        elif kind == "param":
            node = captures["param"][0]
            name_node = captures.get("param.name", [node])[0]
            default = captures.get("param.default", [None])[0]
            param = Param(
                name=_text(source, name_node), span=Span.of(node), node=node,
                default=Span.of(default) if default is not None else None,
                default_kind=value_kind(default) if default is not None else None,
            )
            located.append(_Located(param.span, "param", param))
        elif kind == "new":
            node = captures["new"][0]
            type_node = captures.get("new.type", [node])[0]
            args = captures.get("new.args", [None])[0]
            call = Call(
                callee=_text(source, type_node), span=Span.of(node), node=node, is_new=True,
                arguments=args,
            )
            located.append(_Located(call.span, "call", call))
        elif kind == "assign":
            node = captures["assign"][0]
            value = captures["assign.value"][0]
            assignment = Assignment(
                target=_text(source, captures["assign.target"][0]), span=Span.of(node),
                value_kind=value_kind(value), value_text=_text(source, value), value=value,
            )
            located.append(_Located(assignment.span, "assign", assignment))
        elif kind == "field":
            node = captures["field"][0]
            value = captures.get("field.value", [None])[0]
            for name_node in captures.get("field.name", ()):
                field = Field(
                    name=_text(source, name_node), span=Span.of(node), static=True,
                    value_kind=value_kind(value) if value is not None else None,
                )
                located.append(_Located(field.span, "field", (field, node.id)))
        elif kind == "control":
            node = captures["control"][0]
            controls[node.id] = (Span.of(node), False)
        elif kind == "control.chain":
            chains.add(captures["control.chain"][0].id)
        elif kind == "return":
            node = captures["return"][0]
            value = captures.get("return.value", [None])[0]
            ret = Return(
                span=Span.of(node),
                kind=value_kind(value) if value is not None else None,
                text=_text(source, value) if value is not None else "",
            )
            located.append(_Located(ret.span, "return", ret))
        elif kind == "handler":
            node = captures["handler"][0]
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
                for part in _split_types(_text(source, type_node))
            ]
            handler = Handler(
                span=Span.of(node), types=types, body_statements=len(statements),
                body_is_silent=silent, node=node,
            )
            located.append(_Located(handler.span, "handler", handler))
        elif kind == "import":
            node = captures["import"][0]
            for module_node in captures.get("import.module", [node]):
                module.imports.append(Import(module=_text(source, module_node).strip("\"'`"),
                                             span=Span.of(node)))
        elif kind == "modifier":
            target = captures["modifier.of"][0]
            words = modifiers.setdefault(target.id, [])
            for modifier in captures["modifier"]:
                words.extend(_MODIFIER_WORDS.findall(modifier.text.decode("utf-8", "replace")))

    _assemble(module, spec, classes, functions, modifiers, receivers, located, controls, chains)
    fingerprint.fingerprint_module(module, spec, source, fingerprints)
    return module


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
    for function, container in zip(function_list, _innermost(function_list, units), strict=True):
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

    located.sort(key=lambda item: item.span.start_byte)
    owners = _innermost(located, function_list)
    class_owners = _innermost(located, class_list)
    for item, function, klass in zip(located, owners, class_owners, strict=True):
        kind = item.kind
        if kind == "param":
            if function is not None:
                function.params.append(item.payload)
        elif kind == "call":
            (function.calls if function is not None else module.calls).append(item.payload)
        elif kind == "assign":
            _attach_assignment(module, spec, item.payload, function, klass)
        elif kind == "field":
            if klass is not None and (function is None or function.owner is not klass
                                      and function.span.start_byte < klass.span.start_byte):
                field, node_id = item.payload
                words = modifiers.get(node_id, [])
                if spec.name in ("java", "typescript", "tsx", "javascript"):
                    field.static = "static" in words
                if spec.name == "go":
                    field.static = False
                klass.fields.append(field)
        elif kind == "return":
            if function is not None:
                function.returns.append(item.payload)
        elif kind == "handler":
            (function.handlers if function is not None else module.handlers).append(item.payload)

    _nesting(function_list, controls, chains)


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
        (_Located(span, "control", node_id in chains) for node_id, (span, _) in controls.items()),
        key=lambda item: (item.span.start_byte, -item.span.end_byte),
    )
    owners = _innermost(items, functions)
    per_function: dict[int, list[_Located]] = {}
    for item, owner in zip(items, owners, strict=True):
        if owner is not None:
            per_function.setdefault(id(owner), []).append(item)
    for function in functions:
        stack: list[int] = []
        for item in per_function.get(id(function), ()):
            while stack and stack[-1] <= item.span.start_byte:
                stack.pop()
            function.control_count += 1
            if item.payload:  # an else-if continues its chain without nesting deeper
                continue
            stack.append(item.span.end_byte)
            if len(stack) > function.max_nesting:
                function.max_nesting = len(stack)
                function.deepest = item.span
