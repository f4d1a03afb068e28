"""Variants of annotated files that the detectors were not written against.

Every transform works on the tree-sitter tree and keeps each marker above the line it points at:

* rename   -- user-defined names (definitions, parameters, locals, fields, methods) get other
  names, consistently in the file; keywords, builtins, imported names, keyword-argument and
  object keys, methods inherited from a library base and library methods called on foreign
  receivers (`cursor.execute`, `this.map.get`) keep theirs. Two styles: `neutral` (`qz12`,
  whatever the old name meant) and `keep_words` (`password` -> `password_v2`), for elements
  whose meaning lives in names (hardcoded-secret, insecure-random, setters of flag-argument).
* reorder  -- the definitions of each top-level class, then the top-level definitions, in
  reverse order, each moved with the comment lines (markers) directly above it.
* reformat -- one space between all tokens of a line, other indentation widths, and a blank
  line and a comment before every top-level statement and class member.
* split    -- every top-level definition in its own file (with the file's imports), the rest in
  one more file.

A variant that does not parse as cleanly as its original, or whose markers no longer point at
the same code, is dropped (and counted).
"""

from __future__ import annotations

import builtins
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import tree_sitter as ts

from cpt.engine.fixtures import parse_markers
from cpt.engine.languages import LanguageSpec, ts_language

_PARSERS: dict[str, ts.Parser] = {}


def parse(spec: LanguageSpec, source: bytes) -> ts.Tree:
    """Parse with one cached parser per grammar."""
    parser = _PARSERS.get(spec.name)
    if parser is None:
        parser = _PARSERS[spec.name] = ts.Parser(ts_language(spec.name))
    return parser.parse(source)


def error_count(tree: ts.Tree) -> int:
    """Count ERROR and MISSING nodes."""
    if not tree.root_node.has_error:
        return 0
    count = 0
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            count += 1
        if node.has_error:
            stack.extend(node.children)
    return count


def marker_signature(texts: list[str]) -> Counter:
    """What the markers of some files say, and about which code (layout ignored)."""
    signature: Counter = Counter()
    for text in texts:
        lines = text.splitlines()
        for marker in parse_markers(text):
            target = re.sub(r"\s+", "", lines[marker.line - 1]) if marker.line <= len(lines) else ""
            signature[(marker.kind, marker.element, target)] += 1
    return signature


VARIANT_KINDS = ("rename", "reorder", "reformat", "split")


@dataclass
class Variant:
    """One transformed copy of a file (several files for `split`)."""

    kind: str
    files: list[tuple[str, bytes]]  # (virtual path, source)


# --- tree helpers ---------------------------------------------------------------------------

IDENT_TYPES = frozenset({"identifier", "property_identifier", "field_identifier",
                         "type_identifier"})
# `{ rows } = result` and `{ name }` are keys as much as names: never renamed.
_SHORTHAND_TYPES = frozenset({"shorthand_property_identifier",
                              "shorthand_property_identifier_pattern"})
# Declarations of members: their names may be renamed after a `.` too.
_MEMBER_DECLARATIONS = frozenset({
    "method_definition", "field_definition", "public_field_definition", "property_signature",
    "method_signature", "abstract_method_signature", "method_declaration", "field_declaration",
    "method_elem", "method_spec", "enum_constant",
})
# Nodes whose text is one token for layout purposes (never respaced inside).
ATOMIC_TYPES = frozenset({
    "string", "template_string", "regex", "comment", "line_comment", "block_comment",
    "string_literal", "character_literal", "text_block", "interpreted_string_literal",
    "raw_string_literal", "rune_literal", "template_literal_type", "number", "integer", "float",
})
_MARKER = re.compile(r"(?:#|//|/\*|--)\s*(?:expect|ok|todo):")


