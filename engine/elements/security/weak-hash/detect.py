"""Report MD5 and SHA-1 where they may guard something: passwords, signatures, tokens, integrity.

Clearly non-security uses stay quiet: Python's `usedforsecurity=False`, and hashes whose
result is named (or computed in a function named) as a checksum, cache key, ETag, shard or
bucket; protocols that mandate SHA-1 (the WebSocket handshake) are left alone too.
"""

from cpt.engine.analysis import Hit
from cpt.engine.extract import node_text
from cpt.engine.roles.security_roles import (
    binding_of,
    calls_named,
    go_import_name,
    is_false,
    js_bindings,
    keyword,
    positional,
    python_aliases,
    qualified,
    words,
)
from cpt.engine.values import string_content

_WEAK = {"md5": "MD5", "sha1": "SHA-1", "sha-1": "SHA-1", "sha": "SHA-1"}
_PY_CALLS = {"hashlib.md5": "MD5", "hashlib.sha1": "SHA-1", "Crypto.Hash.MD5.new": "MD5",
             "Crypto.Hash.SHA1.new": "SHA-1", "Crypto.Hash.SHA.new": "SHA-1",
             "Cryptodome.Hash.MD5.new": "MD5", "Cryptodome.Hash.SHA1.new": "SHA-1"}
_PY_CLASSES = {"hashes.MD5": "MD5", "hashes.SHA1": "SHA-1"}  # cryptography's hash objects
_PY_NAMES = {"md5", "sha1", "new", "MD5", "SHA1"}
_JAVA_DIGEST_UTILS = {"md5": "sha256", "md5Hex": "sha256Hex", "sha1": "sha256",
                      "sha1Hex": "sha256Hex", "shaHex": "sha256Hex", "sha": "sha256",
                      "getMd5Digest": "getSha256Digest", "getSha1Digest": "getSha256Digest"}
_JAVA_GUAVA = {"md5": "sha256", "sha1": "sha256"}
_CRYPTO_JS = {"MD5": "SHA256", "SHA1": "SHA256", "HmacMD5": None, "HmacSHA1": None}
# Words that say the digest is an identifier, not a guard.
_NOT_SECURITY = frozenset({
    "checksum", "checksums", "etag", "etags", "cache", "cached", "caching", "dedup", "dedupe",
    "deduplicate", "shard", "bucket", "partition", "gravatar", "avatar", "color", "colour",
    "websocket", "crc", "name", "filename", "index", "label", "slug",
})
_CHAIN = frozenset({"attribute", "call", "member_expression", "call_expression",
                    "method_invocation", "selector_expression", "arguments", "argument_list"})
_CUTS = frozenset({"slice", "substring", "substr", "take"})
_WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def detect(ctx):
    language = ctx.language
    finder = {"python": _python, "javascript": _javascript, "typescript": _javascript,
              "java": _java, "go": _go}.get(language)
    if finder is None:
        return
    stem = ctx.module.path.replace("\\", "/").rsplit("/", 1)[-1].split(".")[0]
    if set(words(stem)) & _NOT_SECURITY:
        return  # cache.js, checksums.py: the whole file is about identifiers
    for function, call, algorithm, edits in finder(ctx):
        if _clearly_not_security(ctx, function, call):
            continue
        yield Hit(call.span, args={"callee": call.callee, "algorithm": algorithm},
                  data={"edits": edits} if edits else {})


def _clearly_not_security(ctx, function, call):
    said = set(words(function.name)) if function is not None else set()
    binding = binding_of(call.node)
    if binding is not None and binding[0] == "assign":
        said.update(words(node_text(binding[1])))
    if said & _NOT_SECURITY or {"content", "md5"} <= said or _truncated(call.node):
        return True
    scope = ctx.text(function.span) if function is not None else ctx.text(call.span)
    return _WEBSOCKET_GUID in scope or "websocket" in scope.lower()


def _truncated(node, limit=6):
    """`md5(x).hexdigest()[:8]`, `.slice(0, 8)`: a short digest names things, it guards nothing."""
    current = node
    for _ in range(limit):
        parent = current.parent
        if parent is None:
            return False
        if parent.type == "subscript" and any(
                child.type == "slice" and child.named_child_count for child in parent.children):
            return True
        if parent.type in ("member_expression", "field_access", "attribute"):
            member = parent.child_by_field_name("property") or parent.child_by_field_name(
                "attribute") or parent.child_by_field_name("field")
            if member is not None and member.text.decode("utf-8", "replace") in _CUTS:
                return True
        if parent.type not in _CHAIN:
            return False
        current = parent
    return False


