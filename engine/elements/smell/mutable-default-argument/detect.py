"""Report Python parameters whose default is a mutable container created once."""

from cpt.engine.analysis import Hit

_MUTABLE_CALLS = {"list", "dict", "set", "bytearray", "defaultdict", "collections.defaultdict",
                  "OrderedDict", "collections.OrderedDict", "deque", "collections.deque",
                  "Counter", "collections.Counter"}


def detect(ctx):
    for function in ctx.module.functions:
        for param in function.params:
            if param.default is None:
                continue
            kind = param.default_kind
            if kind == "call":
                callee = ctx.text(param.default).split("(", 1)[0].strip()
                if callee not in _MUTABLE_CALLS:
                    continue
                kind = callee.rsplit(".", 1)[-1]
            elif kind not in ("list", "dict", "set"):
                continue
            yield Hit(param.default, args={"param": param.name, "kind": kind},
                      data={"param": param.name})
