"""Confirm that a comment which looks like code is code: group, drop prose, parse.

The query hands over comments that look like code at a glance. Neighbouring whole-line
comments form one block (tool directives and fixture markers split blocks); the first
look-alike of a block handles it. The block is reported when its text is not prose (no
sentence, URL or single word), parses in the file's own language without an error, and every
statement in it is a statement of code (a call, an assignment, an import, a definition, a
jump, a compound statement), not a bare name or a `label: text` line that prose can form.
"""

import re
import textwrap
import threading

import tree_sitter as ts

from cpt.engine.analysis import Hit
from cpt.engine.languages import ts_language
from cpt.engine.positions import Span

# Keep in step with the #match? pattern of queries/*.scm.
_LOOKS_LIKE_CODE = re.compile(
    r"^(#|//|/\*)\s*([A-Za-z_$@][A-Za-z0-9_$.]*\s*(\(|\[|=[^=]|\+=|-=|:=|\+\+|--)"
    r"|(import|from|return|def|class|if|for|while|elif|else|try|except|with|raise|throw"
    r"|var|let|const|function|func|defer|go|package|new|public|private|protected|static)\b)"
    r"|[;{}]\s*(\*/)?$")
# Comments meant for tools or people, never dead code.
_DIRECTIVE = re.compile(
    r"(?i)\b(expect|ok|todo|fixme|xxx|hack|note|nb|see|example|usage|output|deprecated)\b\s*:"
    r"|\b(todo|fixme|xxx)\b|cpt:|type:\s*(ignore|\()|noqa|pylint:|pyright:|mypy:|flake8"
    r"|isort:|fmt:|pragma|eslint|jshint|tslint|@ts-|prettier|istanbul|\bc8\b|webpack"
    r"|__pure__|nolint|nosec|nosonar|noinspection|checkstyle|\bgo:\w|\+build|@license|@flow"
    r"|@jsx|spdx|copyright|-\*-|^\s*global\s|^\s*export\s+[A-Z]\w*\s*$")
# Every _DIRECTIVE match holds `:` or `@` or one of these (lower-cased, in ASCII text): most
# comments hold none, and these tests are much cheaper than the regular expression.
_DIRECTIVE_HINTS = (
    "todo", "fixme", "xxx", "noqa", "flake8", "pragma", "eslint", "jshint", "tslint", "prettier",
    "istanbul", "c8", "webpack", "__pure__", "nolint", "nosec", "nosonar", "noinspection",
    "checkstyle", "+build", "spdx", "copyright", "-*-", "global", "export")
_ANY_HINT = re.compile("|".join(re.escape(hint) for hint in _DIRECTIVE_HINTS))  # one C search
_URL = re.compile(r"\w+://|www\.")
_SENTENCE = re.compile(r"(?<![.\w])[A-Za-z]{2,}[.!?](\s|$)|\b(e\.g|i\.e|etc)\.")
_SINGLE_WORD = re.compile(r"^[\w.$]+$")
_LINE_COMMENTS = {"#": "#", "//": "//"}
_MAX_LINES = 60
_SEMICOLON_STYLE = 3  # lines ending in `;` that show a file writes them
# Where a statement can stand: a comment elsewhere (in an object, a call, a condition) that
# holds code shows an example of what the code around it handles.
_STATEMENT_CONTAINERS = frozenset({
    "module", "block", "program", "statement_block", "switch_case", "switch_default",
    "class_body", "constructor_body", "source_file", "statement_list", "import_spec_list",
    "switch_block_statement_group", "interface_body", "enum_body", "expression_case",
    "default_case", "type_case", "communication_case", "field_declaration_list",
    "if_statement", "else_clause", "elif_clause", "try_statement", "except_clause",
    "finally_clause", "class_definition", "function_definition", "for_statement",
    "while_statement", "with_statement", "decorated_definition", "match_statement",
    "case_clause", "switch_block", "import_declaration", "declaration_list",
})

