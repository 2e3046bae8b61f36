"""A sweep's results on disk: one small Parquet file (a shard) per run.

Each run writes ``DIR/shards/p<point>_r<replication>.parquet`` (``.failed.parquet`` when the run
raised): the run's rows of the runs table, with the point, the replication, the factor values
and the outcomes of interest as extra columns. A shard is written under a temporary name and
renamed into place, so a file under a real name is always complete, and a run's name is
unique, so a run done twice (a worker that died after writing, a resumed sweep) leaves one file.
Which runs are done is read from the file names alone; nothing else is kept in memory.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from brink.sim.output import COLUMN_TYPES
from brink.sim.record import RUN_COLUMNS

SHARD_DIR = "shards"
OUTCOME_PREFIX = "y."
_NAME = re.compile(r"^p(\d+)_r(\d+)(\.failed)?\.parquet$")


def shard_name(point: int, replication: int, failed: bool = False) -> str:
    """The file name of one run's shard."""
    return f"p{point:07d}_r{replication:05d}{'.failed' if failed else ''}.parquet"


def shard_schema(factor_names: tuple[str, ...], outcome_names: tuple[str, ...]) -> pa.Schema:
    """Columns of every shard of a sweep: point, replication, factors, runs table, outcomes."""
    fields = [pa.field("point", pa.int64()), pa.field("replication", pa.int64())]
    fields += [pa.field(name, pa.float64()) for name in factor_names]
    fields += [pa.field(name, COLUMN_TYPES[name]) for name in RUN_COLUMNS]
    fields += [pa.field(OUTCOME_PREFIX + name, pa.bool_()) for name in outcome_names]
    fields.append(pa.field("error", pa.string()))
    return pa.schema(fields)


def write_shard(directory: Path | str, point: int, replication: int, table: pa.Table) -> Path:
    """Write one run's shard atomically (temporary file, then rename)."""
    failed = table.num_rows > 0 and table.column("error").null_count < table.num_rows
    folder = Path(directory) / SHARD_DIR
    final = folder / shard_name(point, replication, failed)
    temporary = folder / f".{final.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.partial"
    # uncompressed: a shard is a few rows, and compressing it costs more than it saves
    pq.write_table(table, temporary, compression="none")
    os.replace(temporary, final)
    return final


def completed(directory: Path | str) -> dict[tuple[int, int], bool]:
    """``{(point, replication): failed}`` for every run with a shard, from the file names."""
    folder = Path(directory) / SHARD_DIR
    done: dict[tuple[int, int], bool] = {}
    if not folder.is_dir():
        return done
    with os.scandir(folder) as entries:
        for entry in entries:
            match = _NAME.match(entry.name)
            if match:
                done[(int(match[1]), int(match[2]))] = bool(match[3])
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
        if _NAME.match(name) and (failed is None or name.endswith(".failed.parquet") == failed)
    )
    if not files:
        return pd.DataFrame(columns=columns or [])
    dataset = ds.dataset(files, format="parquet")
    frame = dataset.to_table(columns=columns).to_pandas()
    order = [name for name in ("point", "replication", "dispute") if name in frame.columns]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)