def _python(ctx):
    aliases = python_aliases(ctx)
    names = _PY_NAMES | {local.rsplit(".", 1)[-1] for local in aliases}
    for function, call in calls_named(ctx.module, names):
        if call.name not in _PY_NAMES and call.callee not in aliases:
            continue
        full = qualified(call.callee, aliases)
        algorithm = _PY_CALLS.get(full) or _PY_CLASSES.get(full.removeprefix(
            "cryptography.hazmat.primitives."))
        if algorithm is None and full != "hashlib.new":
            continue  # before reading the arguments: most imported names hash nothing
        if is_false(keyword(call, "usedforsecurity")):
            continue
        if algorithm is not None:
            edits = _rename_attribute(call, "sha256") if full.startswith("hashlib.") else None
            yield function, call, algorithm, edits
        elif full == "hashlib.new":
            args = positional(call)
            name = _weak_name(args[0]) if args else None
            if name is not None:
                yield function, call, name, _replace_string(args[0], "sha256")


def _javascript(ctx):
    md5_modules, md5_named = js_bindings(ctx, "md5", "blueimp-md5", "sha1", "js-md5", "js-sha1")
    names = {"createHash", "hash", *_CRYPTO_JS}
    names.update(callee.rsplit(".", 1)[-1] for callee in (*md5_modules, *md5_named))
    for function, call in calls_named(ctx.module, names):
        if call.name in ("createHash", "hash") and call.args:
            if call.callee in ("createHash", "crypto.createHash", "crypto.hash") or (
                    call.callee.endswith(".createHash")):
                name = _weak_name(call.args[0])
                if name is not None:
                    yield function, call, name, _replace_string(call.args[0], "sha256")
        elif call.callee.startswith("CryptoJS.") and call.name in _CRYPTO_JS:
            algorithm = "MD5" if "MD5" in call.name else "SHA-1"
            new_name = _CRYPTO_JS[call.name]
            edits = _rename_member(call, new_name) if new_name else None
            yield function, call, algorithm, edits
        elif call.callee in md5_modules or call.callee in md5_named:
            yield function, call, "SHA-1" if "sha1" in call.callee.lower() else "MD5", None


def _java(ctx):
    names = {"getInstance", *_JAVA_DIGEST_UTILS, *_JAVA_GUAVA}
    for function, call in calls_named(ctx.module, names):
        if call.is_new:
            continue
        head = call.callee.rpartition(".")[0]
        if call.name == "getInstance" and head.endswith("MessageDigest") and call.args:
            name = _weak_name(call.args[0])
            if name is not None:
                yield function, call, name, _replace_string(call.args[0], "SHA-256")
        elif head.endswith("DigestUtils") and call.name in _JAVA_DIGEST_UTILS:
            algorithm = "MD5" if "md5" in call.name.lower() else "SHA-1"
            yield function, call, algorithm, _rename_member(
                call, _JAVA_DIGEST_UTILS[call.name])
        elif head.endswith("Hashing") and call.name in _JAVA_GUAVA and not call.args:
            algorithm = "MD5" if call.name == "md5" else "SHA-1"
            yield function, call, algorithm, _rename_member(call, _JAVA_GUAVA[call.name])


def _go(ctx):
    packages = {}
    for path, algorithm in (("crypto/md5", "MD5"), ("crypto/sha1", "SHA-1")):
        name = go_import_name(ctx, path)
        if name is not None:
            packages[name] = algorithm
    if not packages:
        return
    for function, call in calls_named(ctx.module, ("New", "Sum")):
        head, _, name = call.callee.partition(".")
        if head in packages and name in ("New", "Sum"):
            yield function, call, packages[head], None


def _weak_name(node):
    if node.type not in ("string", "string_literal", "interpreted_string_literal"):
        return None
    return _WEAK.get(string_content(node).lower())


def _replace_string(node, name):
    text = node_text(node)
    quote = text[-1] if text and text[-1] in "'\"`" else '"'
    return [[node.start_byte, node.end_byte, f"{quote}{name}{quote}"]]


def _rename_attribute(call, name):
    """Python `module.md5(...)` -> `module.sha256(...)`, when written with the module."""
    function = call.node.child_by_field_name("function")
    attribute = function.child_by_field_name("attribute") if function is not None else None
    if attribute is None or function.type != "attribute":
        return None
    return [[attribute.start_byte, attribute.end_byte, name]]


def _rename_member(call, name):
    """JS/Java `object.member(...)` -> `object.name(...)`."""
    node = call.node
    member = node.child_by_field_name("name")  # Java method_invocation
    if member is None:
        function = node.child_by_field_name("function")  # JS call_expression
        member = function.child_by_field_name("property") if function is not None else None
    if member is None:
        return None
    return [[member.start_byte, member.end_byte, name]]
