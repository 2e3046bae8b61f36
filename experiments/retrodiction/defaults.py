"""Defaults of ``brink retrodict``, in a module light enough for the CLI to read at start-up."""

DEFAULT_RUNS = 20  # runs per case
DEFAULT_FOLDS = 5  # cross-validation folds of the baselines
