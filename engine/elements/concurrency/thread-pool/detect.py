"""Recognize thread pools: library pools by their constructors, Go and JS pools by their shape.

Go: goroutines started in a loop whose function drains a channel (range or receive) are the
workers of a pool, whatever they are called. JavaScript: workers created in a loop.
"""

import re

from cpt.engine.analysis import Hit
from cpt.engine.roles.concurrency_roles import FUNCTION_TYPES, param_type, short, text_of
from cpt.engine.roles.security_roles import calls_named

_PY_EXECUTORS = frozenset({"ThreadPoolExecutor", "ProcessPoolExecutor"})
_PY_MP_POOLS = frozenset({"Pool", "ThreadPool"})
_JAVA_FACTORIES = frozenset({
    "newFixedThreadPool", "newCachedThreadPool", "newWorkStealingPool", "newScheduledThreadPool",
    "newSingleThreadExecutor", "newSingleThreadScheduledExecutor",
})
_JAVA_POOL_TYPES = frozenset({
    "ThreadPoolExecutor", "ScheduledThreadPoolExecutor", "ForkJoinPool", "ThreadPoolTaskExecutor",
})
_JS_POOL_TYPES = frozenset({"Piscina", "Tinypool", "StaticPool", "DynamicPool"})
_LOOPS = frozenset({
    "for_statement", "for_in_statement", "while_statement", "do_statement",
    "enhanced_for_statement",
})
_LOOPING_CALLS = frozenset({"from", "map", "forEach", "times"})
_WORKER_SCRIPT = re.compile(r"""^(new\s+URL\s*\(|["'`].*\.[cm]?[jt]s["'`]$|__filename$)""")
# `range jobs {`, or a receive `x := <-jobs`, `case j, ok := <-jobs:` (not a send `out <- x`).
_GO_DRAIN = re.compile(r"\brange\s+([\w.]+)\s*\{|(?:^|[=(,{;]|\bcase)\s*<-\s*([\w.]+)", re.M)


def detect(ctx):
    language = ctx.language
    if language == "python":
        yield from _python(ctx)
    elif language == "java":
        yield from _java(ctx)
    elif language == "go":
        yield from _go(ctx)
    else:
        yield from _javascript(ctx)


def _python(ctx):
    imports = [item.module for item in ctx.module.imports]
    has_mp = any(module.startswith("multiprocessing") for module in imports)
    for _, call in calls_named(ctx.module, _PY_EXECUTORS | _PY_MP_POOLS):
        name = call.name
        if call.callee == name and ctx.module.class_named(name) is not None:
            continue  # a class of this file that happens to share the name
        if name in _PY_EXECUTORS or (name in _PY_MP_POOLS and (
                has_mp or call.callee.startswith("multiprocessing."))):
            kind = "processes" if "Process" in name or name == "Pool" else "threads"
            yield Hit(call.node, args={
                "how": f"`{short(text_of(call.node))}` runs tasks on reusable {kind}"})


def _java(ctx):
    for _, call in ctx.module.all_calls():
        base = call.callee.split("<", 1)[0]
        if (call.is_new and base.rsplit(".", 1)[-1] in _JAVA_POOL_TYPES) or (
                not call.is_new and call.name in _JAVA_FACTORIES
                and base.rsplit(".", 1)[0].endswith("Executors")):
            yield Hit(call.node, args={
                "how": f"`{short(text_of(call.node))}` runs submitted tasks on reusable threads"})


def _javascript(ctx):
    module = ctx.module
    imports = [item.module for item in module.imports]
    threads = any(module_name.endswith("worker_threads") for module_name in imports)
    for _, call in calls_named(module, _JS_POOL_TYPES | {"pool", "Worker"}):
        if call.is_new and call.name in _JS_POOL_TYPES or (
                not call.is_new and call.callee == "workerpool.pool"):
            yield Hit(call.node, args={
                "how": f"`{short(text_of(call.node))}` runs tasks on a pool of worker threads"})
        elif call.is_new and call.callee == "Worker" and module.class_named("Worker") is None:
            first = call.args[0] if call.args else None
            if not threads and (first is None or not _WORKER_SCRIPT.match(text_of(first))):
                continue
            if _in_loop(call.node):
                yield Hit(call.node, args={
                    "how": "workers are created in a loop and share the work"})


def _in_loop(node):
    """A loop, or a looping callback (`Array.from`, `map`), between the node and its function."""
    current = node.parent
    while current is not None:
        if current.type in _LOOPS:
            return True
        if current.type in FUNCTION_TYPES:
            return _is_looping_callback(current)
        current = current.parent
    return False


def _is_looping_callback(function):
    arguments = function.parent
    if arguments is None or arguments.type != "arguments" or arguments.parent is None:
        return False
    head = arguments.parent.child_by_field_name("function")
    return head is not None and text_of(head).rsplit(".", 1)[-1] in _LOOPING_CALLS


def _go(ctx):
    module = ctx.module
    channels = _go_channels(module.assignments)
    by_name = {function.name: function for function in module.functions}
    for function in module.functions:
        for call in function.calls:
            started = _started_worker(call, by_name)
            if started is None or not _in_loop(call.node):
                continue
            anchor, worker = started
            drained = _drained_channel(worker, channels | _go_channels(function.assignments)
                                       | _chan_params(function) | _chan_params(worker))
            if drained is not None:
                yield Hit(anchor, args={
                    "how": f"goroutines started in a loop drain the channel `{drained}`"})


def _started_worker(call, by_name):
    """The `go` keyword (or the `Go` callee) and the model function the goroutine runs."""
    node = call.node
    parent = node.parent
    head = node.child_by_field_name("function")
    if parent is not None and parent.type == "go_statement" and head is not None:
        worker = head if head.type == "func_literal" else by_name.get(
            text_of(head).rsplit(".", 1)[-1])
        return (parent.children[0], worker) if worker is not None else None
    if call.name == "Go" and call.args and call.args[0].type == "func_literal":
        return head, call.args[0]
    return None


def _drained_channel(worker, channels):
    """The channel the worker ranges over or receives from in a loop, if any."""
    node = worker.node if hasattr(worker, "node") else worker
    body = node.child_by_field_name("body") if node is not None else None
    if body is None:
        return None
    text = text_of(body)
    if "for" not in text:
        return None
    for match in _GO_DRAIN.finditer(text):
        name = match.group(1) or match.group(2)
        if name in channels or name.rsplit(".", 1)[-1] in channels:
            return name
    return None


def _go_channels(assignments):
    """Names given a new channel (`jobs := make(chan Job)`, `p.jobs = make(chan Job, 8)`)."""
    targets = [item.target for item in assignments if item.value_text.startswith("make(chan")]
    return set(targets) | {target.rsplit(".", 1)[-1] for target in targets}


def _chan_params(function):
    if not hasattr(function, "params"):  # a func literal handed to errgroup's Go
        return _literal_chan_params(function)
    return {param.name for param in function.params
            if _is_chan_type(param_type(param))}


def _literal_chan_params(node):
    params = node.child_by_field_name("parameters")
    found = set()
    for declaration in params.named_children if params is not None else ():
        if _is_chan_type(declaration.child_by_field_name("type")):
            found.update(text_of(name) for name in declaration.children_by_field_name("name"))
    return found


def _is_chan_type(node):
    return node is not None and node.type == "channel_type"
