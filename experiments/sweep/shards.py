"""A sweep's results on disk: small Parquet files (shards), each holding a block of runs.

A shard holds the consecutive replications ``first`` to ``last`` of one design point:
``DIR/shards/p<point>_r<first>-<last>.parquet``, or ``p<point>_r<first>.parquet`` when it holds
one run (``.failed.parquet`` when one of its runs raised). Its rows are the runs' rows of the
runs table, with the point, the replication, the factor values and the outcomes of interest as
extra columns. A shard is written under a temporary name and renamed into place, so a file
under a real name is always complete and its name says exactly which runs it holds. The sweep
cuts each point's replications into fixed blocks (:func:`blocks`), so a block done twice (a
worker that died after writing, a resumed sweep) leaves one file. Which runs are done is read
from the file names alone (and, for a shard with a failure, from its ``error`` column); nothing
else is kept in memory.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from brink.experiments.ensemble.output import COLUMN_TYPES
from brink.experiments.sweep.designs import arrow_type
from brink.sim.record import RUN_COLUMNS

if TYPE_CHECKING:
    import pandas as pd


SHARD_DIR = "shards"
OUTCOME_PREFIX = "y."
#: Replications per shard: a sweep cuts each point's replications into blocks of this many.
#: One shard per run costs about 4 ms of Parquet writing on a 15 ms run; a block of ten
#: spreads that over ten runs and still keeps two blocks per worker small in memory.
RUNS_PER_SHARD = 10
_NAME = re.compile(r"^p(\d+)_r(\d+)(?:-(\d+))?(\.failed)?\.parquet$")


def blocks(missing: list[int]) -> list[tuple[int, int]]:
    """Cut a point's missing replications (sorted) into shard blocks ``(first, last)``.

    Blocks never cross a multiple of :data:`RUNS_PER_SHARD` and never span a replication that
    is done, so they depend only on the replication count and on which runs are on disk: two
    blocks never share a run, and a block is the same whenever its runs are all missing.
    """
    found: list[tuple[int, int]] = []
    for replication in missing:
        if (
            found
            and replication == found[-1][1] + 1
            and replication // RUNS_PER_SHARD == found[-1][0] // RUNS_PER_SHARD
        ):
            found[-1] = (found[-1][0], replication)
        else:
            found.append((replication, replication))
    return found


def is_shard_name(name: str) -> bool:
    """Whether ``name`` is a shard's file name (``p0000003_r00010-00019.parquet``)."""
    return bool(_NAME.match(name))


def shard_name(point: int, first: int, last: int | None = None, failed: bool = False) -> str:
    """The file name of the shard of replications ``first`` to ``last`` of ``point``."""
    span = f"r{first:05d}" if last is None or last == first else f"r{first:05d}-{last:05d}"
    return f"p{point:07d}_{span}{'.failed' if failed else ''}.parquet"


#: Arrow type of an outcome's column, by its type (yes/no, number, series).
OUTCOME_TYPES = {
    "binary": pa.bool_(),
    "scalar": pa.float64(),
    "series": pa.list_(pa.float32()),
}


def shard_schema(
    factor_names: tuple[str, ...],
    outcomes: tuple,
    factor_choices: tuple[tuple | None, ...] = (),
) -> pa.Schema:
    """Columns of every shard of a sweep: point, replication, factors (float64, or bool and
    string for yes/no and categorical ones), runs table, outcomes (bool, float64 or a list of
    float32 per run for a series)."""
    choices = factor_choices or (None,) * len(factor_names)
    fields = [pa.field("point", pa.int64()), pa.field("replication", pa.int64())]
    fields += [
        pa.field(name, arrow_type(options))
        for name, options in zip(factor_names, choices, strict=True)
    ]
    fields += [pa.field(name, COLUMN_TYPES[name]) for name in RUN_COLUMNS]
    fields += [pa.field(OUTCOME_PREFIX + spec.name, OUTCOME_TYPES[spec.type]) for spec in outcomes]
    fields.append(pa.field("error", pa.string()))
    return pa.schema(fields)


