"""The language registry: one entry per grammar, everything else is driven by its queries.

Adding a language means adding one `LanguageSpec` here and `queries/<name>.scm`.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import tree_sitter as ts

QUERY_DIR = Path(__file__).parent / "queries"


@dataclass(frozen=True)
class LanguageSpec:
    """What the engine needs to know about one language beyond its queries."""

    name: str
    grammar_module: str
    grammar_function: str
    extensions: tuple[str, ...]
    interpreters: tuple[str, ...]
    line_comment: str
    block_comment: tuple[str, str] | None
    keywords: frozenset[str]
    # Literal syntax for the clone fingerprint's tokenizer.
    string_pattern: str
    # Node types that open a function or a class scope for the lexical model.
    constructor_names: frozenset[str] = field(default_factory=frozenset)
    # Receiver names through which a method assigns instance fields ("self.x", "this.x").
    self_names: tuple[str, ...] = ("this",)
    # Go marks exported names by case instead of a keyword.
    visibility_by_case: bool = False
    query_name: str = ""

    @property
    def queries_file(self) -> Path:
        return QUERY_DIR / f"{self.query_name or self.name}.scm"

    def comment(self, text: str) -> str:
        """Return `text` as a comment in this language's syntax."""
        return f"{self.line_comment} {text}"


_C_STRINGS = r'"(?:\\.|[^"\\\n])*"' + r"|'(?:\\.|[^'\\\n])*'"
_JS_STRINGS = _C_STRINGS + r"|`(?:\\.|[^`\\])*`"
# Python: a backslash escapes any character, a newline included (`f"""\` + newline), and the
# loops are unrolled (runs of plain characters at once) since this runs over every function.
_PY_STRINGS = (
    r"(?:[rRbBuUfF]{0,2})(?:"
    r'"""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*"""|'
    r"'''[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*'''|"
    r'"[^"\\\n]*(?:\\[\s\S][^"\\\n]*)*"|'
    r"'[^'\\\n]*(?:\\[\s\S][^'\\\n]*)*')"
)

_PY_KEYWORDS = frozenset(
    "False None True and as assert async await break class continue def del elif else except "
    "finally for from global if import in is lambda nonlocal not or pass raise return try "
    "while with yield match case self".split()
)
_JS_KEYWORDS = frozenset(
    "async await break case catch class const continue debugger default delete do else export "
    "extends finally for function if import in instanceof let new null of return static super "
    "switch this throw try typeof undefined var void while with yield true false".split()
)
_TS_KEYWORDS = _JS_KEYWORDS | frozenset(
    "interface type enum implements private protected public readonly abstract declare "
    "namespace as any number string boolean void never unknown".split()
)
_JAVA_KEYWORDS = frozenset(
    "abstract assert boolean break byte case catch char class continue default do double else "
    "enum extends final finally float for if implements import instanceof int interface long "
    "new null package private protected public return short static super switch synchronized "
    "this throw throws try void volatile while true false var".split()
)
_GO_KEYWORDS = frozenset(
    "break case chan const continue default defer else fallthrough for func go goto if import "
    "interface map package range return select struct switch type var nil true false".split()
)

LANGUAGES: dict[str, LanguageSpec] = {
    spec.name: spec
    for spec in (
        LanguageSpec(
            name="python",
            grammar_module="tree_sitter_python",
            grammar_function="language",
            extensions=(".py", ".pyi", ".pyw"),
            interpreters=("python", "python3", "python2", "pypy", "pypy3"),
            line_comment="#",
            block_comment=None,
            keywords=_PY_KEYWORDS,
            string_pattern=_PY_STRINGS,
            constructor_names=frozenset({"__init__", "__new__"}),
            self_names=("self",),
        ),
        LanguageSpec(
            name="javascript",
            grammar_module="tree_sitter_javascript",
            grammar_function="language",
            extensions=(".js", ".mjs", ".cjs", ".jsx"),
            interpreters=("node", "nodejs", "deno", "bun"),
            line_comment="//",
            block_comment=("/*", "*/"),
            keywords=_JS_KEYWORDS,
            string_pattern=_JS_STRINGS,
            constructor_names=frozenset({"constructor"}),
        ),
        LanguageSpec(
            name="typescript",
            grammar_module="tree_sitter_typescript",
            grammar_function="language_typescript",
            extensions=(".ts", ".mts", ".cts"),
            interpreters=("ts-node", "tsx"),
            line_comment="//",
            block_comment=("/*", "*/"),
            keywords=_TS_KEYWORDS,
            string_pattern=_JS_STRINGS,
            constructor_names=frozenset({"constructor"}),
        ),
        LanguageSpec(
            name="tsx",
            grammar_module="tree_sitter_typescript",
            grammar_function="language_tsx",
            extensions=(".tsx",),
            interpreters=(),
            line_comment="//",
            block_comment=("/*", "*/"),
            keywords=_TS_KEYWORDS,
            string_pattern=_JS_STRINGS,
            constructor_names=frozenset({"constructor"}),
            query_name="typescript",
        ),
        LanguageSpec(
            name="java",
            grammar_module="tree_sitter_java",
            grammar_function="language",
            extensions=(".java",),
            interpreters=(),
            line_comment="//",
            block_comment=("/*", "*/"),
            keywords=_JAVA_KEYWORDS,
            string_pattern=_C_STRINGS + r'|"""(?:\\.|[^\\])*?"""',
        ),
        LanguageSpec(
            name="go",
            grammar_module="tree_sitter_go",
            grammar_function="language",
            extensions=(".go",),
            interpreters=(),
            line_comment="//",
            block_comment=("/*", "*/"),
            keywords=_GO_KEYWORDS,
            string_pattern=_C_STRINGS + r"|`[^`]*`",
            visibility_by_case=True,
        ),
    )
}

# Element fixtures and cards speak of user-facing languages; TSX is TypeScript to a user.
FAMILY = {"tsx": "typescript"}

_EXTENSIONS = {ext: spec for spec in LANGUAGES.values() for ext in spec.extensions}
_SHEBANG = re.compile(rb"^#!\s*(?:\S*/)?(?:env\s+(?:-\S+\s+)*)?([A-Za-z0-9_.+-]+)")


def family(language: str) -> str:
    """Return the user-facing language a grammar belongs to (tsx is typescript)."""
    return FAMILY.get(language, language)


@cache
def ts_language(name: str) -> ts.Language:
    """Load the tree-sitter grammar of a registered language from its wheel."""
    spec = LANGUAGES[name]
    module = importlib.import_module(spec.grammar_module)
    return ts.Language(getattr(module, spec.grammar_function)())


def language_for_path(path: str | Path, head: bytes = b"") -> LanguageSpec | None:
    """Choose the language of a file by its extension, else by the shebang in `head`."""
    suffix = Path(path).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if head.startswith(b"#!"):
        match = _SHEBANG.match(head)
        if match:
            interpreter = match.group(1).decode("ascii", "ignore")
            interpreter = re.sub(r"[\d.]+$", "", interpreter) or interpreter
            for spec in LANGUAGES.values():
                if interpreter in spec.interpreters or match.group(1).decode() in spec.interpreters:
                    return spec
    return None


def language_by_name(name: str) -> LanguageSpec:
    """Look a language up by grammar or user-facing name."""
    if name in LANGUAGES:
        return LANGUAGES[name]
    raise KeyError(f"unknown language {name!r}; known: {', '.join(sorted(LANGUAGES))}")
