"""The `cpt` command: scan, list and explain elements, and test a team's own elements."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from cpt import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits with our usage code (2) and a clear message."""

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"cpt: error: {message}\n")


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand, each with --help and --version."""
    parser = _Parser(prog="cpt", description="Code Periodic Table: design patterns, smells and "
                     "security anti-patterns in your code, as elements of a periodic table.")
    parser.add_argument("--version", action="version", version=f"cpt {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--version", action="version", version=f"cpt {__version__}")
        return sub

    scan = command("scan", "Scan files and folders and report the elements found.")
    scan.add_argument("paths", nargs="*", type=Path, default=[Path(".")], metavar="PATH")
    scan.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    scan.add_argument("--output", "-o", type=Path, metavar="FILE",
                      help="write the report to FILE instead of standard output")
    scan.add_argument("--select", type=_ids, metavar="IDS",
                      help="comma-separated element ids to report (default: all)")
    scan.add_argument("--ignore", type=_ids, metavar="IDS",
                      help="comma-separated element ids not to report")
    scan.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                      help="worker processes (default: all cores)")
    scan.add_argument("--no-progress", action="store_true", help="no progress bar")
    scan.add_argument("--fail-on", choices=("error", "warning", "info", "hint", "none"),
                      help="lowest severity that makes the exit code 1 (default: warning)")
    fixes = scan.add_mutually_exclusive_group()
    fixes.add_argument("--fix", action="store_true",
                       help="apply every safe fix in place, then report what is left")
    fixes.add_argument("--diff", action="store_true",
                       help="print the safe fixes as a unified diff; change nothing")
    scan.add_argument("--config", type=Path, metavar="FILE",
                      help="use this cpt.toml / pyproject.toml instead of discovering one")
    scan.add_argument("--no-cache", action="store_true",
                      help="analyze every file again; neither read nor write the scan cache "
                           "(kept in the user cache folder, or CPT_SCAN_CACHE_DIR)")

    elements = command("elements", "List the periodic table, or test a team's own elements.")
    elements.add_argument("--format", choices=("text", "json"), default="text")
    element_commands = elements.add_subparsers(dest="elements_command", metavar="SUBCOMMAND",
                                               parser_class=_Parser)
    test = element_commands.add_parser(
        "test", help="Run the annotated fixtures of .cpt/elements (or of PATH).",
        description="Run the annotated fixtures of a team's own elements and report failures.")
    test.add_argument("--version", action="version", version=f"cpt {__version__}")
    test.add_argument("path", nargs="?", type=Path, default=None, metavar="PATH",
                      help="folder holding element folders (default: .cpt/elements above here)")
    test.add_argument("--builtin", action="store_true", help="also test the built-in elements")

    lsp = command("lsp", "Run the language server (stdio by default).")
    lsp.add_argument("--stdio", action="store_true", help="speak over stdin/stdout (default)")
    lsp.add_argument("--tcp", action="store_true", help="listen on TCP instead (for debugging)")
    lsp.add_argument("--host", default="127.0.0.1")
    lsp.add_argument("--port", type=int, default=2087)
    lsp.add_argument("--log-file", type=Path, metavar="FILE", help="also log to FILE")

    index = command("index", "Build or refresh the workspace index (only changed files are "
                    "analyzed again).")
    _workspace_arguments(index)
    index.add_argument("--format", choices=("text", "json"), default="text")

    table = command("table", "Show the workspace's periodic table: every element with its count.")
    _workspace_arguments(table)
    table.add_argument("--format", choices=("text", "json"), default=None,
                       help="print as text (default) or JSON")
    table.add_argument("--html", type=Path, metavar="FILE",
                       help="write a self-contained HTML page (open it in a browser)")
    table.add_argument("--no-refresh", action="store_true",
                       help="show the index as it is, without refreshing it first")

    explain = command("explain", "Print the card of one element.")
    explain.add_argument("element", metavar="ID", help="element id, symbol or name")
    explain.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _workspace_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("path", nargs="?", type=Path, default=Path("."), metavar="PATH",
                     help="workspace root (default: the current folder)")
    sub.add_argument("--db", type=Path, metavar="FILE",
                     help="index file (default: in the user cache folder, keyed by PATH)")
    sub.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                     help="worker processes (default: all cores)")
    sub.add_argument("--no-progress", action="store_true", help="no progress bar")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        if args.command == "scan":
            from .scan_command import scan_command

            return scan_command(args)
        if args.command == "elements":
            from .elements_command import elements_command

            return elements_command(args)
        if args.command == "lsp":
            from .lsp.main import run

            return run(args)
        if args.command == "index":
            from .index_command import index_command

            return index_command(args)
        if args.command == "table":
            from .index_command import table_command

            return table_command(args)
        if args.command == "explain":
            from .elements_command import explain_command

            return explain_command(args)
    except BrokenPipeError:  # `cpt scan | head` is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("cpt: interrupted", file=sys.stderr)
        return 130
    parser.error(f"unknown command {args.command!r}")
    return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "build_parser", "json", "main"]
