"""The language-neutral code model that every detector reads.

Extraction (`extract.py`) fills it from one query pass per file; detectors never look at
language-specific node kinds unless they bring a query of their own.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .positions import Span

# Marks a value that is read from the node when first asked for.
ASK_NODE: Any = object()


@dataclass(slots=True)
class Param:
    """One parameter of a function."""

    name: str
    span: Span
    default: Span | None = None
    default_kind: str | None = None  # neutral kind of the default value: list, dict, set, call, ...
    node: Any = None


@dataclass(slots=True)
class Call:
    """One call or object creation inside a function or at module level."""

    callee: str  # dotted text as written, e.g. "subprocess.run", "this.listeners.push"
    span: Span
    # The argument-list node, or `ASK_NODE`: then it is the `arguments` field of `node`, looked
    # up when first read (most calls are never asked, and a capture costs the query pass).
    _arguments: Any = None
    is_new: bool = False
    node: Any = None
    _args: list[Any] | None = None

    @property
    def arguments(self) -> Any:
        """The argument-list node (None for `new X` without parentheses)."""
        if self._arguments is ASK_NODE:
            self._arguments = self.node.child_by_field_name("arguments")
        return self._arguments

    @property
    def args(self) -> list[Any]:
        """Tree-sitter nodes of the arguments (most calls are never asked)."""
        if self._args is None:
            arguments = self.arguments
            self._args = list(arguments.named_children) if arguments is not None else []
        return self._args

    @property
    def name(self) -> str:
        """Return the last segment of the callee (`run` for `subprocess.run`)."""
        return self.callee.rsplit(".", 1)[-1]


@dataclass(slots=True)
class Assignment:
    """A name bound to a value: variable, attribute or field initializer."""

    target: str  # as written: "x", "self.x", "this.x", "Config.instance"
    span: Span
    value_kind: str  # neutral kind: string, number, list, dict, new, call, null, lambda, other
    value_text: str
    value: Any = None  # tree-sitter node of the value


@dataclass(slots=True)
class Return:
    """A return statement and the neutral kind of what it returns."""

    span: Span
    kind: str | None  # None for a bare return
    text: str


@dataclass(slots=True)
class Handler:
    """An exception handler (`except`, `catch`) and what its body does."""

    span: Span
    types: list[str]  # caught types as written; empty list means a bare catch-all
    body_statements: int
    body_is_silent: bool  # nothing but pass / empty block / comments
    node: Any = None


@dataclass(slots=True)
class Field:
    """A field of a class, class-level (static) or per instance."""

    name: str
    span: Span
    static: bool
    value_kind: str | None = None


@dataclass(slots=True)
class Function:
    """A function, method, constructor or lambda with a body."""

    name: str
    span: Span
    name_span: Span
    params: list[Param] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    returns: list[Return] = field(default_factory=list)
    handlers: list[Handler] = field(default_factory=list)
    control_count: int = 0
    max_nesting: int = 0
    deepest: Span | None = None
    is_method: bool = False
    is_constructor: bool = False
    is_static: bool = False
    visibility: str = "public"
    # The class, weakly: it holds its methods, and a strong reference back made every class a
    # reference cycle that only the cyclic GC freed (a tenth of a scan). `Module.classes` keeps
    # every owner alive as long as the module; read and set it as `owner`.
    _owner: weakref.ref[Class] | None = field(default=None, repr=False)
    node: Any = None
    # Statements and extra decision points are counted on demand (few detectors need them).
    counter: Any = None
    _counts: tuple[int, int] | None = None
    # The clone stream is made on first use (`fingerprint.Streams`): many units are never
    # compared, and normalizing them was a third of building the model.
    streams: Any = field(default=None, repr=False, compare=False)
    _stream: tuple[str, str] | None = field(default=None, repr=False, compare=False)

    @property
    def owner(self) -> Class | None:
        """The class this function is a method of (None for a free function)."""
        return self._owner() if self._owner is not None else None

    @owner.setter
    def owner(self, klass: Class | None) -> None:
        self._owner = weakref.ref(klass) if klass is not None else None

    @property
    def lines(self) -> int:
        return self.span.end[0] - self.span.start[0] + 1

    def _lazy_counts(self) -> tuple[int, int]:
        if self._counts is None:
            self._counts = self.counter(self) if self.counter is not None else (0, 0)
        return self._counts

    @property
    def statements(self) -> int:
        """Statements in the body (nested blocks included)."""
        return self._lazy_counts()[0]

    @property
    def branches(self) -> int:
        """Decision points: control statements plus elif/case/catch/ternary/boolean operators."""
        return self.control_count + self._lazy_counts()[1]

    @property
    def qualified_name(self) -> str:
        return f"{self.owner.name}.{self.name}" if self.owner else self.name

    def _lazy_stream(self) -> tuple[str, str]:
        if self._stream is None:
            self._stream = self.streams(self) if self.streams is not None else ("", "")
        return self._stream

    @property
    def normalized(self) -> str:
        """The neutral token stream of the unit ("" for units too short to be clones)."""
        return self._lazy_stream()[0]

    @property
    def fingerprint(self) -> str:
        """The hash of `normalized`: equal for Type-1/2 clones ("" when not fingerprinted)."""
        return self._lazy_stream()[1]


@dataclass(slots=True, weakref_slot=True)
class Class:
    """A class, struct or interface and its members."""

    name: str
    span: Span
    name_span: Span
    kind: str = "class"  # class, interface, struct
    bases: list[str] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    methods: list[Function] = field(default_factory=list)
    decorators: list[str] = field(default_factory=list)
    node: Any = None
    # Set by `fingerprint.fingerprint_module`; the hash is made on first use from the methods'.
    fingerprinted: bool = field(default=False, repr=False, compare=False)
    _fingerprint: str | None = field(default=None, repr=False, compare=False)

    @property
    def lines(self) -> int:
        return self.span.end[0] - self.span.start[0] + 1

    @property
    def constructors(self) -> list[Function]:
        return [method for method in self.methods if method.is_constructor]

    @property
    def fingerprint(self) -> str:
        """Kind, field count and the methods' fingerprints, hashed ("" when not fingerprinted)."""
        if self._fingerprint is None:
            from .fingerprint import class_fingerprint  # fingerprint imports this module

            self._fingerprint = class_fingerprint(self) if self.fingerprinted else ""
        return self._fingerprint

    def field_named(self, name: str) -> Field | None:
        """Return the field called `name`, if the class has one."""
        return next((item for item in self.fields if item.name == name), None)


