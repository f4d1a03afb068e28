"""Report code that turns TLS certificate or host name verification off."""

import re

from cpt.engine.analysis import Hit
from cpt.engine.extract import node_text
from cpt.engine.roles.security_roles import (
    guarded_by,
    is_false,
    is_true,
    keyword_argument,
    python_aliases,
    qualified,
)

# Python calls that take `verify=`/`ssl=` for an HTTPS connection (requests, httpx, aiohttp).
_PY_HTTP = {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream",
            "send", "Client", "AsyncClient", "TCPConnector", "ClientSession", "ws_connect",
            "urlopen", "build_opener", "merge_environment_settings", "HTTPAdapter"}
_PY_SWITCHES = ("verify", "ssl", "verify_ssl")
# Files without `_create_unverified_context`, `CERT_NONE` or
# `\b(verify|ssl|verify_ssl)\s*=\s*False` cannot switch verification off through a call.
_BLANKS = frozenset(b" \t\n\r\f\v")  # `\s` of a bytes pattern
_JAVA_VERIFIER_SETTERS = {"setHostnameVerifier", "setDefaultHostnameVerifier",
                          "hostnameVerifier", "setSSLHostnameVerifier"}
_JAVA_TRUST_ALL = ("NoopHostnameVerifier.INSTANCE", "ALLOW_ALL_HOSTNAME_VERIFIER",
                   "TrustAllStrategy.INSTANCE", "InsecureTrustManagerFactory.INSTANCE")
_JAVA_TRUST_ALL_TYPES = {"NoopHostnameVerifier", "AllowAllHostnameVerifier", "TrustAllStrategy"}
_TLS_ENV = "NODE_TLS_REJECT_UNAUTHORIZED"
# Files without any of these bytes have no assignment or declaration the finders look for:
# every name they compare with is written out in the source.
_PY_ASSIGNMENT_TRIGGERS = (b"check_hostname", b"verify", b"_create_default_https_context")
_JS_TRIGGERS = (_TLS_ENV.encode(), b"rejectUnauthorized", b"strictSSL")
_JAVA_TRIGGERS = (b"checkServerTrusted", b"checkClientTrusted", b"verify", b"ostnameVerifier",
                  b"ALLOW_ALL_HOSTNAME_VERIFIER", b"TrustAllStrategy",
                  b"InsecureTrustManagerFactory")
_GO_TRIGGER = b"InsecureSkipVerify"
_QUOTES = "'\"`"
# A branch on the caller's own TLS option implements that option (HTTP clients do).
_OPTION = re.compile(r"(?i)verif|cert_?reqs|insecure|check_?hostname|assert_?hostname|"
                     r"reject_?unauthorized|skip_?verify|ignore_?ssl|ssl_?error|\bssl\b|\btls\b")


def detect(ctx):
    finder = {"python": _python, "javascript": _javascript, "typescript": _javascript,
              "java": _java, "go": _go}.get(ctx.language)
    if finder is None:
        return
    for hit in finder(ctx):
        if hit is not None:
            yield hit


def check(ctx, captures):
    """Query matches (`rejectUnauthorized: false`, `InsecureSkipVerify: true`): offer the flip."""
    node = captures["match"][0]
    value = node.named_children[-1] if node.named_children else None
    if value is None:
        return None
    if ctx.language == "go":
        value = value.named_children[0] if value.named_children else value
        return _hit(node, "`InsecureSkipVerify: true`", value, "false")
    key = node.child_by_field_name("key")
    if key is None:
        return None
    return _hit(node, f"`{node_text(key).strip(_QUOTES)}: false`", value, "true")



def _python(ctx):
    if _py_triggered(ctx.source):  # one scan of the bytes spares most files the calls
        yield from _python_calls(ctx)
    if any(trigger in ctx.source for trigger in _PY_ASSIGNMENT_TRIGGERS):
        yield from _python_assignments(ctx)


def _py_triggered(source):
    """Whether the file may switch verification off through a call (see the triggers above)."""
    if b"_create_unverified_context" in source or b"CERT_NONE" in source:
        return True
    if b"False" not in source or (b"ssl" not in source and b"verify" not in source):
        return False
    at = source.find(b"False")
    while at >= 0:  # the expression read backwards from each `False`: no scan of every byte
        if _switch_set_to(source, at):
            return True
        at = source.find(b"False", at + 1)
    return False


def _switch_set_to(source, at):
    r"""`\b(verify|ssl|verify_ssl)\s*=\s*` ends right before `at`."""
    end = _blanks_before(source, at)
    if end == 0 or source[end - 1] != 0x3D:  # `=`
        return False
    end = _blanks_before(source, end - 1)
    for switch in _PY_SWITCHES:
        start = end - len(switch)
        if start >= 0 and source.startswith(switch.encode(), start) and (
                start == 0 or not _is_word_byte(source[start - 1])):
            return True
    return False


def _blanks_before(source, index):
    while index > 0 and source[index - 1] in _BLANKS:
        index -= 1
    return index


def _is_word_byte(byte):
    r"""`\w` of a bytes pattern: ASCII letters, digits and `_` only."""
    return byte < 128 and (chr(byte).isalnum() or byte == 0x5F)


