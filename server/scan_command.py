"""`cpt scan`: resolve configuration, run the scan, print the report, choose the exit code."""

from __future__ import annotations

import os
import sys
from argparse import Namespace
from pathlib import Path
from typing import TextIO

from cpt.engine.catalog import load_catalog

from .cli import EXIT_USAGE
from .progress import ProgressBar
from .report import exit_code, render_diff, render_text, write_json, write_sarif
from .scan import ScanResult, SettingsResolver, custom_element_roots, run_scan
from .scan_cache import ScanCache, scan_cache_path


def scan_command(args: Namespace) -> int:
    """Run `cpt scan` and return its exit code."""
    missing = [str(path) for path in args.paths if not path.exists()]
    if missing:
        print(f"cpt: error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    if args.config is not None and not args.config.is_file():
        print(f"cpt: error: config file not found: {args.config}", file=sys.stderr)
        return EXIT_USAGE
    if args.jobs < 0:
        print("cpt: error: --jobs must be 0 (all cores) or more", file=sys.stderr)
        return EXIT_USAGE
    roots = custom_element_roots(args.paths)
    catalog = load_catalog(roots)
    for problem in catalog.problems:
        print(f"cpt: element skipped: {problem}", file=sys.stderr)
    unknown = [item for item in (args.select or []) + (args.ignore or []) if item not in catalog]
    if unknown:
        print(f"cpt: error: unknown element id(s): {', '.join(unknown)} "
              f"(see `cpt elements`)", file=sys.stderr)
        return EXIT_USAGE
    resolver = SettingsResolver(catalog, args.config, args.select, args.ignore)
    # Resolve the configuration of every scanned root first, so a broken file stops the run.
    for path in args.paths:
        resolver(path if path.is_file() else path / "__cpt__")
    if resolver.problems:
        for problem in resolver.problems:
            print(f"cpt: config error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    show_progress = not args.no_progress and sys.stderr.isatty()
    bar = ProgressBar(sys.stderr) if show_progress else None
    jobs = args.jobs or os.cpu_count() or 1

    def skipped(path: str, reason: str) -> None:
        if bar is not None:
            bar.clear()
        print(f"cpt: skipped {path}: {reason}", file=sys.stderr)

    fixing = args.fix or args.diff
    cache = None if args.no_cache or fixing else ScanCache.open(
        scan_cache_path(os.getcwd()), lambda message: print(f"cpt: {message}", file=sys.stderr))
    try:
        result = run_scan(list(args.paths), resolver, jobs,
                          progress=bar.update if bar else None, on_skip=skipped,
                          extra_roots=roots, fixing=fixing, cache=cache)
    finally:
        if cache is not None:
            cache.close()
    if bar is not None:
        bar.clear()
    if resolver.problems:  # configuration found below the scanned roots
        for problem in resolver.problems:
            print(f"cpt: config error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    for error in result.errors:
        print(f"cpt: {error}", file=sys.stderr)
    if args.diff:
        sys.stdout.write(render_diff(result))
        return 1 if result.fixes else 0
    if args.fix:
        for path, (shown, _original, fixed) in sorted(result.fixes.items()):
            Path(path).write_bytes(fixed)
            print(f"cpt: fixed {shown}", file=sys.stderr)
    if args.output is not None:
        with open(args.output, "w", encoding="utf-8") as stream:
            _write_report(args, result, stream)
    else:
        _write_report(args, result, sys.stdout)
    fail_on = args.fail_on or resolver.configured_fail_on() or "warning"
    return exit_code(result, fail_on)


def _write_report(args: Namespace, result: ScanResult, stream: TextIO) -> None:
    """The report in the asked format; JSON and SARIF are streamed (large scans)."""
    if args.format == "json":
        write_json(result, stream)
    elif args.format == "sarif":
        write_sarif(result, stream)
    else:
        color = args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        stream.write(render_text(result, color=color))
