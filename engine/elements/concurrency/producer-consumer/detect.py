"""Recognize a producer-consumer queue: one side puts work into a shared queue, another takes it.

The roles, not the names: a queue (a blocking queue, an asyncio queue, a Go channel, a JS array
used first-in first-out) that is filled in one function and drained in a different one. Names
of the functions never matter; the queue is known by how it is made or declared.
"""

import re

from cpt.engine.analysis import Hit
from cpt.engine.roles.concurrency_roles import (
    innermost_at,
    last_segment,
    nested_in,
    param_type,
    receiver_of,
    root_of,
    short,
    text_of,
)

_PY_QUEUES = frozenset({"Queue", "SimpleQueue", "LifoQueue", "PriorityQueue", "JoinableQueue"})
_PY_QUEUE_MODULES = ("queue", "asyncio", "multiprocessing", "gevent", "janus")
_PY_PUT, _PY_GET = frozenset({"put", "put_nowait"}), frozenset({"get", "get_nowait"})
_JAVA_QUEUE = re.compile(
    r"\b(BlockingQueue|BlockingDeque|TransferQueue|LinkedBlockingQueue|ArrayBlockingQueue"
    r"|PriorityBlockingQueue|LinkedBlockingDeque|SynchronousQueue|LinkedTransferQueue|DelayQueue"
    r"|ConcurrentLinkedQueue|ConcurrentLinkedDeque)\b")
_JAVA_PUT = frozenset({"put", "offer", "add", "transfer", "offerLast", "putLast"})
_JAVA_GET = frozenset({"take", "poll", "drainTo", "pollFirst", "takeFirst"})
_GO_SEND = re.compile(r"([\w.]+)\s*<-")
_GO_RECEIVE = re.compile(r"<-\s*([\w.]+)|\brange\s+([\w.]+)")
_GO_LOOPS = frozenset({"for_statement"})
_JS_PUT, _JS_GET = frozenset({"push"}), frozenset({"shift"})
_JS_LOOPS = frozenset({"while_statement", "for_statement", "do_statement", "for_in_statement"})


class _Queues:
    """What is known about each queue: where it is made, and who puts and who takes."""

    def __init__(self):
        self.anchors = {}
        self.labels = {}
        self.puts = {}
        self.gets = {}

    def declare(self, key, anchor, label):
        self.anchors.setdefault(key, anchor)
        self.labels.setdefault(key, label)

    def known(self, key):
        return key in self.anchors

    def side(self, key, function, node, putting):
        (self.puts if putting else self.gets).setdefault(key, []).append((function, node))

    def hits(self):
        reported = set()
        for key, puts in self.puts.items():
            for producer, put_node in puts:
                consumer = next((function for function, _ in self.gets.get(key, ())
                                 if function is not producer), None)
                if consumer is None:
                    continue
                pair = (id(producer), id(consumer))
                if pair in reported:
                    break
                reported.add(pair)
                yield Hit(self.anchors.get(key) or put_node, args={
                    "queue": short(self.labels.get(key, key), 40),
                    "producer": _name(producer), "consumer": _name(consumer),
                })
                break


def _name(function):
    return function.qualified_name if function.name != "<lambda>" else "an anonymous function"


def detect(ctx):
    language = ctx.language
    if language == "python":
        return _python(ctx).hits()
    if language == "java":
        return _java(ctx).hits()
    if language == "go":
        return _go(ctx).hits()
    return _javascript(ctx).hits()


def _all_assignments(module):
    yield from module.assignments
    for function in module.functions:
        yield from function.assignments


# Python: queue.Queue, asyncio.Queue, multiprocessing.Queue; put() on one side, get() on the other

def _python(ctx):
    module = ctx.module
    queues = _Queues()
    if not any(item.module.split(".", 1)[0] in _PY_QUEUE_MODULES for item in module.imports):
        return queues
    for assignment in _all_assignments(module):
        value = assignment.value
        head = value.child_by_field_name("function") if value is not None and (
            value.type == "call") else None
        if head is not None and text_of(head).rsplit(".", 1)[-1] in _PY_QUEUES:
            key = last_segment(assignment.target)
            queues.declare(key, value, assignment.target)
    for function in module.functions:
        typed = _python_typed_params(function)
        for key, (param, label) in typed.items():
            queues.declare(key, None, label)
            typed[key] = param
        by_param = {param: key for key, param in typed.items()}
        for call in function.calls:
            putting = call.name in _PY_PUT and bool(call.args)
            getting = call.name in _PY_GET and all(
                arg.type == "keyword_argument" for arg in call.args)
            if not (putting or getting):
                continue
            receiver = receiver_of(call.callee)
            key = by_param.get(receiver) or last_segment(receiver)
            if receiver and queues.known(key):
                queues.side(key, function, call.node, putting)
    return queues