def walk(node: ts.Node) -> Iterator[ts.Node]:
    """Every node below `node`, in document order, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def leaves(node: ts.Node) -> list[ts.Node]:
    """Tokens of the tree (strings and comments as one token), in document order."""
    out = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ATOMIC_TYPES or current.child_count == 0:
            if current.end_byte > current.start_byte:
                out.append(current)
            continue
        stack.extend(reversed(current.children))
    return out


def _is_comment(node: ts.Node) -> bool:
    return "comment" in node.type


# --- rename ---------------------------------------------------------------------------------

# (node type, field) pairs that introduce a name.
_DECLARING_FIELDS = {
    "function_definition": ("name",), "class_definition": ("name",),
    "default_parameter": ("name",), "typed_default_parameter": ("name",),
    "assignment": ("left",), "augmented_assignment": ("left",), "for_statement": ("left",),
    "for_in_clause": ("left",), "named_expression": ("name",), "as_pattern": ("alias",),
    "function_declaration": ("name",), "generator_function_declaration": ("name",),
    "class_declaration": ("name",), "abstract_class_declaration": ("name",),
    "method_definition": ("name",), "field_definition": ("property",),
    "public_field_definition": ("name",), "variable_declarator": ("name",),
    "required_parameter": ("pattern",), "optional_parameter": ("pattern",),
    "assignment_pattern": ("left",), "arrow_function": ("parameter",),
    "interface_declaration": ("name",), "type_alias_declaration": ("name",),
    "enum_declaration": ("name",), "property_signature": ("name",),
    "method_signature": ("name",), "abstract_method_signature": ("name",),
    "assignment_expression": ("left",), "catch_clause": ("parameter",),
    "for_in_statement": ("left",), "record_declaration": ("name",),
    "method_declaration": ("name",), "constructor_declaration": ("name",),
    "formal_parameter": ("name",), "catch_formal_parameter": ("name",),
    "enhanced_for_statement": ("name",), "enum_constant": ("name",),
    "type_spec": ("name",), "field_declaration": ("name",), "parameter_declaration": ("name",),
    "variadic_parameter_declaration": ("name",), "var_spec": ("name",),
    "const_spec": ("name",), "short_var_declaration": ("left",), "range_clause": ("left",),
    "method_elem": ("name",), "method_spec": ("name",),
}
_PATTERN_TYPES = frozenset({
    "pattern_list", "tuple_pattern", "list_pattern", "expression_list", "object_pattern",
    "array_pattern", "list_splat_pattern", "dictionary_splat_pattern", "rest_pattern",
    "tuple", "parenthesized_expression", "typed_parameter", "inferred_parameters",
})
_PARAMETER_LISTS = frozenset({"parameters", "lambda_parameters", "formal_parameters"})
_ATTRIBUTE_FIELDS = {  # node type -> (receiver field, name field)
    "attribute": ("object", "attribute"), "member_expression": ("object", "property"),
    "method_invocation": ("object", "name"), "field_access": ("object", "field"),
    "selector_expression": ("operand", "field"), "qualified_type": ("package", "name"),
}
_KEY_PARENTS = {"keyword_argument": "name", "pair": "key", "element_value_pair": "key"}
_CLASS_TYPES = frozenset({"class_definition", "class_declaration", "abstract_class_declaration",
                          "record_declaration", "enum_declaration"})
_HARMLESS_BASES = frozenset({
    "object", "ABC", "ABCMeta", "Protocol", "Generic", "Exception", "BaseException",
    "ValueError", "RuntimeError", "Error", "Enum", "IntEnum", "NamedTuple", "TypedDict",
    "Serializable", "Object",
})
_SELF = frozenset({"self", "this", "cls"})
JS_GLOBALS = frozenset(
    "console window document Math JSON Object Array Promise process Buffer crypto Reflect "
    "Symbol Number String Boolean Date RegExp Error Map Set WeakMap WeakSet navigator location "
    "localStorage sessionStorage globalThis fetch setTimeout setInterval clearTimeout "
    "clearInterval parseInt parseFloat isNaN Function eval require module exports Record "
    "Partial Readonly Pick Omit Promise Iterable Iterator AsyncIterable Awaited Uint8Array "
    "TextEncoder TextDecoder URL URLSearchParams Intl".split())
JAVA_GLOBALS = frozenset(
    "System Math Runtime Thread Object String Integer Long Double Float Boolean Character Byte "
    "Short StringBuilder Exception RuntimeException Throwable Error Override Deprecated "
    "FunctionalInterface SuppressWarnings Iterable Comparable Runnable Cloneable Class Void "
    "Enum Record Number IllegalArgumentException IllegalStateException".split())
GO_GLOBALS = frozenset(
    "int int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 uintptr float32 float64 "
    "complex64 complex128 string bool byte rune error any comparable len cap make new append "
    "panic recover copy delete close print println nil iota true false main init".split())
ALWAYS_KEPT = frozenset({"self", "cls", "this", "super", "constructor", "prototype",
                         "arguments", "exports", "module", "require", "main", "_", "toString",
                         "valueOf", "then", "length", "init", "args", "kwargs"})
# Library methods and fields: kept when the file also calls them on an object it does not own.
LIBRARY_NAMES = frozenset(
    "get set has delete add push pop shift unshift map filter reduce forEach append remove "
    "extend insert update keys values items clear copy put size close open read write send emit "
    "on off once then catch finally join split format replace lock unlock acquire release start "
    "run wait notify notifyAll submit execute executemany executescript query exec call apply "
    "bind equals hashCode compareTo clone iterator next hasNext accept test sort contains "
    "containsKey getOrDefault computeIfAbsent putIfAbsent stream collect offer poll take peek "
    "Lock Unlock RLock RUnlock Add Done Wait Close Read Write Error String Get Put Set Load Store "
    "Delete Do Scan Query QueryRow Exec Len Less Swap Next Value Err Send Recv Handle ServeHTTP "
    "raw prepare prepareStatement executeQuery executeUpdate system popen check_output "
    "check_call loads load dumps dump readFile writeFile sendFile download render innerHTML "
    "outerHTML insertAdjacentHTML md5 sha1 createHash digest hexdigest update random choice "
    "nextInt nextLong ints randint getInstance handle dispatch listen connect fetch request "
    "response json text status headers body params data path url message name id value "
    "type key count total items result error handler callback listener event target "
    "getName getId getValue setName setValue length size isEmpty resolve reject encode decode "
    "hex strip lower upper startswith endswith".split())


def language_globals(spec: LanguageSpec) -> frozenset[str]:
    """Names the language (or its runtime) defines: never renamed, never a receiver of ours."""
    if spec.name == "python":
        return frozenset(dir(builtins))
    if spec.name == "java":
        return JAVA_GLOBALS
    if spec.name == "go":
        return GO_GLOBALS
    return JS_GLOBALS


_STRING_TEXT = frozenset({"string_content", "string_fragment",
                          "interpreted_string_literal_content"})
_WORD = re.compile(r"[A-Za-z_$][\w$]*")


class _Names:
    """What one file declares and uses, for a safe consistent renaming."""

    def __init__(self, spec: LanguageSpec, tree: ts.Tree):
        self.spec = spec
        self.declared: set[str] = set()
        self.imported: set[str] = set()
        self.keys: set[str] = set()
        self.foreign: set[str] = set()  # names used as attributes of objects not ours
        self.protected: set[str] = set()  # methods of classes with a library base
        self.members: set[str] = set()
        root = tree.root_node
        classes = []
        for node in walk(root):
            kind = node.type
            if "import" in kind or kind in ("package_declaration", "package_clause"):
                self._imports(node)
                continue
            fields = _DECLARING_FIELDS.get(kind)
            if fields:
                member = kind in _MEMBER_DECLARATIONS or _in_class_body(node) or any(
                    child.type in ("accessibility_modifier", "readonly")
                    for child in node.children)  # TypeScript parameter properties
                for field in fields:
                    for child in node.children_by_field_name(field):
                        self._collect(child, member)
            if kind in _PARAMETER_LISTS:
                for child in node.named_children:
                    self._parameter(child)
            if kind == "variable_declarator" and b"require(" in (node.text or b""):
                for child in node.children_by_field_name("name"):
                    for leaf in walk(child):
                        if leaf.type in IDENT_TYPES:
                            self.imported.add(_text(leaf))
            if kind in _SHORTHAND_TYPES:
                self.keys.add(_text(node))
            if kind in _STRING_TEXT and _WORD.fullmatch(_text(node)):
                self.keys.add(_text(node))  # `hasattr(self, "_rows")` names an attribute
            if kind in _KEY_PARENTS:
                key = node.child_by_field_name(_KEY_PARENTS[kind])
                if key is not None and key.type in IDENT_TYPES:
                    self.keys.add(_text(key))
            if kind == "keyed_element" and node.named_child_count == 2:
                first = node.named_children[0]
                for leaf in walk(first):
                    if leaf.type in IDENT_TYPES:
                        self.keys.add(_text(leaf))
            pair = _ATTRIBUTE_FIELDS.get(kind)
            if pair:
                receiver = node.child_by_field_name(pair[0])
                name = node.child_by_field_name(pair[1])
                if name is not None and receiver is not None and _text(receiver) not in _SELF:
                    self.foreign.add(_text(name))
            if kind in _CLASS_TYPES:
                classes.append(node)
        declared_types = {_text(name) for node in walk(root)
                          if node.type in _CLASS_TYPES | {"interface_declaration", "type_spec"}
                          for name in node.children_by_field_name("name")}
        for node in classes:
            methods = {_text(name) for member in _class_members(node)
                       for name in member.children_by_field_name("name")
                       if member.type in ("function_definition", "method_definition",
                                          "method_declaration")}
            bases = _base_names(node)
            if any(base not in declared_types and base not in _HARMLESS_BASES for base in bases):
                self.protected |= methods

    def _imports(self, node: ts.Node) -> None:
        for leaf in walk(node):
            if leaf.type in IDENT_TYPES or leaf.type in ("package_identifier", "dotted_name"):
                self.imported.add(_text(leaf))
            if leaf.type == "interpreted_string_literal" and self.spec.name == "go":
                self.imported.add(_text(leaf).strip('"').rsplit("/", 1)[-1])

    def _collect(self, node: ts.Node, member: bool = False) -> None:
        if node.type in IDENT_TYPES:
            self.declared.add(_text(node))
            if member:
                self.members.add(_text(node))
        elif node.type in _PATTERN_TYPES:
            for child in node.named_children:
                self._collect(child, member)
        elif node.type == "pair_pattern":
            for child in node.children_by_field_name("value"):
                self._collect(child)
        elif node.type in ("assignment_pattern", "object_assignment_pattern"):
            for child in node.children_by_field_name("left"):
                self._collect(child)
        elif node.type in _ATTRIBUTE_FIELDS:
            receiver_field, name_field = _ATTRIBUTE_FIELDS[node.type]
            receiver = node.child_by_field_name(receiver_field)
            name = node.child_by_field_name(name_field)
            if receiver is not None and name is not None and _text(receiver) in _SELF:
                self.declared.add(_text(name))
                self.members.add(_text(name))

    def _parameter(self, node: ts.Node) -> None:
        if node.type in IDENT_TYPES:
            self.declared.add(_text(node))
        elif node.type == "typed_parameter" and node.named_child_count:
            self._collect(node.named_children[0])
        elif node.type in ("list_splat_pattern", "dictionary_splat_pattern", "rest_pattern"):
            self._collect(node)

    def renaming(self, style: str) -> dict[str, str]:
        """Map each renamable name to its new name."""
        kept = set(ALWAYS_KEPT) | set(self.spec.keywords) | self.imported | self.keys
        kept |= language_globals(self.spec)
        kept |= self.protected
        kept |= LIBRARY_NAMES & self.foreign
        names = sorted(name for name in self.declared - kept
                       if not (name.startswith("__") and name.endswith("__")))
        return {name: _new_name(name, number, style) for number, name in enumerate(names, 1)}


def _text(node: ts.Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


def _in_class_body(node: ts.Node) -> bool:
    """A definition directly in a class body (a method, a class attribute, a Java field)."""
    parent = node.parent
    while parent is not None and parent.type in ("decorated_definition", "expression_statement",
                                                 "field_declaration", "variable_declarator"):
        parent = parent.parent
    if parent is None:
        return False
    if parent.type == "block":
        return parent.parent is not None and parent.parent.type == "class_definition"
    return parent.type in ("class_body", "interface_body", "enum_body_declarations")


def _class_members(node: ts.Node) -> list[ts.Node]:
    body = node.child_by_field_name("body")
    if body is None:
        return []
    members = []
    for child in body.named_children:
        if child.type == "decorated_definition":
            child = child.child_by_field_name("definition") or child
        members.append(child)
    return members


def _base_names(node: ts.Node) -> list[str]:
    names: list[str] = []
    for field in ("superclasses", "superclass", "interfaces"):
        for child in node.children_by_field_name(field):
            names.extend(_text(leaf) for leaf in walk(child)
                         if leaf.type in IDENT_TYPES and leaf.parent is not None
                         and leaf.parent.type not in ("keyword_argument", "type_arguments"))
    for child in node.children:
        if child.type == "class_heritage":
            names.extend(_text(leaf) for leaf in walk(child) if leaf.type in IDENT_TYPES)
    return names


def _new_name(name: str, number: int, style: str) -> str:
    core = name.lstrip("_")
    lead = name[: len(name) - len(core)]
    if style == "keep_words":
        if core.isupper() and len(core) > 1:
            return f"{name}_V{number}"
        if "_" in core or core.islower():
            return f"{name}_v{number}"
        return f"{name}V{number}"
    if core.isupper() and len(core) > 1:
        return f"{lead}QZ_{number}"
    if core[:1].isupper():
        return f"{lead}Qz{number}"
    return f"{lead}qz{number}"


def rename(spec: LanguageSpec, source: bytes, tree: ts.Tree,
           style: str = "neutral") -> tuple[bytes, dict[str, str]]:
    """Rename the file's own names consistently; return the new source and the renaming."""
    names = _Names(spec, tree)
    mapping = names.renaming(style)
    edits = []
    untouchable_receivers = names.imported | language_globals(spec)
    for node in walk(tree.root_node):
        if node.type not in IDENT_TYPES:
            continue
        text = _text(node)
        new = mapping.get(text)
        if new is None:
            continue
        parent = node.parent
        pair = _ATTRIBUTE_FIELDS.get(parent.type) if parent is not None else None
        if pair and parent is not None:
            receiver = parent.child_by_field_name(pair[0])
            if receiver is not None and receiver.id != node.id:
                root_name = _text(receiver).split(".", 1)[0]
                if root_name in untouchable_receivers or text not in names.members:
                    continue
        edits.append((node.start_byte, node.end_byte, new.encode()))
    out = bytearray(source)
    for start, end, replacement in sorted(edits, reverse=True):
        out[start:end] = replacement
    return bytes(out), mapping