_STATEMENTS = {
    "python": frozenset({
        "import_statement", "import_from_statement", "future_import_statement",
        "function_definition", "class_definition", "decorated_definition", "return_statement",
        "raise_statement", "if_statement", "for_statement", "while_statement", "with_statement",
        "try_statement", "delete_statement", "assert_statement", "global_statement",
        "nonlocal_statement", "break_statement", "continue_statement", "match_statement",
    }),
    "javascript": frozenset({
        "import_statement", "export_statement", "function_declaration", "class_declaration",
        "lexical_declaration", "variable_declaration", "return_statement", "throw_statement",
        "if_statement", "for_statement", "for_in_statement", "while_statement", "do_statement",
        "try_statement", "switch_statement", "break_statement", "continue_statement",
        "generator_function_declaration", "interface_declaration", "type_alias_declaration",
        "enum_declaration",
    }),
    "java": frozenset({
        "import_declaration", "package_declaration", "local_variable_declaration",
        "field_declaration", "method_declaration", "constructor_declaration",
        "class_declaration", "interface_declaration", "return_statement", "throw_statement",
        "if_statement", "for_statement", "enhanced_for_statement", "while_statement",
        "do_statement", "try_statement", "try_with_resources_statement", "switch_expression",
        "break_statement", "continue_statement", "block",
    }),
    "go": frozenset({
        "import_declaration", "package_clause", "function_declaration", "method_declaration",
        "type_declaration", "var_declaration", "const_declaration", "short_var_declaration",
        "assignment_statement", "inc_statement", "dec_statement", "return_statement",
        "if_statement", "for_statement", "expression_switch_statement",
        "type_switch_statement", "select_statement", "defer_statement", "go_statement",
        "send_statement", "break_statement", "continue_statement",
    }),
}
_EXPRESSIONS = frozenset({
    "call", "assignment", "augmented_assignment", "await", "call_expression",
    "assignment_expression", "augmented_assignment_expression", "update_expression",
    "method_invocation", "object_creation_expression", "new_expression", "await_expression",
    "yield", "yield_expression",
})


def check(ctx, captures):
    comment = captures["match"][0]
    if (not _whole_line(ctx.source, comment) or _is_doc_comment(comment)
            or comment.parent is None or comment.parent.type not in _STATEMENT_CONTAINERS):
        return None  # inside an expression or a literal, code in a comment is an example
    block = _block(ctx, comment)
    if block is None:
        return None
    text = _code_text(ctx, block)
    if text is None or not _ends_like_code(ctx, text):
        return None
    if not _is_code(ctx.spec.name, ctx.language, text):
        return None
    first, last = block[0], block[-1]
    span = Span(first.start_byte, last.end_byte, tuple(first.start_point), tuple(last.end_point))
    return Hit(span, args={"lines": last.end_point[0] - first.start_point[0] + 1})


def _ends_like_code(ctx, text):
    """Where statements end with `;`, disabled code does too; examples in prose often do not."""
    if ctx.language == "java" or (ctx.language in ("javascript", "typescript")
                                  and _semicolons(ctx)):
        return text.rstrip()[-1:] in (";", "}")
    return True


def _semicolons(ctx):
    """Whether the file writes `;` at the end of its lines (counted once per file)."""
    return ctx.module.memo(("commented-out-code", "semicolons"),
                           lambda: ctx.source.count(b";\n") >= _SEMICOLON_STYLE)


def _comments(ctx):
    """Per-file facts of comment nodes by start byte: text, directive, look-alike (see _Comment)."""
    return ctx.module.memo(("commented-out-code", "comments"), dict)


class _Comment:
    """What the block search asks of one comment, computed once per file however often asked."""

    __slots__ = ("text", "whole_line", "_directive")

    def __init__(self, node, source):
        self.text = _text(node)
        self.whole_line = _whole_line(source, node)
        self._directive = None

    @property
    def directive(self):
        if self._directive is None:
            self._directive = _is_directive(self.text)
        return self._directive

    @property
    def looks_like_code(self):
        return bool(_LOOKS_LIKE_CODE.search(self.text))  # asked at most once per comment