def _python_typed_params(function):
    """Parameters annotated with a queue type, keyed by the type (`q: asyncio.Queue[int]`)."""
    found = {}
    for param in function.params:
        annotation = param.node.child_by_field_name("type") if param.node is not None else None
        if annotation is None:
            continue
        base = text_of(annotation).strip("\"'").split("[", 1)[0].strip()
        if base.rsplit(".", 1)[-1] in _PY_QUEUES:
            found[f":{base}"] = (param.name, base)
    return found


# Java: BlockingQueue and concurrent queues; put/offer on one side, take/poll on the other

def _java(ctx):
    module = ctx.module
    queues = _Queues()
    types = {}
    for assignment in _all_assignments(module):
        if assignment.value_kind == "new" and _JAVA_QUEUE.search(assignment.value_text):
            key = last_segment(assignment.target)
            queues.declare(key, assignment.value, assignment.target)
    for klass in module.classes:
        body = klass.node.child_by_field_name("body") if klass.node is not None else None
        for member in body.named_children if body is not None else ():
            if member.type == "field_declaration":
                _java_typed(queues, types, member, member.child_by_field_name("type"),
                            [d.child_by_field_name("name")
                             for d in member.children_by_field_name("declarator")])
    for function in module.functions:
        for param in function.params:
            if param.node is not None and param.node.type == "formal_parameter":
                _java_typed(queues, types, param.node, param.node.child_by_field_name("type"),
                            [param.node.child_by_field_name("name")])
    for function in module.functions:
        for call in function.calls:
            putting = call.name in _JAVA_PUT
            if not (putting or call.name in _JAVA_GET):
                continue
            key = last_segment(receiver_of(call.callee))
            if not receiver_of(call.callee) or not queues.known(key):
                continue
            queues.side(key, function, call.node, putting)
            if key in types:
                queues.side(types[key], function, call.node, putting)
    return queues


def _java_typed(queues, types, anchor, type_node, names):
    """A field or parameter declared with a queue type: its name, and its type as a key."""
    type_text = text_of(type_node)
    if not _JAVA_QUEUE.search(type_text):
        return
    for name_node in names:
        if name_node is None:
            continue
        name = text_of(name_node)
        queues.declare(name, anchor, name)
        queues.declare(f":{type_text}", anchor, type_text)
        types[name] = f":{type_text}"


# Go: a channel sent to in one function (or goroutine) and drained in a loop in another

def _go(ctx):
    module = ctx.module
    queues = _Queues()
    for assignment in _all_assignments(module):
        text = assignment.value_text
        if text.startswith("make(chan") and not text.startswith(("make(chanstruct{}",
                                                                 "make(chan struct{}")):
            key = last_segment(assignment.target)
            queues.declare(key, assignment.value, assignment.target)
    outermost = [function for function in module.functions
                 if function.node is not None and function.node.type != "func_literal"]
    by_name = {function.name: function for function in outermost}
    inner = {id(function): nested_in(function, module.functions) for function in outermost}
    for function in outermost:
        chan_params = {param.name for param in function.params if _go_chan_param(param)}
        for name in chan_params:
            queues.declare(f"{function.name}:{name}", None, name)
        _go_sides(function, inner[id(function)], queues, chan_params)
    for function in outermost:  # after every function's own sides are known
        _go_passed(function, inner[id(function)], queues, by_name)
    return queues


def _go_chan_param(param):
    kind = param_type(param)
    return kind is not None and kind.type == "channel_type" and "struct{}" not in text_of(kind)


def _go_key(queues, function, name, chan_params):
    if name in chan_params:
        return f"{function.name}:{name}"
    key = last_segment(name)
    return key if queues.known(key) else None


def _go_sides(function, inner, queues, chan_params):
    """Find sends and looping receives in a function's text, confirmed on the tree."""
    node = function.node
    text = text_of(node)
    if "<-" not in text and "range" not in text:
        return
    root = root_of(node)
    base = node.start_byte
    for match in _GO_SEND.finditer(text):
        key = _go_key(queues, function, match.group(1), chan_params)
        start = base + match.start(1)
        target = _go_node(root, start, base + match.end(1))
        if key and target is not None and target.parent is not None and (
                target.parent.type == "send_statement"):
            queues.side(key, innermost_at(inner, start), target.parent, True)
    for match in _GO_RECEIVE.finditer(text):
        group = 1 if match.group(1) else 2
        key = _go_key(queues, function, match.group(group), chan_params)
        start = base + match.start(group)
        target = _go_node(root, start, base + match.end(group))
        if key and target is not None and _go_drains(target):
            queues.side(key, innermost_at(inner, start), target, False)