# --- reorder --------------------------------------------------------------------------------

_TOP_BLOCKS = frozenset({
    "function_definition", "class_definition", "decorated_definition",
    "function_declaration", "generator_function_declaration", "class_declaration",
    "abstract_class_declaration", "interface_declaration", "type_alias_declaration",
    "enum_declaration", "export_statement", "record_declaration", "method_declaration",
    "type_declaration",
})
_MEMBER_BLOCKS = frozenset({
    "function_definition", "decorated_definition", "method_definition",
    "abstract_method_signature", "method_signature", "method_declaration",
    "constructor_declaration", "class_declaration", "interface_declaration",
})
_COMMENT_STARTS = (b"#", b"//", b"/*", b"*")


def _block_ranges(spec: LanguageSpec, lines: list[bytes], nodes: list[ts.Node],
                  floor: int) -> list[tuple[int, int]] | None:
    """Whole-line ranges of nodes, each with the comment lines directly above it."""
    ranges: list[tuple[int, int]] = []
    previous_end = floor
    for node in nodes:
        start, end = node.start_point.row, node.end_point.row
        if lines[start][: node.start_point.column].strip():
            return None
        rest = lines[end][node.end_point.column:].strip()
        if rest not in (b"", b";", b","):
            return None
        if start <= previous_end:
            return None
        comment_prefixes = (b"#",) if spec.name == "python" else _COMMENT_STARTS
        while start - 1 > previous_end and lines[start - 1].strip().startswith(comment_prefixes):
            start -= 1
        ranges.append((start, end))
        previous_end = end
    return ranges


