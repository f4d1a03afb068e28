"""Promises the repository makes to a new user and to the next developer."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands():
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_starts_with_exactly_two_commands_and_ci_runs_the_second():
    install_and_scan, install_and_test = readme_commands()[:2]
    assert "cpt scan" in install_and_scan and "pip install" in install_and_scan
    assert install_and_test.endswith("pytest")
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert install_and_test in ci_lines


def test_engine_imports_no_server_side_library():
    forbidden = {"pygls", "lsprotocol", "grpc", "sqlite3", "sqlite_utils", "cpt.server"}
    for path in (ROOT / "engine").rglob("*.py"):
        if "fixtures" in path.parts:
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not any(name == f or name.startswith(f + ".") for f in forbidden), (
                    f"{path.relative_to(ROOT)} imports {name}")


def test_every_extraction_query_compiles_for_its_grammar():
    from cpt.engine.catalog import compile_query
    from cpt.engine.languages import LANGUAGES

    for name, spec in LANGUAGES.items():
        compile_query(name, spec.queries_file.read_text())


def test_every_builtin_element_query_compiles_for_its_grammars():
    """Built-in element queries are not compiled at load (start-up time); this compiles them."""
    from cpt.engine.catalog import builtin_catalog, compile_query

    checked = 0
    for element in builtin_catalog():
        for language, text in element.queries.items():
            compile_query(language, text)
            if language == "typescript":
                compile_query("tsx", text)  # typescript.scm also serves TSX
            checked += 1
    assert checked >= 30
