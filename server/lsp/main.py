"""`cpt lsp`: logging away from stdout, then serve over stdio or TCP."""

from __future__ import annotations

import logging
import sys
from argparse import Namespace


def run(args: Namespace) -> int:
    """Start the language server; returns when the client exits."""
    # A background analysis hands the interpreter back to the event loop within 1 ms (not 5):
    # a keystroke then waits at most that long for it at each step.
    sys.setswitchinterval(0.001)
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if args.log_file is not None:
        handlers.append(logging.FileHandler(args.log_file, encoding="utf-8"))
    logging.basicConfig(level=logging.WARNING, handlers=handlers,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if args.log_file is not None:
        logging.getLogger("cpt").setLevel(logging.INFO)
    if args.tcp:
        from .server import create_server

        create_server().start_tcp(args.host, args.port)
        return 0
    from .fast_start import pre_answer

    widen_pipe(sys.stdout.buffer)

    stdin, answered = pre_answer(sys.stdin.buffer, sys.stdout.buffer)
    from .server import create_server

    server = create_server()
    server.protocol.answered_initialize = answered  # type: ignore[attr-defined]
    server.start_io(stdin)  # type: ignore[arg-type]
    return 0


def widen_pipe(stream) -> None:
    """Let a large publish leave at once instead of waiting for the editor to read it.

    A pipe holds 64 KiB by default: a 300 KB publish (hundreds of diagnostics) would make the
    server wait for several reads of the client before it can take the next keystroke.
    """
    try:
        import fcntl

        fcntl.fcntl(stream.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, OSError, ValueError, AttributeError):
        pass  # not Linux, not a pipe, or over the system's limit: the default size works