def _python_calls(ctx):
    aliases = python_aliases(ctx)
    for _, call in ctx.module.all_calls():
        full = qualified(call.callee, aliases)
        if full == "ssl._create_unverified_context":
            replacement = "ssl.create_default_context" if not call.args else None
            callee = call.node.child_by_field_name("function")
            yield _hit(call.node, "`ssl._create_unverified_context()`",
                       callee if replacement and call.callee == full else None, replacement)
            continue
        if call.name in _PY_HTTP:
            for name in _PY_SWITCHES:
                argument = keyword_argument(call, name)
                if argument is not None and is_false(argument.child_by_field_name("value")):
                    yield _hit(argument, f"`{name}=False`",
                               argument.child_by_field_name("value"), "True")
        argument = keyword_argument(call, "cert_reqs")
        if argument is not None and _cert_none(argument.child_by_field_name("value")):
            yield _hit(argument, "`cert_reqs=CERT_NONE`", *_cert_required(
                argument.child_by_field_name("value")))


def _python_assignments(ctx):
    for _, assignment in _assignments(ctx.module):
        attribute = assignment.target.rsplit(".", 1)[-1]
        value = assignment.value
        if value is None:
            continue
        if attribute == "check_hostname" and is_false(value):
            yield _hit(assignment.span, "`check_hostname = False`", value, "True")
        elif attribute == "verify_mode" and _cert_none(value):
            yield _hit(assignment.span, "`verify_mode = CERT_NONE`", *_cert_required(value))
        elif attribute == "verify" and "." in assignment.target and is_false(value):
            yield _hit(assignment.span, f"`{assignment.target} = False`", value, "True")
        elif assignment.target == "ssl._create_default_https_context" and (
                assignment.value_text.endswith("_create_unverified_context")):
            yield _hit(assignment.span, "the default HTTPS context made unverified",
                       value, "ssl.create_default_context")


def _cert_none(node):
    return node is not None and node_text(node).strip("'\"").endswith("CERT_NONE")


def _cert_required(node):
    text = node_text(node)
    return node, text.replace("CERT_NONE", "CERT_REQUIRED")


def _javascript(ctx):
    if not any(trigger in ctx.source for trigger in _JS_TRIGGERS):
        return
    for _, assignment in _assignments(ctx.module):
        target = assignment.target.replace("'", '"')
        value = assignment.value
        if value is None:
            continue
        if target in (f"process.env.{_TLS_ENV}", f'process.env["{_TLS_ENV}"]'):
            if assignment.value_text.strip("'\"`") == "0":
                quote = assignment.value_text[0] if assignment.value_kind == "string" else ""
                yield _hit(assignment.span, f"`{_TLS_ENV}` set to 0", value,
                           f"{quote}1{quote}")
        elif target.endswith((".rejectUnauthorized", ".strictSSL")) and is_false(value):
            yield _hit(assignment.span, f"`{assignment.target} = false`", value, "true")


def _java(ctx):
    if not any(trigger in ctx.source for trigger in _JAVA_TRIGGERS):
        return
    for function in ctx.module.functions:
        what = _java_accepts_all(ctx, function)
        if what:
            yield Hit(function.name_span, args={"what": what})
    for _, call in ctx.module.all_calls():
        if call.is_new and call.name in _JAVA_TRUST_ALL_TYPES:
            yield Hit(call.span, args={"what": f"`new {call.name}()`"})
            continue
        if call.is_new:
            continue
        for arg in call.args:
            text = node_text(arg)
            if text.endswith(_JAVA_TRUST_ALL):
                yield Hit(arg, args={"what": f"`{text}`"})
            elif call.name in _JAVA_VERIFIER_SETTERS and arg.type == "lambda_expression":
                body = arg.child_by_field_name("body")
                if body is not None and _always_true(body):
                    yield Hit(call.span, args={"what": "a host name verifier that returns true"})


def _java_accepts_all(ctx, function):
    """A TrustManager check that throws nothing, or a HostnameVerifier that says yes to all."""
    node = function.node
    body = node.child_by_field_name("body") if node is not None else None
    if body is None or function.name == "<lambda>":
        return None
    params = node.child_by_field_name("parameters")
    params_text = ctx.text(params) if params is not None else ""
    if function.name in ("checkServerTrusted", "checkClientTrusted"):
        if "X509Certificate" in params_text and _empty(body):
            return f"`{function.name}` accepts every certificate"
    elif function.name == "verify" and "SSLSession" in params_text and _always_true(body):
        return "a host name verifier that returns true"
    return None


def _empty(body):
    statements = [child for child in body.named_children
                  if child.type not in ("line_comment", "block_comment")]
    return all(child.type == "return_statement" and not child.named_children
               for child in statements)


def _always_true(body):
    if is_true(body):
        return True
    statements = [child for child in body.named_children
                  if child.type not in ("line_comment", "block_comment")]
    return (len(statements) == 1 and statements[0].type == "return_statement"
            and statements[0].named_children and is_true(statements[0].named_children[0]))


def _go(ctx):
    if _GO_TRIGGER not in ctx.source:
        return
    for _, assignment in _assignments(ctx.module):
        if assignment.target.endswith(".InsecureSkipVerify") and is_true(assignment.value):
            yield _hit(assignment.span, "`InsecureSkipVerify = true`", assignment.value, "false")


def _hit(where, what, node=None, replacement=None):
    """A finding at `where`; None when it sits in a branch on the caller's own TLS option."""
    anchor = where if hasattr(where, "parent") else node
    if anchor is not None and guarded_by(anchor, _OPTION):
        return None
    data = {}
    if node is not None and replacement is not None:
        data["replace"] = [node.start_byte, node.end_byte, replacement]
    return Hit(where, args={"what": what}, data=data)


def _assignments(module):
    for assignment in module.assignments:
        yield None, assignment
    for function in module.functions:
        for assignment in function.assignments:
            yield function, assignment
