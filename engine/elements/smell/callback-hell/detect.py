"""Report pyramids of anonymous callbacks, once each, on the call that takes the outermost one.

Callbacks are the model's anonymous functions passed as arguments (a query pattern rooted at
every argument list stayed in flight over whole callbacks: ~4 % of the parse time). Each is
checked by walking up its parents: a callback that is exactly `callback-depth` levels deep
reports the outermost callback of its chain; deeper ones stay quiet (their ancestor at the
limit already speaks for the pyramid).
"""

from cpt.engine.analysis import Hit
from cpt.engine.roles.concurrency_roles import FUNCTION_TYPES, has_token, short, text_of

_CALLBACK_TYPES = ("arrow_function", "function_expression")
# Synchronous iteration: nesting these is a data shape, not a chain of continuations.
_ARRAY_METHODS = frozenset({
    "map", "filter", "forEach", "reduce", "reduceRight", "some", "every", "find", "findIndex",
    "findLast", "findLastIndex", "flatMap", "sort", "toSorted",
})
# Test suites nest blocks by design; each block starts a new count.
_SUITE_CALLS = frozenset({
    "describe", "it", "test", "context", "suite", "beforeEach", "afterEach", "beforeAll",
    "afterAll", "before", "after", "fdescribe", "xdescribe", "fit", "xit",
})


def detect(ctx):
    # In the editor's partial module, the functions are those of the edited units: every
    # callback inside them is there, which is all a finding inside them depends on.
    for function in ctx.module.functions:
        node = function.node
        if node is not None and node.type in _CALLBACK_TYPES:
            hit = _pyramid(ctx, node)  # _role() keeps those passed as arguments
            if hit is not None:
                yield hit


def _pyramid(ctx, callback):
    """The finding for a callback argument exactly `callback-depth` callbacks deep, if it is."""
    role = _role(callback)
    if role != "counted":
        return None
    limit = int(ctx.threshold("callback-depth"))
    depth, outermost = 1, callback
    current = callback.parent
    while current is not None:
        if current.type in FUNCTION_TYPES:
            role = _role(current)
            if role == "counted":
                depth += 1
                outermost = current
                if depth > limit:
                    return None  # an ancestor at the limit reports this pyramid
            elif role != "transparent":
                break  # a named function or a suite block starts a new count
        current = current.parent
    if depth < limit:
        return None
    call = outermost.parent.parent  # arguments -> call_expression (counted callbacks only)
    head = call.child_by_field_name("function") or call
    return Hit(head, args={"depth": depth, "callee": short(text_of(head), 40), "limit": limit})


def _role(function):
    """Counted (a callback argument), transparent (it does not nest continuations) or a boundary.

    Transparent: synchronous array-method callbacks, `new Promise` executors (they adapt
    callbacks to promises: the cure) and async callbacks (they await instead of nesting).
    """
    if function.type not in _CALLBACK_TYPES:
        return "boundary"
    arguments = function.parent
    if arguments is None or arguments.type != "arguments" or arguments.parent is None:
        return "boundary"
    call = arguments.parent
    head = call.child_by_field_name("function")
    if head is None:  # `new Promise((resolve, reject) => ...)` and other constructors
        return "transparent" if call.type == "new_expression" else "boundary"
    if has_token(function, "async"):
        return "transparent"
    name = text_of(head).rsplit(".", 1)[-1]
    if head.type == "member_expression" and name in _ARRAY_METHODS:
        return "transparent"
    if name.split("(", 1)[0] in _SUITE_CALLS or text_of(head).split(".", 1)[0] in _SUITE_CALLS:
        return "boundary"
    return "counted"
