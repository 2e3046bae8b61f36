"""A finished sweep folder read back for ``brink analyze``, checked whole before anything starts:
the manifest (finished, of a sweep, with the fields the analysis reads), the design and every
shard, each readable and with the columns it needs; a damaged or foreign folder is one located
error naming the file (the same checks as a run folder's, :mod:`brink.experiments.ensemble.folder`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from brink.errors import BrinkInputError, Location
from brink.experiments.ensemble.folder import (
    check_columns,
    folder_path,
    regular_file,
    unreadable_table,
)
from brink.experiments.ensemble.output import read_manifest
from brink.experiments.sweep import shards
from brink.experiments.sweep.run import DESIGN_FILE, staging_folder


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
    path = directory / DESIGN_FILE
    if not path.exists():
        raise BrinkInputError("is missing; the sweep folder is incomplete", Location(str(path)))
    regular_file(path)
    try:
        frame = pq.read_table(path).to_pandas()
    except (OSError, pa.ArrowException, ValueError) as error:
        raise unreadable_table(path, error) from None
    factors = [factor["name"] for factor in manifest["factors"]]
    check_columns(list(frame.columns), ["point", *factors], path)
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
