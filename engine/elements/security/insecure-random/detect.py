"""Report predictable random numbers that end up in a token, password, key, salt or nonce.

A general-purpose generator is fine for games and sampling; it is a finding only when the
code says what the value is for: the name it is stored under, the key or keyword it is
passed as, or the name of the function that returns it.
"""

import re

from cpt.engine.analysis import Hit
from cpt.engine.extract import node_text
from cpt.engine.roles.security_roles import (
    binding_of,
    calls_named,
    declared_type,
    go_import_name,
    js_bindings,
    mentions,
    python_aliases,
    qualified,
    words,
)

_SECRET_WORDS = frozenset({
    "token", "tokens", "password", "passwords", "passwd", "pwd", "passphrase", "secret",
    "secrets", "salt", "nonce", "csrf", "xsrf", "otp", "totp", "hotp", "apikey", "sessionid",
    "pin", "iv", "credential", "credentials", "cookie",
})
_KEY_QUALIFIERS = frozenset({"api", "secret", "private", "signing", "encryption", "access",
                             "session", "auth", "hmac", "aes", "crypto", "license"})
_CODE_QUALIFIERS = frozenset({"verification", "verify", "reset", "confirmation", "confirm",
                              "activation", "invite", "invitation", "recovery", "auth", "login",
                              "security", "access", "otp", "mfa", "sms", "one"})
_PY_FUNCTIONS = {"random", "randint", "randrange", "choice", "choices", "sample",
                 "getrandbits", "uniform", "randbytes"}
_JAVA_METHODS = {"nextInt", "nextLong", "nextDouble", "nextFloat", "nextBytes", "nextBoolean",
                 "nextGaussian", "ints", "longs"}
_JAVA_UTILS = ("RandomStringUtils", "RandomUtils")
_GO_FUNCTIONS = {"Int", "Intn", "IntN", "Int31", "Int31n", "Int32", "Int32N", "Int63", "Int63n",
                 "Int64", "Int64N", "Uint32", "Uint64", "Float32", "Float64", "Read", "N",
                 "UintN", "Uint64N", "Uint32N"}
_BASE = re.compile(r"^(?:self\.|this\.)?([\w$]+)")


def is_secret_name(text):
    """Whether a name says it holds a secret: `reset_token`, `apiKey`, `otpCode`, `salt`."""
    said = words(text)
    found = set(said)
    if found & _SECRET_WORDS:
        return True
    for first, second in zip(said, said[1:], strict=False):
        if second == "key" and first in _KEY_QUALIFIERS:
            return True
        if second == "code" and first in _CODE_QUALIFIERS:
            return True
        if first == "session" and second in ("id", "key"):
            return True
    return False


def detect(ctx):
    finder = {"python": _python, "javascript": _javascript, "typescript": _javascript,
              "java": _java, "go": _go}.get(ctx.language)
    if finder is None:
        return
    for function, call, outputs in finder(ctx):
        purpose = _purpose(_named(ctx, function), call, outputs)
        if purpose is not None:
            edits = _edits(ctx, call)
            yield Hit(call.span, args={"callee": call.callee, "purpose": purpose},
                      data={"edits": edits} if edits else {})


def _purpose(function, call, outputs):
    """The name that says the value is secret, or None when nothing says so."""
    for node in outputs:  # `rand.Read(salt)`, `random.nextBytes(iv)` fill their argument
        name = node_text(node)
        if is_secret_name(name):
            return name
    binding = binding_of(call.node)
    if binding is None:
        return None
    if binding[0] == "assign":
        target = node_text(binding[1])
        if is_secret_name(target):
            return target
        if function is None or not is_secret_name(_function_name(function)):
            return None
        base = _BASE.match(target.lstrip("("))
        returned = base is not None and any(
            mentions(item.text, [base.group(1)]) for item in function.returns)
        return _function_name(function) if returned else None
    if function is not None and is_secret_name(_function_name(function)):
        return _function_name(function)
    return None


def _named(ctx, function):
    """The function itself, or for a lambda the named function around it."""
    if function is None or function.name != "<lambda>":
        return function
    around = [item for item in ctx.module.functions if item.name != "<lambda>"
              and item.span.start_byte <= function.span.start_byte
              and function.span.end_byte <= item.span.end_byte]
    return max(around, key=lambda item: item.span.start_byte, default=function)