def _go_node(root, start, end):
    """The identifier or selector that spans exactly [start, end)."""
    node = root.descendant_for_byte_range(start, end)
    while node is not None and node.end_byte < end:
        node = node.parent
    return node


def _go_drains(node):
    """A receive (`<-ch`) inside a loop, or `range ch`: the consumer keeps taking."""
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "range_clause":
        return True
    if parent.type != "unary_expression" or not text_of(parent).startswith("<-"):
        return False
    current = parent.parent
    while current is not None and current.type not in ("func_literal", "function_declaration",
                                                       "method_declaration"):
        if current.type in _GO_LOOPS:
            return True
        current = current.parent
    return False


def _go_passed(function, inner, queues, by_name):
    """`go produce(ch)` and `go consume(ch)`: the callees' sides count for the argument."""
    for unit in inner:
        for call in unit.calls:
            callee = by_name.get(call.callee)
            if callee is None or callee is function:
                continue
            for index, arg in enumerate(call.args):
                if index >= len(callee.params) or not queues.known(last_segment(text_of(arg))):
                    continue
                param_key = f"{callee.name}:{callee.params[index].name}"
                key = last_segment(text_of(arg))
                for side, putting in ((queues.puts, True), (queues.gets, False)):
                    for _, node in list(side.get(param_key, ())):
                        queues.side(key, callee, node, putting)


# JavaScript / TypeScript: an array filled with push() in one function and drained with shift()
# in another, shared through a field (`this.jobs`) or a module-level variable

def _javascript(ctx):
    module = ctx.module
    queues = _Queues()
    top = _js_module_arrays(module)
    for name, anchor in top.items():
        queues.declare(name, anchor, name)
    for function in module.functions:
        klass = _js_class_of(function, module.classes)
        for call in function.calls:
            putting = call.name in _JS_PUT
            if not (putting or (call.name in _JS_GET and not call.args
                                and _js_drains(call.node, function))):
                continue
            receiver = receiver_of(call.callee)
            if receiver.startswith("this.") and receiver.count(".") == 1 and klass is not None:
                key = f"{klass.name}.{receiver[5:]}"
                field = klass.field_named(receiver[5:])
                if field is None or field.value_kind != "list":
                    continue  # only a field that starts as an array is a queue we can see
                queues.declare(key, field.span, receiver)
            elif receiver in top and not _js_shadowed(receiver, function, module.functions):
                key = receiver
            else:
                continue
            queues.side(key, function, call.node, putting)
    return queues


def _js_drains(node, function):
    """A consumer keeps taking: shift() in a loop, or in a callback run by a timer or an event.

    A method that shifts one item and returns it is the queue's own accessor, not a consumer.
    """
    stop = function.node.id if function.node is not None else None
    current = node.parent
    while current is not None and current.id != stop:
        if current.type in _JS_LOOPS:
            return True
        current = current.parent
    holder = function.node.parent if function.node is not None else None
    return holder is not None and holder.type == "arguments"


def _js_module_arrays(module):
    """Module-level variables initialized with an array literal."""
    found = {}
    for assignment in module.assignments:
        value = assignment.value
        declarator = value.parent if value is not None else None
        if (assignment.value_kind == "list" and declarator is not None
                and declarator.type == "variable_declarator" and declarator.parent is not None
                and declarator.parent.parent is not None
                and declarator.parent.parent.type in ("program", "export_statement")):
            found[assignment.target] = value
    return found


def _js_class_of(function, classes):
    start = function.span.start_byte
    best = None
    for klass in classes:
        if klass.span.start_byte <= start < klass.span.end_byte and (
                best is None or klass.span.start_byte >= best.span.start_byte):
            best = klass
    return best


def _js_shadowed(name, function, functions):
    """A local or parameter of the same name in the function or around it hides the global."""
    start, end = function.span.start_byte, function.span.end_byte
    for outer in functions:
        if outer.span.start_byte <= start and outer.span.end_byte >= end:
            if any(param.name == name for param in outer.params):
                return True
            if re.search(rf"\b(?:let|const|var)\s+{re.escape(name)}\b", text_of(outer.node)):
                return True
    return False
