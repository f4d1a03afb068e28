"""Report string literals that hold a credential: by the name they are given, or by their shape."""

import math
import re

from cpt.engine.analysis import Hit
from cpt.engine.values import string_content

_NAME = re.compile(
    r"(?i)(^|[_.\-]|[a-z](?=[A-Z]))(pass(word|wd|phrase)?|pwd|secret|token|api[_\-]?key|"
    r"apikey|access[_\-]?key|private[_\-]?key|client[_\-]?secret|auth[_\-]?key|credentials?)"
    r"($|[_\-]|[A-Z])|^(password|secret|token|apikey|api_key|passwd)$"
)
_NOT_A_SECRET_NAME = re.compile(
    r"(?i)(url|uri|file|path|name|field|label|prompt|message|msg|pattern|regex|type|format|"
    r"header|param|key_?id|length|len|hint|placeholder|env|var|endpoint|dir)$"
)
_PLACEHOLDER = re.compile(
    r"(?i)^(|x+|\*+|\.+|-+|changeme|change_me|password|secret|token|none|null|test|example|"
    r"dummy|fake|todo|tbd|your[_\- ].*|<.*>|\$\{.*\}|\{\{.*\}\}|%\(.*\)s|\$[A-Z_]+|process\.env.*)$"
)
_SHAPES = [
    ("AWS access key", re.compile(r"^(AKIA|ASIA)[0-9A-Z]{16}$")),
    ("GitHub token", re.compile(r"^gh[pousr]_[A-Za-z0-9]{36,}$")),
    ("Slack token", re.compile(r"^xox[abprs]-[A-Za-z0-9-]{10,}$")),
    ("Stripe key", re.compile(r"^(sk|rk)_live_[A-Za-z0-9]{16,}$")),
    ("private key", re.compile(r"-----BEGIN (RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY")),
    ("Google API key", re.compile(r"^AIza[0-9A-Za-z_\-]{35}$")),
]


def detect(ctx):
    for assignment in _assignments(ctx.module):
        if assignment.value is None or assignment.value_kind != "string":
            continue
        value = string_content(assignment.value)
        what = _shape(value)
        if what is None:
            target = assignment.target.rsplit(".", 1)[-1].strip("\"'[]")
            if not _NAME.search(target) or _NOT_A_SECRET_NAME.search(target):
                continue
            if not _looks_secret(value):
                continue
            what = "secret"
        yield Hit(assignment.value, args={"target": assignment.target, "what": what})


# One search that any of the shapes matches: most strings match none.
_ANY_SHAPE = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _SHAPES))


def _shape(value):
    if _ANY_SHAPE.search(value) is None:
        return None
    for what, pattern in _SHAPES:
        if pattern.search(value):
            return what
    return None


_WORDS = re.compile(r"^[A-Za-z]+(?:[._\-/:][A-Za-z]+)*$")


def _looks_secret(value):
    if len(value) < 6 or _PLACEHOLDER.match(value.strip()) or any(c.isspace() for c in value):
        return False
    if len(set(value)) < 4:
        return False
    # Words and dotted or dashed names ("lastWeek", "auth.token.header") are labels, not
    # credentials: a name-only finding needs a value that mixes in digits or symbols.
    if _WORDS.match(value):
        return False
    return _entropy(value) >= 2.5


def _entropy(value):
    counts = {char: value.count(char) for char in set(value)}
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def _assignments(module):
    yield from module.assignments
    for function in module.functions:
        yield from function.assignments
