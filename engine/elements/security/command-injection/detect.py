"""Report shell commands built from non-constant text (and Python's needless shell=True)."""

from cpt.engine.analysis import Hit
from cpt.engine.extract import node_text
from cpt.engine.roles.security_roles import calls_named
from cpt.engine.values import is_constant

_PY_ALWAYS_SHELL = {"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput",
                    "commands.getoutput"}
_PY_SUBPROCESS = {"subprocess.run", "subprocess.call", "subprocess.check_call",
                  "subprocess.check_output", "subprocess.Popen", "run", "call", "check_call",
                  "check_output", "Popen"}
_JS_SHELL = {"exec", "execSync", "child_process.exec", "child_process.execSync", "cp.exec",
             "cp.execSync"}
_JS_SPAWN = {"spawn", "spawnSync", "child_process.spawn", "child_process.spawnSync",
             "execFile", "execFileSync"}
_SHELLS = {'"sh"', '"bash"', '"/bin/sh"', '"/bin/bash"', '"zsh"', '"cmd"', '"cmd.exe"',
           '"powershell"', "'sh'", "'bash'", "'/bin/sh'", "'/bin/bash'"}


# The last segment of every callee looked at: other calls are skipped before any work.
_NAMES = {name.rsplit(".", 1)[-1] for name in
          _PY_ALWAYS_SHELL | _PY_SUBPROCESS | _JS_SHELL | _JS_SPAWN} | {
    "exec", "ProcessBuilder", "Command", "CommandContext"}


def detect(ctx):
    for function, call in calls_named(ctx.module, _NAMES):
        if call.name not in _NAMES:
            continue
        hit = _check(ctx, function, call)
        if hit is not None:
            yield hit


def _check(ctx, function, call):
    if not call.args:
        return None
    first = call.args[0]
    language = ctx.language
    if language == "python":
        if call.callee in _PY_ALWAYS_SHELL:
            return None if is_constant(first, function) else _hit(call)
        if call.callee in _PY_SUBPROCESS and _keyword_true(call, "shell"):
            if is_constant(first, function) and first.type in ("string", "concatenated_string"):
                return Hit(call.span, args={"callee": call.callee}, severity="info",
                           confidence=0.6,
                           message=f"`{call.callee}` runs a constant command through a shell; "
                                   "pass an argv list without shell=True.",
                           data={"constant": True})
            if first.type in ("list", "tuple"):
                return None
            return _hit(call)
        return None
    if language in ("javascript", "typescript"):
        if call.callee in _JS_SHELL:
            return None if is_constant(first, function) else _hit(call)
        if call.callee in _JS_SPAWN and any("shell" in node_text(arg) and "true" in node_text(arg)
                                            for arg in call.args[1:]):
            return None if is_constant(first, function) else _hit(call)
        return None
    if language == "java":
        if call.name == "exec" and ("Runtime" in call.callee or "runtime" in call.callee.lower()):
            return None if first.type == "array_creation_expression" or _constant(
                ctx, first, function) else _hit(call)
        if call.is_new and call.name == "ProcessBuilder" and len(call.args) >= 3:
            if node_text(call.args[0]) in _SHELLS and not _constant(ctx, call.args[2], function):
                return _hit(call)
        return None
    if language == "go":
        if call.callee in ("exec.Command", "exec.CommandContext"):
            args = call.args[1:] if call.callee == "exec.CommandContext" else call.args
            if len(args) >= 3 and node_text(args[0]) in _SHELLS and node_text(args[1]) in (
                '"-c"', '"/c"', '"-Command"'
            ) and not _constant(ctx, args[2], function):
                return _hit(call)
        return None
    return None


def _constant(ctx, node, function):
    """Java and Go: whether a node is constant text.

    Either literal text, or a name bound once outside any function to constant text
    (`static final String CMD = "uptime"`, `const script = "df -h"`) and never reassigned.
    """
    if is_constant(node, function):
        return True
    if node.type != "identifier":
        return False
    name = node_text(node)
    if function is not None and any(param.name == name for param in function.params):
        return False
    outer = [item for item in ctx.module.assignments if item.target == name]
    if len(outer) != 1 or outer[0].value is None or not is_constant(outer[0].value):
        return False
    return not any(item.target in (name, "this." + name) for unit in ctx.module.functions
                   for item in unit.assignments)


def _hit(call):
    return Hit(call.span, args={"callee": call.callee})


def _keyword_true(call, name):
    for arg in call.args:
        if arg.type == "keyword_argument":
            key = arg.child_by_field_name("name")
            value = arg.child_by_field_name("value")
            if key is not None and key.text == name.encode() and value is not None:
                return value.type != "false" and value.text not in (b"False", b"0", b"None")
    return False

