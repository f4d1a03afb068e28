"""Report the statements that follow a return, throw, break, continue or exit call in one block.

The queries find a jump with a sibling after it; this check skips comments and declarations
that do not run in order (hoisted functions, types), and reports the whole run after the first
jump of the block as one finding, so that the editor fades all of it.
"""

from cpt.engine.analysis import Hit
from cpt.engine.positions import Span
from cpt.engine.roles.security_roles import calls_named

_JUMPS = frozenset({
    "return_statement", "raise_statement", "throw_statement", "break_statement",
    "continue_statement", "yield_statement", "goto_statement",
})
# Exit calls per language: the callee's node type and text (Java's `System.exit` aside).
_EXIT_CALLEES = {
    "python": {"attribute": frozenset({"sys.exit", "os._exit", "os.abort"})},
    "javascript": {"member_expression": frozenset({"process.exit"})},
    "typescript": {"member_expression": frozenset({"process.exit"})},
    "go": {"identifier": frozenset({"panic"}), "selector_expression": frozenset({
        "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf",
        "log.Panicln"})},
}
_EXIT_CALLS = frozenset({"System.exit"}).union(
    *(callees for table in _EXIT_CALLEES.values() for callees in table.values()))
_EXIT_NAMES = frozenset(callee.rpartition(".")[2] for callee in _EXIT_CALLS)
_COMMENTS = frozenset({"comment", "line_comment", "block_comment"})
# Declarations that take effect before the jump runs (hoisting) or only when compiling.
_NOT_IN_ORDER = frozenset({
    "function_declaration", "generator_function_declaration", "type_alias_declaration",
    "interface_declaration", "ambient_declaration", "function_signature", "empty_statement",
})


# Where a statement sits in a block, per grammar (the blocks of the exit calls).
_BLOCKS = frozenset({"block", "statement_list", "statement_block"})
# The statement lists a jump of the queries must sit in, per language. The patterns are rooted
# at the jump and match it anywhere (`if (x) return; else ...` included): rooted at the block,
# with one alternative per jump type, they stayed in flight over every nested block and cost a
# third of the query pass.
_JUMP_PARENTS = {
    "python": frozenset({"block"}),
    "javascript": frozenset({"statement_block", "switch_case", "switch_default"}),
    "typescript": frozenset({"statement_block", "switch_case", "switch_default"}),
    "java": frozenset({"block", "switch_block_statement_group"}),
    "go": frozenset({"statement_list"}),
}


def detect(ctx):
    """Statements after an exit call (`sys.exit()`, `process.exit()`, ...).

    Found from the model's calls: a query pattern for them matched every call statement that
    has a next sibling and cost a third of the whole query pass.
    """
    module = ctx.module
    for function, call in calls_named(module, _EXIT_NAMES):  # the file's index, shared
        if function is None and module.partial:
            continue  # module-level calls belong to the previous text
        statement = call.node.parent if call.node is not None else None
        if (statement is None or statement.type != "expression_statement"
                or statement.parent is None or statement.parent.type not in _BLOCKS
                or statement.next_named_sibling is None
                or not _exit_call(call.node, ctx.language)):
            continue
        hit = _report(ctx, statement)
        if hit is not None:
            yield hit


def _exit_call(node, language):
    """A call that never returns: `sys.exit(...)`, `System.exit(...)`, Go's `panic(...)`, ..."""
    if node.type == "method_invocation":  # Java
        return _callee(node) == "System.exit"
    function = node.child_by_field_name("function")
    callees = _EXIT_CALLEES.get(language, {}).get(function.type) if function else None
    return callees is not None and function.text.decode("utf-8", "replace") in callees


def check(ctx, captures):
    exit_node = captures["_exit"][0]
    parent = exit_node.parent
    if parent is None or parent.type not in _JUMP_PARENTS.get(ctx.language, ()):
        return None
    return _report(ctx, exit_node)


def _report(ctx, exit_node):
    """The finding for a jump or exit call followed by statements, unless an earlier one reports."""
    if _earlier_exit(exit_node):
        return None  # the first jump of the block reports the whole run
    regions = _unreachable_regions(exit_node, stop_at_labels=ctx.language == "go")
    if not regions:
        return None
    first, last = regions[0][0], regions[-1][1]
    span = Span(first.start_byte, last.end_byte, tuple(first.start_point), tuple(last.end_point))
    return Hit(span, args={"after": _jump_word(exit_node)}, data={
        "regions": [[start.start_byte, end.end_byte] for start, end in regions],
    })


def is_exit(node):
    """Say whether a statement never lets control reach the next one."""
    if node.type in _JUMPS:
        return True
    if node.type != "expression_statement" or node.named_child_count == 0:
        return False
    call = node.named_children[0]
    return call.type in ("call", "call_expression", "method_invocation") and (
        _callee(call) in _EXIT_CALLS)


def _callee(call):
    if call.type == "method_invocation":
        target, name = call.child_by_field_name("object"), call.child_by_field_name("name")
        if target is None or name is None:
            return ""
        return f"{target.text.decode('utf-8', 'replace')}.{name.text.decode('utf-8', 'replace')}"
    function = call.child_by_field_name("function")
    return function.text.decode("utf-8", "replace") if function is not None else ""


def _earlier_exit(node):
    sibling = node.prev_named_sibling
    while sibling is not None:
        if is_exit(sibling):
            return True
        sibling = sibling.prev_named_sibling
    return False


def _unreachable_regions(exit_node, stop_at_labels):
    """Runs of unreachable statements as (first, last) nodes; comments after the last stay in."""
    regions = []
    start = end = None
    sibling = exit_node.next_named_sibling
    while sibling is not None:
        if stop_at_labels and sibling.type == "labeled_statement":
            break  # `goto` may land on a label, and everything after it runs
        if sibling.type in _COMMENTS:
            if end is not None and sibling.start_point[0] == end.end_point[0]:
                end = sibling  # a comment on the last statement's line goes with it
        elif _runs_in_order(sibling):
            start = start or sibling
            end = sibling
        elif start is not None:
            regions.append((start, end))
            start = end = None
        sibling = sibling.next_named_sibling
    if start is not None:
        regions.append((start, end))
    return regions


def _runs_in_order(node):
    if node.type in _NOT_IN_ORDER or _makes_a_generator(node):
        return False
    if node.type == "variable_declaration":  # `var x;` is hoisted; `var x = 1` assigns too late
        return any(child.child_by_field_name("value") is not None
                   for child in node.named_children if child.type == "variable_declarator")
    return True


def _makes_a_generator(node):
    """`raise NotImplementedError; yield`: a Python yield that never runs still matters."""
    return (node.type == "expression_statement" and node.named_child_count == 1
            and node.named_children[0].type == "yield")


def _jump_word(node):
    if node.type in _JUMPS:
        return node.type.removesuffix("_statement")
    return _callee(node.named_children[0])
