"""A constant command run through a shell becomes an argv list, and `shell=True` goes away."""

import ast
import shlex

from cpt.engine.fixes import Edit, node_at

TITLE = "Pass an argv list instead of running a shell"

# Text that means something to the shell: splitting it into words would change the command.
_SHELL_SYNTAX = set("|&;<>()$`*?[]{}~#!\\\n")
_SHELL_BUILTINS = {"cd", "export", "source", ".", "set", "unset", "alias", "exit", "exec", "eval",
                   "ulimit", "umask", "read", "type", "command", "builtin", "trap", "wait"}


def fix(analysis, finding):
    if analysis.spec.name != "python" or not finding.data.get("constant"):
        return None
    span = finding.span
    call = node_at(analysis, span.start_byte, span.end_byte, "call")
    arguments = call.child_by_field_name("arguments") if call is not None else None
    if arguments is None or any(child.type == "comment" for child in arguments.children):
        return None  # removing an argument next to a comment could drop the comment
    args = arguments.named_children
    command, shell = args[0] if args else None, _keyword(args, "shell")
    if command is None or shell is None or command.type not in ("string", "concatenated_string"):
        return None
    argv = _argv(command.text.decode("utf-8"))
    if argv is None:
        return None
    quote = '"' if command.text.lstrip(b"rRuU")[:1] == b'"' else "'"
    listed = "[" + ", ".join(_quoted(word, quote) for word in argv) + "]"
    index = args.index(shell)
    if index + 1 < len(args):
        removed = Edit(shell.start_byte, args[index + 1].start_byte, "")  # `shell=True, `
    else:
        removed = Edit(args[index - 1].end_byte, shell.end_byte, "")  # `, shell=True`
    return [Edit(command.start_byte, command.end_byte, listed), removed]


def _keyword(args, name):
    for arg in args:
        if arg.type == "keyword_argument":
            key = arg.child_by_field_name("name")
            if key is not None and key.text == name.encode():
                return arg
    return None


def _argv(literal):
    """Return the words of a constant command, or None when the shell would read more into it."""
    try:
        value = ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        return None
    if not isinstance(value, str) or _SHELL_SYNTAX & set(value):
        return None
    words = shlex.split(value)
    if not words or "=" in words[0] or words[0] in _SHELL_BUILTINS:
        return None  # `FOO=1 cmd` and builtins exist only inside a shell
    return words


def _quoted(word, quote):
    text = repr(word)
    if quote == '"' and text.startswith("'") and '"' not in word:
        text = '"' + text[1:-1] + '"'
    return text
