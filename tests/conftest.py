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