def _function_name(function):
    return function.name if function.name != "<lambda>" else ""


def _picks_existing(call):
    """`random.choice(tokens)` picks one of the tokens the program has; it makes no new one."""
    return bool(call.args) and is_secret_name(node_text(call.args[0]))


def _python(ctx):
    aliases = python_aliases(ctx)
    for function, call in calls_named(ctx.module, _PY_FUNCTIONS):
        if call.name not in _PY_FUNCTIONS:
            continue
        full = qualified(call.callee, aliases)
        if full.rpartition(".")[0] not in ("random", "numpy.random"):
            continue
        if call.name in ("choice", "choices", "sample") and _picks_existing(call):
            continue
        yield function, call, ()


def _javascript(ctx):
    for function, call in calls_named(ctx.module, ("random",)):
        if call.callee == "Math.random":
            yield function, call, ()


def _java(ctx):
    source = None
    verdicts = {}  # receiver -> whether it is a java.util.Random (one regex pass per name)
    for function, call in ctx.module.all_calls():
        if call.is_new:
            continue
        receiver, _, name = call.callee.rpartition(".")
        if call.callee == "Math.random" or receiver.endswith(_JAVA_UTILS):
            yield function, call, ()
            continue
        if name not in _JAVA_METHODS:
            continue
        outputs = call.args[:1] if name == "nextBytes" else ()
        compact = receiver.replace(" ", "")
        if compact.startswith("newRandom(") or compact == "ThreadLocalRandom.current()":
            yield function, call, outputs
            continue
        if not receiver:
            continue
        if receiver not in verdicts:
            source = source if source is not None else ctx.source.decode("utf-8", "replace")
            verdicts[receiver] = _plain_random(source, receiver)
        if verdicts[receiver]:
            yield function, call, outputs


def _plain_random(source, receiver):
    """Whether a Java name holds a `java.util.Random` and not a `SecureRandom`."""
    name = re.escape(receiver.removeprefix("this."))
    return (declared_type(source, receiver, ("Random",))
            and not declared_type(source, receiver, ("SecureRandom",))
            and not re.search(rf"\b{name}\s*=\s*SecureRandom\.", source))


def _go(ctx):
    names = {name for name in (go_import_name(ctx, "math/rand"),
                               go_import_name(ctx, "math/rand/v2")) if name}
    if not names:
        return
    for function, call in calls_named(ctx.module, _GO_FUNCTIONS):
        head, _, name = call.callee.partition(".")
        if head in names and name in _GO_FUNCTIONS:
            yield function, call, call.args[:1] if name == "Read" else ()


def _edits(ctx, call):
    """The mechanical rewrite to a secure generator, when there is one."""
    if ctx.language == "python":
        return _python_edits(ctx, call)
    if ctx.language == "java":
        return _java_edits(ctx, call)
    if ctx.language in ("javascript", "typescript"):
        return _javascript_edits(ctx, call)
    return None


def _javascript_edits(ctx, call):
    """`Math.floor(Math.random() * n)` -> node's `randomInt(n)`, for an integer `n`."""
    floor, bound = _floor_of_random(call.node)
    if floor is None:
        return None
    modules, named = js_bindings(ctx, "crypto", "node:crypto")
    local = next((name for name, export in named.items() if export == "randomInt"), None)
    if local is not None or modules:
        function = local or f"{sorted(modules)[0]}.randomInt"
        return [[floor.start_byte, floor.end_byte, f"{function}({node_text(bound)})"]]
    texts = [(item, ctx.text(item.span)) for item in ctx.module.imports]
    esm = [item for item, text in texts if text.startswith("import")]
    required = [item for item, text in texts if text.startswith("require")]
    if esm:
        line = _line_start(ctx.source, min(item.span.start_byte for item in esm))
        added = 'import { randomInt } from "node:crypto";\n'
    elif required:
        line = _line_start(ctx.source, min(item.span.start_byte for item in required))
        added = 'const { randomInt } = require("crypto");\n'
    else:
        return None  # browser code: crypto.getRandomValues needs more than a rewrite
    return [[floor.start_byte, floor.end_byte, f"randomInt({node_text(bound)})"],
            [line, line, added]]


