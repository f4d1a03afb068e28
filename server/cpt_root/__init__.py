"""Code Periodic Table: the recurring patterns of your code as elements of a periodic table."""

__version__ = "0.1.0"