def write_shard(directory: Path | str, point: int, first: int, last: int, table: pa.Table) -> Path:
    """Write the shard of replications ``first`` to ``last`` atomically (temporary, rename)."""
    failed = table.num_rows > 0 and table.column("error").null_count < table.num_rows
    folder = Path(directory) / SHARD_DIR
    final = folder / shard_name(point, first, last, failed)
    temporary = folder / f".{final.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.partial"
    # uncompressed and without statistics: a shard is a few dozen rows, read whole
    pq.write_table(table, temporary, compression="none", write_statistics=False)
    os.replace(temporary, final)
    return final


def set_aside_unreadable(directory: Path | str) -> list[Path]:
    """Rename shards whose Parquet footer cannot be read (truncated, overwritten) to
    ``.NAME.unreadable``, so a resumed sweep runs their runs again; returns the new names.

    A shard is written under a temporary name and renamed, so only damage from outside (a
    copy cut short, a disk error) makes one unreadable; its runs must not count as done.
    """
    folder = Path(directory) / SHARD_DIR
    moved: list[Path] = []
    if not folder.is_dir():
        return moved
    for name in sorted(os.listdir(folder)):
        if not _NAME.match(name):
            continue
        try:
            pq.read_metadata(folder / name)
        except (OSError, pa.ArrowException):
            target = folder / f".{name}.unreadable"
            os.replace(folder / name, target)
            moved.append(target)
    return moved


def failed_runs(path: Path | str) -> set[int]:
    """The replications of a shard whose run raised (they have an ``error``)."""
    table = pq.read_table(path, columns=["replication", "error"])
    errors = table.column("error").is_valid().to_pylist()
    return {
        replication
        for replication, failed in zip(table.column("replication").to_pylist(), errors, strict=True)
        if failed
    }


def shard_runs(folder: Path, name: str) -> dict[tuple[int, int], bool]:
    """``{(point, replication): failed}`` of the shard ``name`` in ``folder`` (empty if
    ``name`` is not a shard's)."""
    match = _NAME.match(name)
    if not match:
        return {}
    point, first = int(match[1]), int(match[2])
    last = int(match[3]) if match[3] else first
    failed = set()
    if match[4]:
        failed = {first} if first == last else failed_runs(folder / name)
    return {(point, r): r in failed for r in range(first, last + 1)}


def completed(directory: Path | str) -> dict[tuple[int, int], bool]:
    """``{(point, replication): failed}`` for every run with a shard, from the file names
    (and the ``error`` column of a shard with failures among several runs)."""
    folder = Path(directory) / SHARD_DIR
    done: dict[tuple[int, int], bool] = {}
    if not folder.is_dir():
        return done
    with os.scandir(folder) as entries:
        for entry in entries:
            done.update(shard_runs(folder, entry.name))
    return done


def read_shards(
    directory: Path | str, columns: list[str] | None = None, failed: bool | None = None
) -> pd.DataFrame:
    """All shards of a sweep as one frame, sorted by point, replication and dispute.

    Args:
        directory: the sweep's directory.
        columns: columns to read (all when None).
        failed: only failed runs (True), only good ones (False) or both (None).
    """
    folder = Path(directory) / SHARD_DIR
    files = sorted(
        str(folder / name)
        for name in os.listdir(folder)
        # a shard without ".failed" in its name holds no failed run
        if _NAME.match(name) and (failed is not True or name.endswith(".failed.parquet"))
    )
    # imported here, not at the top: a sweep's main process reads shards' names and never
    # needs pandas, which pyarrow.dataset imports too (see Design.table)
    import pandas as pd
    import pyarrow.dataset as ds

    if not files:
        return pd.DataFrame(columns=columns or [])
    try:
        dataset = ds.dataset(files, format="parquet")
        table = dataset.to_table(
            columns=columns,
            filter=None if failed is None else ds.field("error").is_valid() == failed,
        )
    except (OSError, pa.ArrowException) as error:
        from brink.errors import BrinkInputError, Location

        raise BrinkInputError(
            f"a shard cannot be read ({str(error).splitlines()[0]}); run brink sweep … --resume, "
            "which sets unreadable shards aside and runs them again",
            Location(file=str(folder)),
        ) from None
    frame = table.to_pandas()
    order = [name for name in ("point", "replication", "dispute") if name in frame.columns]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)
