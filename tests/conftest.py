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
    """Keep the indexes of servers and commands under test out of the user's ~/.cache.

    Subprocesses inherit the environment, so they use the temporary folder too.
    """
    import os

    folder = tmp_path_factory.mktemp("index-cache")
    previous = os.environ.get("CPT_INDEX_DIR")
    os.environ["CPT_INDEX_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("CPT_INDEX_DIR", None)
    else:
        os.environ["CPT_INDEX_DIR"] = previous
