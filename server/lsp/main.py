"""`cpt lsp`: logging away from stdout, then serve over stdio or TCP."""

from __future__ import annotations

import logging
import sys
from argparse import Namespace


def run(args: Namespace) -> int:
    """Start the language server; returns when the client exits."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if args.log_file is not None:
        handlers.append(logging.FileHandler(args.log_file, encoding="utf-8"))
    logging.basicConfig(level=logging.WARNING, handlers=handlers,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if args.log_file is not None:
        logging.getLogger("cpt").setLevel(logging.INFO)
    from .server import create_server

    server = create_server()
    if args.tcp:
        server.start_tcp(args.host, args.port)
    else:
        server.start_io()
    return 0
