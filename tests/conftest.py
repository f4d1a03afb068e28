"""Shared fixtures: one analyzer over the built-in catalog per test session."""

import pytest

from cpt.engine.analysis import Analyzer
from cpt.engine.catalog import builtin_catalog


@pytest.fixture(scope="session")
def catalog():
    return builtin_catalog()


@pytest.fixture(scope="session")
def analyzer(catalog):
    return Analyzer(catalog)


@pytest.fixture(autouse=True, scope="session")
def index_cache(tmp_path_factory):
    """Keep the indexes and scan caches of commands under test out of the user's ~/.cache.

    Subprocesses inherit the environment, so they use the temporary folders too.
    """
    import os

    folder = tmp_path_factory.mktemp("index-cache")
    scans = tmp_path_factory.mktemp("scan-cache")
    previous = {name: os.environ.get(name) for name in ("CPT_INDEX_DIR", "CPT_SCAN_CACHE_DIR")}
    os.environ["CPT_INDEX_DIR"] = str(folder)
    os.environ["CPT_SCAN_CACHE_DIR"] = str(scans)
    yield folder
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
