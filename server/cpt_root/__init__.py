"""Code Periodic Table: the recurring patterns of your code as elements of a periodic table."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("code-periodic-table")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
