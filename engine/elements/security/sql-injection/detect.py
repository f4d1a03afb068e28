"""Report SQL text built by concatenation, formatting or interpolation passed to an execute call."""

import re

from cpt.engine.analysis import Hit
from cpt.engine.roles.security_roles import calls_named
from cpt.engine.values import built_how, resolve

_EXECUTORS = {"execute", "executemany", "executescript", "raw", "query", "exec", "executeQuery",
              "executeUpdate", "executeLargeUpdate", "prepareStatement", "prepareCall",
              "addBatch", "QueryRow", "QueryContext", "QueryRowContext", "ExecContext", "Query",
              "Exec", "Prepare", "PrepareContext", "createQuery", "createNativeQuery", "run",
              "all", "get", "prepare", "unsafe", "$queryRawUnsafe", "$executeRawUnsafe"}
_SQL = re.compile(
    r"\b(select\s[\s\S]*\sfrom|insert\s+into|update\s+\S+\s+set|delete\s+from|drop\s+table|"
    r"create\s+table|alter\s+table|where\s+\S+\s*(=|like|in\b))",
    re.IGNORECASE,
)


def detect(ctx):
    for function, call in calls_named(ctx.module, _EXECUTORS):
        if call.name not in _EXECUTORS or not call.args:
            continue
        argument = call.args[1] if ctx.language == "go" and call.name.endswith("Context") and len(
            call.args) > 1 else call.args[0]
        how = built_how(argument, function)
        if how is None:
            continue
        text = _sql_text(argument, function)
        if not _SQL.search(text):
            continue
        yield Hit(call.span, args={"callee": call.callee, "how": how})


def _sql_text(node, function):
    """The literal text around the value, following a name to its assignment."""
    seen = 0
    while node is not None and node.type == "identifier" and function is not None and seen < 3:
        node = resolve(node, function)
        seen += 1
    if node is None:
        return ""
    return node.text.decode("utf-8", "replace")

