"""One reader for the folders Brink writes and other commands read back.

A run folder (``brink run``; read by ``brink view --run`` and ``brink animate``) and a sweep
folder (``brink sweep``; read by ``brink analyze``) are checked whole before anything starts:
the manifest (finished, of the right kind, with the fields the readers use), and every table
the command will use: present, readable as Parquet (or CSV), with the columns it needs. A
damaged or foreign folder is one located error naming the file and what is wrong, never an
Arrow or pandas exception from deep inside a figure, and never a server that starts on a run
it cannot show.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from brink.errors import BrinkInputError, Location
from brink.experiments.ensemble.output import (
    FORMATS,
    read_complete_manifest,
    read_manifest,
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


def _unreadable(path: Path, error: Exception) -> BrinkInputError:
    kind = "Parquet" if path.suffix == ".parquet" else "CSV"
    return BrinkInputError(
        f"cannot be read as a {kind} table ({type(error).__name__}); the folder is damaged "
        "or not Brink's: write it again",
        Location(file=str(path)),
    )


def _check_columns(frame_columns: Sequence[str], needed: Sequence[str], path: Path) -> None:
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
        raise _unreadable(path, error) from None
    _check_columns(list(frame.columns), needed, path)
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


# -- sweeps ---------------------------------------------------------------------------------------


def _manifest_fields(manifest: dict[str, Any], path: Path) -> None:
    """The fields of a sweep's manifest that ``brink analyze`` reads, each of its type."""

    def bad(what: str) -> BrinkInputError:
        return BrinkInputError(
            f"{what}; not a manifest brink sweep wrote", Location(file=str(path))
        )

    factors, outcomes = manifest.get("factors"), manifest.get("outcomes")
    if not isinstance(factors, list) or not all(isinstance(f, dict) for f in factors):
        raise bad("'factors' is missing or not a list of factors")
    for factor in factors:
        if not isinstance(factor.get("name"), str) or not {"low", "high", "unit"} <= set(factor):
            raise bad("a factor lacks its name, low, high or unit")
        if factor.get("kind", "number") != "number" and not isinstance(factor.get("levels"), list):
            raise bad(f"factor '{factor['name']}' has no list of levels")
    if (
        not isinstance(outcomes, list)
        or not outcomes
        or not all(
            isinstance(o, dict) and isinstance(o.get("name"), str) and "kind" in o and "label" in o
            for o in outcomes
        )
    ):
        raise bad("'outcomes' is missing or not a list of outcomes")
    design = manifest.get("design")
    if not isinstance(design, dict) or not isinstance(design.get("kind"), str):
        raise bad("'design' is missing or has no kind")
    for key in ("root_seed", "points"):
        value = manifest.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise bad(f"'{key}' is missing or not a whole number")


def sweep_manifest(directory: Path | str) -> dict[str, Any]:
    """The manifest of a finished sweep folder, checked; a located error for anything else
    (a folder with no manifest, an unfinished sweep, another command's output)."""
    from brink.experiments.sweep import staging_folder

    directory = Path(directory)
    path = directory / "manifest.json"
    if not path.exists():
        named = directory if directory.name else directory.resolve()
        unfinished = staging_folder(named) if named.name else None  # "/" has no staging
        if unfinished is not None and (unfinished / "manifest.json").exists():
            raise BrinkInputError(
                f"the sweep did not finish (its runs so far are in {unfinished}); finish it "
                "with brink sweep ... --resume",
                Location(file=str(directory)),
            )
        folder_path(directory)
        raise BrinkInputError(
            "not a sweep folder (no manifest.json); give a folder brink sweep wrote",
            Location(file=str(directory)),
        )
    manifest = read_manifest(directory)
    if manifest.get("kind") != "sweep":
        raise BrinkInputError(
            f"not a sweep folder (it holds a Brink {manifest.get('kind') or 'run'} output)",
            Location(file=str(directory)),
        )
    if not str(manifest.get("status", "")).startswith("complete"):
        raise BrinkInputError(
            f"the sweep did not finish (status {manifest.get('status')!r}); finish it with "
            "brink sweep … --resume, then analyze it",
            Location(file=str(path)),
        )
    _manifest_fields(manifest, path)
    return manifest


def read_sweep_design(directory: Path, manifest: dict[str, Any]) -> pd.DataFrame:
    """``design.parquet``: readable, one row per point 0…points−1, a column per factor."""
    import pyarrow.parquet as pq

    from brink.experiments.sweep import DESIGN_FILE

    path = directory / DESIGN_FILE
    if not path.exists():
        raise BrinkInputError("is missing; the sweep folder is incomplete", Location(str(path)))
    regular_file(path)
    try:
        frame = pq.read_table(path).to_pandas()
    except (OSError, pa.ArrowException, ValueError) as error:
        raise _unreadable(path, error) from None
    factors = [factor["name"] for factor in manifest["factors"]]
    _check_columns(list(frame.columns), ["point", *factors], path)
    points = sorted(frame["point"].tolist()) if len(frame) else []
    if points != list(range(int(manifest["points"]))):
        raise BrinkInputError(
            f"holds {len(frame)} design points where the manifest says {manifest['points']}; "
            "the folder is damaged: run the sweep again",
            Location(file=str(path)),
        )
    return frame


def read_sweep_runs(
    directory: Path, manifest: dict[str, Any], outcome_names: list[str]
) -> pd.DataFrame:
    """Every run of the shards: point, replication, seed, factors, error and outcomes (with
    the ``outcome_`` prefix dropped); a located error for no shard, a shard that cannot be
    read, or a run of a point the design does not have."""
    from brink.experiments import shards

    folder = directory / shards.SHARD_DIR
    names = [n for n in os.listdir(folder) if shards.is_shard_name(n)] if folder.is_dir() else []
    if not names:
        raise BrinkInputError(
            "holds no run (no shard in shards/); the sweep folder is incomplete: run the "
            "sweep again",
            Location(file=str(folder)),
        )
    for name in names:
        regular_file(folder / name)
    factors = [factor["name"] for factor in manifest["factors"]]
    columns = ["point", "replication", "seed", "error", *factors]
    columns += [shards.OUTCOME_PREFIX + name for name in outcome_names]
    frame = shards.read_shards(directory, columns=columns)
    if len(frame) and not frame["point"].between(0, int(manifest["points"]) - 1).all():
        raise BrinkInputError(
            "a shard holds runs of a design point the sweep does not have; the folder is "
            "damaged: run the sweep again",
            Location(file=str(folder)),
        )
    frame = frame.drop_duplicates(["point", "replication"]).reset_index(drop=True)
    return frame.rename(columns={shards.OUTCOME_PREFIX + n: n for n in outcome_names})
