"""Errors a user can make, each with the place it was made.

Every mistake in an input file or on the command line becomes a :class:`BrinkInputError` that
names the file, line, column and key, the value it got and what is allowed. The CLI prints its
one line and exits with status 2; no traceback is shown for a user's mistake
(docs/style.md, Errors).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

EXIT_USAGE = 2
#: Exit status when the machine, not the input, stopped a command (disk full, read-only, ...).
EXIT_FAILURE = 1


@dataclass(frozen=True)
class Location:
    """Where in an input something stands: a file, 1-based line and column, a dotted key path."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        place = self.file or "<input>"
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return place


class BrinkInputError(Exception):
    """A mistake in a scenario, experiment or data file, or on the command line.

    Formats as ``file:line:col: key: message``, the one line the CLI prints.
    """

    def __init__(self, message: str, location: Location | None = None):
        self.message = message
        self.location = location or Location()
        super().__init__(str(self))

    def __reduce__(self):
        # Rebuilt from its parts, so an error raised in a worker process (a rule from outside
        # that fails there) reaches the main process with its location intact.
        return (type(self), (self.message, self.location))

    def __str__(self) -> str:
        prefix = str(self.location)
        if self.location.key:
            return f"{prefix}: {self.location.key}: {self.message}"
        return f"{prefix}: {self.message}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest valid name, or a list of valid names."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    if close:
        return f" (did you mean '{close[0]}'?)"
    if len(options) <= 12:
        return f" (valid: {', '.join(options)})"
    return ""


class BrinkRunError(Exception):
    """Not the user's mistake but the run's: a worker that keeps dying, a machine that fails.

    The CLI prints its one line and exits with status 1 (:data:`EXIT_FAILURE`).
    """