def _permute(lines: list[bytes], ranges: list[tuple[int, int]]) -> list[bytes]:
    """Reverse the order of line ranges, keeping what lies between them in place."""
    blocks = [lines[start:end + 1] for start, end in ranges]
    out = list(lines[: ranges[0][0]])
    for index, (_start, end) in enumerate(ranges):
        out.extend(blocks[len(blocks) - 1 - index])
        if index + 1 < len(ranges):
            out.extend(lines[end + 1: ranges[index + 1][0]])
    out.extend(lines[ranges[-1][1] + 1:])
    return out


def _top_blocks(spec: LanguageSpec, tree: ts.Tree) -> list[ts.Node]:
    blocks = []
    for child in tree.root_node.named_children:
        if child.type not in _TOP_BLOCKS:
            continue
        if child.type == "export_statement" and child.child_by_field_name("declaration") is None:
            continue
        blocks.append(child)
    return blocks


def reorder(spec: LanguageSpec, source: bytes, tree: ts.Tree) -> bytes:
    """Reverse the members of each top-level class, then the top-level definitions."""
    lines = source.split(b"\n")
    for node in _top_blocks(spec, tree):
        klass = _class_of(node)
        if klass.type not in _CLASS_TYPES | {"interface_declaration"}:
            continue
        body = klass.child_by_field_name("body")
        if body is None:
            continue
        members = [child for child in body.named_children if child.type in _MEMBER_BLOCKS]
        if len(members) < 2:
            continue
        floor = klass.start_point.row if spec.name == "python" else body.start_point.row
        ranges = _block_ranges(spec, lines, members, floor)
        if ranges and ranges[-1][1] < body.end_point.row + (1 if spec.name == "python" else 0):
            lines = _permute(lines, ranges)
    source = b"\n".join(lines)
    tree = parse(spec, source)
    blocks = _top_blocks(spec, tree)
    if len(blocks) >= 2:
        ranges = _block_ranges(spec, lines, blocks, -1)
        if ranges:
            lines = _permute(lines, ranges)
    return b"\n".join(lines)