@dataclass(slots=True)
class Import:
    """An imported module or name."""

    module: str
    span: Span


@dataclass(slots=True)
class Module:
    """Everything extracted from one file."""

    language: str
    path: str
    classes: list[Class] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)  # every function, methods included
    imports: list[Import] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)  # module-level only
    calls: list[Call] = field(default_factory=list)  # module-level only
    handlers: list[Handler] = field(default_factory=list)  # module-level only
    has_errors: bool = False
    # Only the functions an edit touched were extracted again (engine/incremental.py): the
    # module-level lists above belong to the previous version of the file.
    partial: bool = False
    # Per-file data derived by detectors and shared between them (see `memo`); one analysis only.
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key: Any, factory: Callable[[], Any]) -> Any:
        """Return `factory()`, computed once per module under `key` (`("x", id(node))`, ...).

        Lets detectors share an index of the file instead of each rebuilding it; the value must
        derive from this module only, and callers must not mutate it.
        """
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = factory()
            return value

    def all_calls(self) -> Iterator[tuple[Function | None, Call]]:
        """Every call with the function it is in (None at module level)."""
        for call in self.calls:
            yield None, call
        for function in self.functions:
            for call in function.calls:
                yield function, call

    @property
    def top_level_functions(self) -> list[Function]:
        return [function for function in self.functions if function.owner is None]

    def class_named(self, name: str) -> Class | None:
        """Return the class declared here as `name`."""
        return next((item for item in self.classes if item.name == name), None)