def _facts(ctx, node):
    comments = _comments(ctx)
    facts = comments.get(node.start_byte)
    if facts is None:
        facts = comments[node.start_byte] = _Comment(node, ctx.source)
    return facts


def _whole_line(source, node):
    start = source.rfind(b"\n", 0, node.start_byte) + 1
    return not source[start:node.start_byte].strip()


def _is_directive(text):
    """`_DIRECTIVE.search(text)`, skipped when the text cannot match."""
    if text.isascii() and ":" not in text and "@" not in text:
        lower = text.lower()
        if _ANY_HINT.search(lower) is None:
            return False
    return _DIRECTIVE.search(text) is not None


def _is_doc_comment(node):
    return node.text.startswith(b"/**")


def _text(node):
    return node.text.decode("utf-8", "replace")


def _joins(ctx, before, after):
    """Two whole-line comments on neighbouring lines belong to one block."""
    if before.type != after.type or after.start_point[0] != before.end_point[0] + 1:
        return False
    facts = _facts(ctx, before)
    return (not facts.text.startswith("/*") and not _facts(ctx, after).text.startswith("/*")
            and facts.whole_line and not facts.directive)


def _block(ctx, comment):
    """The block from its first look-alike on, or None when an earlier look-alike reports it.

    Lines before the first look-alike (`# old version:`) are a caption, not code.
    """
    if _facts(ctx, comment).directive:
        return None
    node = comment
    for _ in range(_MAX_LINES):
        before = node.prev_sibling
        if before is None or not _joins(ctx, before, node):
            break
        if _facts(ctx, before).looks_like_code:
            return None
        node = before
    block = [comment]
    node = comment
    while len(block) < _MAX_LINES:
        after = node.next_sibling
        if after is None or not _joins(ctx, node, after) or _facts(ctx, after).directive:
            break
        block.append(after)
        node = after
    return block


def _code_text(ctx, block):
    """The block without comment markers, dedented; None when it reads as prose."""
    lines = []
    for node in block:
        text = _facts(ctx, node).text
        if text.startswith("/*"):
            body = text[2:-2] if text.endswith("*/") else text[2:]
            lines.extend(re.sub(r"^\s*\* ?", "", line) for line in body.splitlines())
            continue
        marker = "#" if text.startswith("#") else "//"
        lines.append(text[len(marker):].lstrip(marker[0]).removeprefix(" "))
    code = textwrap.dedent("\n".join(lines)).strip("\n")
    stripped = code.strip()
    if (not stripped or _SINGLE_WORD.match(stripped) or _URL.search(code)
            or _SENTENCE.search(code) or _is_directive(code)):
        return None
    return code


def _parser(grammar):
    """One parser per grammar and thread, reused: each parse starts afresh (no old tree)."""
    parsers = _PARSERS.__dict__
    parser = parsers.get(grammar)
    if parser is None:
        parser = parsers[grammar] = ts.Parser(ts_language(grammar))
    return parser


_PARSERS = threading.local()  # a parser is not safe to share between threads


def _is_code(grammar, language, text):
    text += "\n"  # Go ends a statement with a newline
    root = _parser(grammar).parse(text.encode("utf-8")).root_node
    if root.has_error and language == "java":  # members: fields and methods need a class
        root = _parser(grammar).parse(
            f"class _ {{\n{text}}}".encode()).root_node
        if root.has_error or not root.named_children:
            return False
        body = root.named_children[0].child_by_field_name("body")
        return body is not None and _all_code(body.named_children, language)
    return not root.has_error and _all_code(root.named_children, language)


def _all_code(statements, language):
    statements = [node for node in statements if "comment" not in node.type]
    allowed = _STATEMENTS.get(language, _STATEMENTS["javascript"])
    return bool(statements) and all(_is_code_statement(node, allowed) for node in statements)


def _is_code_statement(node, allowed):
    if node.type in allowed:
        return True
    if node.type != "expression_statement" or node.named_child_count == 0:
        return False
    expression = node.named_children[0]
    if expression.type == "assignment" and expression.child_by_field_name("right") is None:
        return False  # `Note: words` is an annotation to Python, prose to people
    return expression.type in _EXPRESSIONS
