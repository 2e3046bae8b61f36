"""Command-line options read one way in every command: numbers, output paths, parse errors.

Every numeric flag of every command goes through :func:`number` (an ``argparse`` type), which
accepts only finite numbers: ``nan``, ``inf`` and ``1e400`` are refused, as they are in files
(README, Reliability). :func:`output_path` refuses an empty ``--out``, which would otherwise
mean the default folder or the current directory. :class:`BrinkParser` prints argparse's own
errors as the one located line every other mistake gets (``brink: command line: …``), exit 2.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from brink.errors import EXIT_USAGE, BrinkInputError, Location

COMMAND_LINE = "command line"


class BrinkParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, ``brink: command line: …``, exit 2.

    Subcommands' parsers are made of the same class (argparse uses the parent's class), so
    a wrong value of any flag of any command reads the same.
    """

    def error(self, message: str) -> NoReturn:
        print(f"brink: {COMMAND_LINE}: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def parse_number(
    text: str,
    flag: str | None = None,
    *,
    low: float | None = None,
    high: float | None = None,
    whole: bool = False,
) -> float | int:
    """``text`` as a finite number (a whole one if ``whole``) in ``[low, high]``.

    Raises:
        BrinkInputError: located at ``flag`` on the command line, naming the value and what is
            allowed.
    """
    where = Location(file=COMMAND_LINE, key=flag)
    shown = str(text).strip()
    try:
        value: float | int = int(shown) if whole else float(shown)
    except (TypeError, ValueError):
        kind = "whole number" if whole else "number"
        raise BrinkInputError(f"{text!r} is not a {kind}", where) from None
    if not whole and not math.isfinite(value):
        raise BrinkInputError(f"{text!r} is not a finite number", where)
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            allowed = f"at least {_shown(low)}"
        elif low is None:
            allowed = f"at most {_shown(high)}"
        else:
            allowed = f"{_shown(low)}–{_shown(high)}"
        raise BrinkInputError(f"{value} is out of range (use {allowed})", where)
    return value


def _shown(bound: float | None) -> str:
    return str(bound) if isinstance(bound, int) else f"{bound:g}"


def number(
    low: float | None = None, high: float | None = None, *, whole: bool = False
) -> Callable[[str], float | int]:
    """An ``argparse`` type: a finite number (whole if ``whole``) in ``[low, high]``.

    ``type=number(0, 1)`` refuses ``nan``, ``inf``, ``1e400`` and values outside 0–1 with one
    line naming the flag (argparse adds it: ``argument --threshold: 'nan' is not a finite
    number``).
    """

    def parse(text: str) -> float | int:
        try:
            return parse_number(text, low=low, high=high, whole=whole)
        except BrinkInputError as error:
            raise argparse.ArgumentTypeError(error.message) from None

    parse.__name__ = "whole number" if whole else "number"
    return parse


def output_path(text: str) -> Path:
    """An ``argparse`` type for ``--out``: a path, never an empty string (which would silently
    mean the default folder, or the current directory)."""
    if not text.strip():
        raise argparse.ArgumentTypeError(
            "an empty name is not a place to write; give a folder or file name"
        )
    return Path(text)