# --- reformat -------------------------------------------------------------------------------

_GLUE_AFTER = frozenset({"@", ".", "?.", "::", "#"})
_GLUE_BEFORE = frozenset({".", "?.", "::"})
_INSERT_PARENTS = frozenset({"module", "program", "source_file", "class_body",
                             "interface_body", "enum_body_declarations"})


def _reindent(spec: LanguageSpec, indent: bytes) -> bytes:
    width = sum(4 if char == 9 else 1 for char in indent if char in (9, 32))
    if spec.name == "python":
        return b" " * (2 * width)  # doubling keeps every block level distinct
    if spec.name == "go":
        return b" " * (3 * (width // 4) + width % 4)
    return b"\t" * (width // 4) + b" " * (width % 4)


def _insertion_points(spec: LanguageSpec, tree: ts.Tree) -> set[int]:
    points = set()
    for node in walk(tree.root_node):
        parent = node.parent
        if parent is None or not node.is_named or _is_comment(node):
            continue
        in_class = parent.type == "block" and parent.parent is not None and \
            parent.parent.type == "class_definition"
        if parent.type in _INSERT_PARENTS or in_class:
            points.add(node.start_byte)
    return points


_PAIRS = {b"(": b")", b"[": b"]", b"{": b"}"}
_PREFIX_PARENTS = frozenset({"unary_expression", "pointer_type", "unary_operator",
                             "update_expression"})


def _glued(previous: ts.Node, token: ts.Node, gap: bytes) -> bool:
    """Tokens kept together: member access, decorators, `()`, `[]`, unary operators."""
    if previous.type in _GLUE_AFTER or token.type in _GLUE_BEFORE:
        return True
    if gap:
        return False
    if _PAIRS.get(previous.text or b"") == token.text:
        return True
    if token.type in ("++", "--"):
        return True
    parent = previous.parent
    return parent is not None and parent.type in _PREFIX_PARENTS and \
        parent.children[0].id == previous.id and not previous.is_named


def reformat(spec: LanguageSpec, source: bytes, tree: ts.Tree) -> bytes:
    """Respace every line token by token, re-indent, and add comment lines between members."""
    tokens = leaves(tree.root_node)
    if not tokens:
        return source
    points = _insertion_points(spec, tree)
    note = spec.comment("(reformatted)").encode()
    out = [source[: tokens[0].start_byte], tokens[0].text or b""]
    previous = tokens[0]
    for token in tokens[1:]:
        gap = source[previous.end_byte:token.start_byte]
        if b"\n" in gap:
            head, _, indent = gap.rpartition(b"\n")
            new_indent = _reindent(spec, indent)
            after_marker = _is_comment(previous) and _MARKER.search(_text(previous))
            if token.start_byte in points and not after_marker:
                out.append(head + b"\n\n" + new_indent + note + b"\n" + new_indent)
            else:
                out.append(head + b"\n" + new_indent)
        elif _glued(previous, token, gap):
            out.append(b"")
        else:
            out.append(b" ")
        out.append(token.text or b"")
        previous = token
    out.append(source[previous.end_byte:])
    return b"".join(out)


# --- split ----------------------------------------------------------------------------------

_IMPORT_TYPES = frozenset({"import_statement", "import_from_statement", "future_import_statement",
                           "package_clause", "import_declaration", "package_declaration"})


def split(spec: LanguageSpec, source: bytes, tree: ts.Tree) -> list[bytes] | None:
    """Each top-level definition in its own file (with the imports), the rest in another."""
    lines = source.split(b"\n")
    blocks = _top_blocks(spec, tree)
    wrap = b""
    if len(blocks) == 1:
        # One class holding everything (Java's usual file): its methods go to classes of
        # their own, one per file.
        members = _member_blocks(_class_of(blocks[0]))
        if len(members) >= 2:
            blocks = members
            wrap = b"class SplitPart%d:" if spec.name == "python" else b"class SplitPart%d {"
    if len(blocks) < 2:
        return None
    ranges = _block_ranges(spec, lines, blocks, -1)
    if not ranges:
        return None
    imports = [source[node.start_byte:node.end_byte] for node in tree.root_node.named_children
               if node.type in _IMPORT_TYPES or (
                   node.type in ("lexical_declaration", "variable_declaration")
                   and b"require(" in (node.text or b""))]
    header = b"\n".join(imports) + b"\n\n" if imports else b""
    rest = list(lines)
    files = []
    for number, (start, end) in enumerate(ranges):
        body = b"\n".join(lines[start:end + 1])
        if wrap:
            closing = b"" if spec.name == "python" else b"\n}"
            body = wrap.replace(b"%d", str(number).encode()) + b"\n" + body + closing
        files.append(header + body + b"\n")
        rest[start:end + 1] = [b""] * (end - start + 1)
    return [b"\n".join(rest)] + files


def _class_of(node: ts.Node) -> ts.Node:
    if node.type in ("decorated_definition", "export_statement"):
        return (node.child_by_field_name("definition")
                or node.child_by_field_name("declaration") or node)
    return node


def _member_blocks(klass: ts.Node) -> list[ts.Node]:
    if klass.type not in _CLASS_TYPES:
        return []
    body = klass.child_by_field_name("body")
    if body is None:
        return []
    return [child for child in body.named_children if child.type in _MEMBER_BLOCKS]


# --- all variants of one file ---------------------------------------------------------------

def make_variants(path: str, spec: LanguageSpec, source: bytes, rename_style: str,
                  kinds: tuple[str, ...]) -> tuple[list[Variant], list[str]]:
    """Every requested variant of a file that parses and keeps its markers; and the dropped."""
    tree = parse(spec, source)
    errors = error_count(tree)
    text = source.decode("utf-8")
    signature = marker_signature([text])
    stem, dot, suffix = path.rpartition(".")
    variants: list[Variant] = []
    dropped: list[str] = []
    for kind in kinds:
        try:
            if kind == "rename":
                new, _ = rename(spec, source, tree, rename_style)
                outputs = [new]
            elif kind == "reorder":
                outputs = [reorder(spec, source, tree)]
            elif kind == "reformat":
                outputs = [reformat(spec, source, tree)]
            else:
                parts = split(spec, source, tree)
                if parts is None:
                    dropped.append(f"{path}: {kind}: fewer than two whole-line definitions")
                    continue
                outputs = parts
        except (IndexError, UnicodeDecodeError) as error:
            dropped.append(f"{path}: {kind}: {type(error).__name__}: {error}")
            continue
        if kind == "rename" and outputs[0] == source:
            dropped.append(f"{path}: {kind}: nothing to rename")
            continue
        new_errors = sum(error_count(parse(spec, output)) for output in outputs)
        if new_errors > errors:
            dropped.append(f"{path}: {kind}: {new_errors} parse errors (original {errors})")
            continue
        texts = [output.decode("utf-8") for output in outputs]
        if kind == "rename":
            same = [(m.kind, m.element, m.line) for m in parse_markers(texts[0])] == [
                (m.kind, m.element, m.line) for m in parse_markers(text)]
        else:
            same = marker_signature(texts) == signature
        if not same:
            dropped.append(f"{path}: {kind}: markers no longer point at the same code")
            continue
        if len(outputs) == 1:
            files = [(f"{kind}/{path}", outputs[0])]
        else:
            files = [(f"{kind}/{stem}/part{number}{dot}{suffix}", output)
                     for number, output in enumerate(outputs)]
        variants.append(Variant(kind, files))
    return variants, dropped
