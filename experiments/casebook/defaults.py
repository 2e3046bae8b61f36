"""Defaults of ``brink casebook``, importable without pandas or the model (the command line
registers ``casebook`` in every ``brink`` process)."""

#: Runs of each case (the issue's ``brink casebook --runs 500``).
DEFAULT_RUNS = 500
