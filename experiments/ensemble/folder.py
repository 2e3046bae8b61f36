"""A finished run folder read back: one reader for every command that reads what ``brink run``
wrote (``brink view --run``, ``brink animate``, the Python API).

The folder is checked whole before anything starts: the manifest (finished, of a run, with the
fields the readers use), and every table the command will use: present, readable as Parquet
(or CSV), with the columns it needs. A damaged or foreign folder is one located error naming
the file and what is wrong, never an Arrow or pandas exception from deep inside a figure, and
never a server that starts on a run it cannot show. The checks of a file (:func:`folder_path`,
:func:`regular_file`, :func:`check_columns`) serve a sweep folder too
(:mod:`brink.experiments.sweep.folder`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from brink.errors import BrinkInputError, Location
from brink.experiments.ensemble.output import (
    FORMATS,
    read_complete_manifest,
    read_table,
    table_file,
)

#: The columns every reader of a run folder's table needs (the others are optional: runs
#: written by older versions lack some).
RUN_KEYS: dict[str, tuple[str, ...]] = {
    "runs": ("run",),
    "steps": ("run", "step", "state"),
    "events": ("run", "step"),
    "beliefs": ("run", "step"),
    "fronts": ("run", "step"),
}
#: Tables a run folder must hold for a replay or an animation (``brink run`` writes them all).
REPLAY_TABLES = ("runs", "steps", "events")


def folder_path(directory: Path | str) -> Path:
    """``directory`` as a folder that exists, or a located error (a file, nothing, or ``/``
    named where a Brink folder is wanted)."""
    directory = Path(directory)
    where = Location(file=str(directory))
    if not directory.exists():
        raise BrinkInputError("no such folder", where)
    if not directory.is_dir():
        raise BrinkInputError("is not a folder (give the folder Brink wrote)", where)
    return directory


def regular_file(path: Path) -> Path:
    """``path`` if it is a regular file (or a link to one); a located error for a folder, a
    FIFO or a device, whose reading would fail or block."""
    if not path.is_file():
        raise BrinkInputError(
            "is not a regular file; not a table Brink wrote", Location(file=str(path))
        )
    return path


def unreadable_table(path: Path, error: Exception) -> BrinkInputError:
    kind = "Parquet" if path.suffix == ".parquet" else "CSV"
    return BrinkInputError(
        f"cannot be read as a {kind} table ({type(error).__name__}); the folder is damaged "
        "or not Brink's: write it again",
        Location(file=str(path)),
    )


def check_columns(frame_columns: Sequence[str], needed: Sequence[str], path: Path) -> None:
    missing = [name for name in needed if name not in frame_columns]
    if missing:
        raise BrinkInputError(
            f"has no column {', '.join(repr(m) for m in missing)}; not a table Brink wrote "
            "(write the folder again)",
            Location(file=str(path)),
        )


def read_checked_table(
    directory: Path, name: str, needed: Sequence[str], columns: list[str] | None = None
) -> pd.DataFrame:
    """Table ``name`` of a run folder (Parquet or CSV), with the columns ``needed``; a located
    error for a file that is not a readable table or lacks one of them."""
    path = directory / table_file(name, "parquet")
    if not path.exists():
        path = directory / table_file(name, "csv")
    regular_file(path)
    try:
        frame = read_table(directory, name, columns)
    except BrinkInputError:
        raise
    except (OSError, pa.ArrowException, ValueError, UnicodeDecodeError) as error:
        raise unreadable_table(path, error) from None
    check_columns(list(frame.columns), needed, path)
    for key in ("run", "step"):
        if key in needed and len(frame) and not pd.api.types.is_integer_dtype(frame[key]):
            raise BrinkInputError(
                f"column '{key}' holds {frame[key].dtype} values, not whole numbers; not a "
                "table Brink wrote",
                Location(file=str(path)),
            )
    return frame


def read_run_dir(directory: Path | str, required: Sequence[str] = ()) -> dict[str, Any]:
    """A finished run folder written by ``brink run``, every table read and checked.

    Args:
        directory: a folder written by ``brink run``.
        required: tables that must be there (e.g. :data:`REPLAY_TABLES`).

    Returns:
        ``manifest`` (a dict) and each table present (``runs``, ``steps``, ``events``,
        ``beliefs``, ``fronts``) as a data frame.

    Raises:
        BrinkInputError: naming the folder or file: not a finished run, a table missing,
            unreadable, or without the columns its readers use.
    """
    directory = folder_path(directory)
    result: dict[str, Any] = {"manifest": read_complete_manifest(directory)}
    for name, needed in RUN_KEYS.items():
        if any((directory / table_file(name, fmt)).exists() for fmt in FORMATS):
            result[name] = read_checked_table(directory, name, needed)
        elif name in required:
            raise BrinkInputError(
                f"has no {name} table ({table_file(name, 'parquet')}); not a complete run "
                "folder: write it again with brink run",
                Location(file=str(directory)),
            )
    return result
