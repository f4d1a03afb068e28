"""Report file paths built from request input and opened without a containment check.

Input is followed through the assignments of one function (`name = request.args["f"]`,
`path = os.path.join(ROOT, name)`); a name passed through `basename` / `secure_filename`
is clean, and a function that checks containment anywhere (`startswith`, `is_relative_to`,
`filepath.IsLocal`, a `".."` test, `send_from_directory`) is trusted as a whole.
"""

import re

from cpt.engine.analysis import Hit
from cpt.engine.extract import node_text
from cpt.engine.roles.security_roles import (
    Taint,
    calls_named,
    positional,
    python_aliases,
    qualified,
)

_CLEAN = re.compile(
    r"\b(basename|secure_filename|safe_join|FilenameUtils\s*\.\s*getName|"
    r"getFileName\s*\(\s*\)|filepath\s*\.\s*Base|path\s*\.\s*Base|sanitize\w*)\s*\(|"
    r"\.\s*getName\s*\(\s*\)")
_CONTAINED = re.compile(
    r"(?:startswith|startsWith|HasPrefix|is_relative_to|relative_to|commonpath|IsLocal|"
    r"filepath\s*\.\s*Rel|send_from_directory|ValidPath)\s*\(|['\"]\.\.['\"]")
_PY_SINKS = {"open", "io.open", "codecs.open", "flask.send_file", "os.remove", "os.unlink",
             "os.rmdir", "os.listdir", "os.open", "shutil.rmtree", "shutil.copyfile",
             "pathlib.Path", "django.http.FileResponse", "starlette.responses.FileResponse",
             "fastapi.responses.FileResponse", "aiofiles.open"}
_PY_NAMES = {name.rsplit(".", 1)[-1] for name in _PY_SINKS}
_JS_FS = {"readFile", "readFileSync", "createReadStream", "createWriteStream", "writeFile",
          "writeFileSync", "appendFile", "appendFileSync", "unlink", "unlinkSync", "rm",
          "rmSync", "readdir", "readdirSync", "open", "openSync", "copyFile", "rename"}
_JS_RESPONSES = {"sendFile", "download"}
_GO_SINKS = {"os.Open", "os.OpenFile", "os.ReadFile", "os.Create", "os.WriteFile",
             "os.Remove", "os.RemoveAll", "os.ReadDir", "ioutil.ReadFile", "ioutil.WriteFile",
             "ioutil.ReadDir"}
_JAVA_TYPES = {"File", "FileInputStream", "FileOutputStream", "FileReader", "FileWriter",
               "RandomAccessFile"}
_JAVA_CALLS = {"Paths.get", "Path.of"}
# The last callee segment of every sink of a language: other calls are never looked at.
_NAMES = {
    "python": _PY_NAMES,
    "javascript": _JS_FS | _JS_RESPONSES,
    "typescript": _JS_FS | _JS_RESPONSES,
    "java": _JAVA_TYPES | {name.rsplit(".", 1)[-1] for name in _JAVA_CALLS},
    "go": {name.rsplit(".", 1)[-1] for name in _GO_SINKS} | {"ServeFile"},
}


def detect(ctx):
    sinks = {"python": _python_sinks, "javascript": _javascript_sinks,
             "typescript": _javascript_sinks, "java": _java_sinks, "go": _go_sinks}.get(
        ctx.language)
    if sinks is None:
        return
    aliases = python_aliases(ctx) if ctx.language == "python" else {}
    current = taint = None
    contained = False
    # Function by function, in order: the calls of one function come one after another.
    for function, call in calls_named(ctx.module, _NAMES[ctx.language]):
        if function is None:
            continue  # module-level code handles no request
        if function is not current:
            current, taint, contained = function, None, False
        if contained:
            continue
        paths = sinks(call, aliases)
        if not paths:
            continue
        if taint is None:
            if _CONTAINED.search(ctx.text(function.span)):
                contained = True
                continue
            taint = Taint(ctx, function, _CLEAN)
        text = " ".join(node_text(node) for node in paths)
        if taint.carries(text) and not _CLEAN.search(text):
            yield Hit(call.span, args={"callee": call.callee})


def _python_sinks(call, aliases):
    if call.name not in _PY_NAMES:
        return None
    full = qualified(call.callee, aliases)
    if full not in _PY_SINKS and call.callee not in ("open", "send_file", "FileResponse"):
        return None
    args = positional(call)
    return args[:1]


def _javascript_sinks(call, aliases):
    head, _, name = call.callee.rpartition(".")
    if name in _JS_FS and ("fs" in head.lower() or head == "promises"):
        return call.args[:1]
    if name in _JS_RESPONSES and head in ("res", "response", "reply"):
        if len(call.args) > 1 and "root" in node_text(call.args[1]):
            return None  # Express resolves the path inside `root` and refuses to leave it
        return call.args[:1]
    return None


def _go_sinks(call, aliases):
    if call.callee in _GO_SINKS:
        return call.args[:1]
    if call.callee == "http.ServeFile" and len(call.args) == 3:
        return call.args[2:]
    return None


def _java_sinks(call, aliases):
    if call.is_new and call.name in _JAVA_TYPES:
        return call.args
    if call.callee in _JAVA_CALLS:
        return call.args
    return None