def _floor_of_random(node):
    """The `Math.floor(Math.random() * n)` around a `Math.random()` call, and its `n`."""
    product = node.parent
    if product is None or product.type != "binary_expression":
        return None, None
    operator = product.child_by_field_name("operator")
    bound = product.child_by_field_name("right")
    if operator is None or operator.type != "*" or product.child_by_field_name("left") != node:
        return None, None
    arguments = product.parent
    floor = arguments.parent if arguments is not None else None
    if floor is None or arguments.type != "arguments" or arguments.named_child_count != 1:
        return None, None
    callee = floor.child_by_field_name("function")
    if callee is None or node_text(callee) != "Math.floor" or bound is None:
        return None, None
    integer = bound.type == "number" and bound.text.isdigit()
    length = bound.type == "member_expression" and node_text(bound).endswith((".length", ".size"))
    return (floor, bound) if integer or length else (None, None)


def _line_start(source, offset):
    return source.rfind(b"\n", 0, offset) + 1


def _python_edits(ctx, call):
    if not call.callee.startswith("random.") or "random" in python_aliases(ctx):
        return None
    args = call.args
    if any(arg.type in ("keyword_argument", "list_splat", "dictionary_splat", "comment")
           for arg in args):
        return None
    replacement = None
    if call.name == "choice" and len(args) == 1:
        replacement = f"secrets.choice({node_text(args[0])})"
    elif call.name == "getrandbits" and len(args) == 1:
        replacement = f"secrets.randbits({node_text(args[0])})"
    elif call.name == "randrange" and len(args) == 1:
        replacement = f"secrets.randbelow({node_text(args[0])})"
    elif call.name == "randint" and len(args) == 2 and all(
            arg.type == "integer" and arg.text.isdigit() for arg in args):
        low, high = (int(arg.text) for arg in args)
        if high < low:
            return None
        replacement = f"secrets.randbelow({high - low + 1})"
        if low:
            replacement = f"{replacement} + {low}"
            parent = call.node.parent
            if parent is None or parent.type not in ("assignment", "return_statement",
                                                       "argument_list", "expression_list"):
                replacement = f"({replacement})"
    if replacement is None or "\n" in replacement:
        return None
    return [[call.span.start_byte, call.span.end_byte, replacement], *_python_import(ctx)]


def _python_import(ctx):
    """`import secrets` before the file's first top-level import, unless it is there."""
    anchor = None
    for item in ctx.module.imports:
        text = ctx.text(item.span)
        if re.match(r"import\s+secrets\b", text):
            return []
        top_level = item.span.start[1] == 0 and "__future__" not in text
        if top_level and (anchor is None or item.span.start_byte < anchor.span.start_byte):
            anchor = item
    if anchor is None:
        return [[0, 0, "import secrets\n"]]
    start = anchor.span.start_byte
    return [[start, start, "import secrets\n"]]


def _java_edits(ctx, call):
    creation = _java_creation(ctx, call)
    if creation is None:
        return None
    type_node = creation.child_by_field_name("type")
    arguments = creation.child_by_field_name("arguments")
    if type_node is None or arguments is None or arguments.named_child_count:
        return None  # a seeded generator is deterministic on purpose (tests, simulations)
    edits = [[type_node.start_byte, type_node.end_byte, "SecureRandom"]]
    imports = [ctx.text(item.span) for item in ctx.module.imports]
    if not any("java.security.SecureRandom" in text or "java.security.*" in text
               for text in imports):
        last = max(ctx.module.imports, key=lambda item: item.span.end_byte, default=None)
        if last is None:
            return None
        edits.append([last.span.end_byte, last.span.end_byte,
                      "\nimport java.security.SecureRandom;"])
    return edits


def _java_creation(ctx, call):
    """The `new Random()` that made the receiver of a call, in this file."""
    function = call.node.child_by_field_name("object")
    if function is None:
        return None
    if function.type == "object_creation_expression":
        return function
    receiver = node_text(function).removeprefix("this.")
    found = [item for item in _all_assignments(ctx.module)
             if item.target.removeprefix("this.") == receiver and item.value is not None
             and item.value.type == "object_creation_expression"]
    if len(found) != 1:
        return None
    type_node = found[0].value.child_by_field_name("type")
    return found[0].value if type_node is not None and type_node.text == b"Random" else None


def _all_assignments(module):
    yield from module.assignments
    for function in module.functions:
        yield from function.assignments
