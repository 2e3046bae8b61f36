"""Brink's version: the one place it is written (pyproject reads it without importing Brink).

A module of its own, importing nothing, so that the modules that record the version in what
they write (a run's manifest, a retrodiction's summary, the CLI's ``--version``) need not import
the package root, whose ``__getattr__`` imports the Python API on first use: reading it from the
root made an import circle (issue 25).
"""

__version__ = "0.1.0"
