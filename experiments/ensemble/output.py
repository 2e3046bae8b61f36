"""A run directory on disk: the manifest and the four tables of docs/model.md §8.

``brink run`` writes ``manifest.json``, ``runs``, ``steps``, ``events`` and ``beliefs`` (Parquet
or CSV), ``summary.md`` and ``figures/``. Tables are streamed: each batch of runs becomes one
Parquet row group (or a block of CSV lines), so memory stays flat however many runs there are.
Every file is first written under a temporary name and renamed when complete, so an interrupted
run never leaves a half-written file under a real name.
:func:`brink.experiments.ensemble.folder.read_run_dir` reads a directory back into data frames
for the figures, the browser replay and the sweeps.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import platform
import subprocess
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from brink import safe_output
from brink.errors import BrinkInputError, Location
from brink.sim.record import (
    BELIEF_COLUMNS,
    EVENT_COLUMNS,
    FRONT_COLUMNS,
    RUN_COLUMNS,
    STEP_COLUMNS,
)
from brink.version import __version__

FORMATS = ("parquet", "csv")
MANIFEST = "manifest.json"
SUMMARY = "summary.md"
FIGURES = "figures"

#: The tables of a run directory, in the column order of :mod:`brink.sim.record`.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "runs": RUN_COLUMNS,
    "steps": STEP_COLUMNS,
    "events": EVENT_COLUMNS,
    "beliefs": BELIEF_COLUMNS,
    "fronts": FRONT_COLUMNS,
}

# Arrow type of every declared column. A column the model adds later that is not listed here
# gets the type Arrow infers from its first batch (string when that batch holds only nulls).
_INT = pa.int64()
_FLOAT = pa.float64()
_TEXT = pa.string()
_BOOL = pa.bool_()
COLUMN_TYPES: dict[str, pa.DataType] = {
    "run": _INT,
    "seed": _INT,
    "step": _INT,
    "dispute": _TEXT,
    "challenger": _TEXT,
    "target": _TEXT,
    "outcome": _TEXT,
    "max_level": _INT,
    "challenger_level": _INT,
    "target_level": _INT,
    "war": _BOOL,
    "side_challenger": _TEXT,
    "side_target": _TEXT,
    "duration": _INT,
    "casualties": _FLOAT,
    "demand": _FLOAT,
    "settlement": _FLOAT,
    "sanctions_imposed": _TEXT,
    "end_step": _INT,
    "state": _TEXT,
    "posture": _INT,
    "troops_abroad": _FLOAT,
    "sanctions_cost": _FLOAT,
    "escalation": _FLOAT,
    "escalation_score": _FLOAT,
    "cohesion": _FLOAT,
    "at_war": _BOOL,
    "actor": _TEXT,
    "action": _TEXT,
    "level": _INT,
    "amount": _FLOAT,
    "detail": _TEXT,
    "observer": _TEXT,
    "subject": _TEXT,
    "believed": _FLOAT,
    "true": _FLOAT,
    "war_start_step": _INT,
    "war_days": _FLOAT,
    "war_ongoing": _BOOL,
    "war_end": _TEXT,
    "casualties_challenger": _FLOAT,
    "casualties_target": _FLOAT,
    "control": _FLOAT,
    "day": _FLOAT,
    "forces_challenger": _FLOAT,
    "forces_target": _FLOAT,
    "aid_challenger": _FLOAT,
    "aid_target": _FLOAT,
    "belligerents": _TEXT,
    "aid_donors": _TEXT,
}


def table_file(name: str, fmt: str) -> str:
    """File name of table ``name`` in format ``fmt`` (``runs.parquet``, ``steps.csv``, ...)."""
    return f"{name}.{fmt}"


def rows_to_table(name: str, rows: list[dict[str, Any]], schema: pa.Schema | None = None):
    """Turn row dicts of table ``name`` into an Arrow table.

    Declared columns come first in their declared order, then any column the rows add, in the
    order first seen. With ``schema`` given, the rows are cast to it (a later batch of a stream).
    """
    if schema is None:
        schema = _schema_for(name, rows)
    extra = {key for row in rows for key in row} - set(schema.names)
    if extra:
        raise ValueError(
            f"{name} rows have columns {sorted(extra)} that the first batch did not have"
        )
    columns = {
        field.name: pa.array([row.get(field.name) for row in rows], type=field.type)
        for field in schema
    }
    return pa.table(columns, schema=schema)


def _schema_for(name: str, rows: list[dict[str, Any]]) -> pa.Schema:
    declared = list(TABLE_COLUMNS[name])
    extra: list[str] = []
    for row in rows:
        extra.extend(key for key in row if key not in declared and key not in extra)
    fields = []
    for column in declared + extra:
        kind = COLUMN_TYPES.get(column)
        if kind is None:
            kind = pa.array([row.get(column) for row in rows]).type
            if pa.types.is_null(kind):
                kind = _TEXT
        fields.append(pa.field(column, kind))
    return pa.schema(fields)


class TableWriter:
    """Streams one table to ``directory/name.fmt`` through a temporary file.

    Call :meth:`write` (row dicts) or :meth:`write_table` (Arrow) with batches in order, then
    :meth:`close` to rename the finished file into place, or :meth:`abort` to remove it. Batches
    are gathered into row groups of about ``row_group_rows`` rows, so memory stays bounded.
    """

    def __init__(self, directory: Path, name: str, fmt: str, row_group_rows: int = 100_000):
        if fmt not in FORMATS:
            raise ValueError(f"unknown table format {fmt!r}")
        self.name = name
        self.fmt = fmt
        self.path = Path(directory) / table_file(name, fmt)
        self.temporary = safe_output.temporary_name(self.path)
        self.row_group_rows = row_group_rows
        self.schema: pa.Schema | None = None
        self.rows = 0
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self._writer: pq.ParquetWriter | pa_csv.CSVWriter | None = None

    def write(self, rows: list[dict[str, Any]]) -> None:
        """Append one batch of row dicts."""
        if rows:
            self.write_table(rows_to_table(self.name, rows, self.schema))

    def write_table(self, table: pa.Table) -> None:
        """Append one batch as an Arrow table (cast to the schema of the first batch)."""
        if table.num_rows == 0:
            return
        self.schema, table = _first_schema(self.schema, table, self.name)
        self._pending.append(table)
        self._pending_rows += table.num_rows
        self.rows += table.num_rows
        if self._pending_rows >= self.row_group_rows:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        if self._writer is None:
            self._writer = self._open(self.schema)
        self._writer.write_table(pa.concat_tables(self._pending))
        self._pending = []
        self._pending_rows = 0

    def _open(self, schema: pa.Schema):
        if self.fmt == "parquet":
            return pq.ParquetWriter(self.temporary, schema, compression="zstd")
        return pa_csv.CSVWriter(self.temporary, schema)

    def close(self) -> Path:
        """Finish the file and move it to its real name; an empty table still gets its header."""
        if self.schema is None:
            self.schema = _schema_for(self.name, [])
        self._flush()
        if self._writer is None:
            self._writer = self._open(self.schema)
        self._writer.close()
        os.replace(self.temporary, self.path)
        return self.path

    def abort(self) -> None:
        """Drop the partial file (after an error or an interruption)."""
        self._pending = []
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
        self.temporary.unlink(missing_ok=True)


class TableCollector:
    """Keeps one table in memory, batch by batch, with :class:`TableWriter`'s schema rules.

    What ``brink.run`` uses instead of a file: :meth:`close` returns the whole Arrow table,
    the same table :class:`TableWriter` would have written.
    """

    def __init__(self, name: str):
        self.name = name
        self.schema: pa.Schema | None = None
        self.rows = 0
        self._batches: list[pa.Table] = []

    def write_table(self, table: pa.Table) -> None:
        """Append one batch (cast to the schema of the first batch)."""
        if table.num_rows == 0:
            return
        self.schema, table = _first_schema(self.schema, table, self.name)
        self._batches.append(table)
        self.rows += table.num_rows

    def close(self) -> pa.Table:
        """The whole table; an empty one still has its columns."""
        if self.schema is None:
            self.schema = _schema_for(self.name, [])
        if not self._batches:
            return self.schema.empty_table()
        return pa.concat_tables(self._batches)

    def abort(self) -> None:
        """Drop what was kept (after an error or an interruption)."""
        self._batches = []


def _first_schema(
    schema: pa.Schema | None, table: pa.Table, name: str
) -> tuple[pa.Schema, pa.Table]:
    """The stream's schema (the first batch's) and the batch cast to it."""
    if schema is None:
        return table.schema, table
    if table.schema != schema:
        table = _conform(table, schema, name)
    return schema, table


def _conform(table: pa.Table, schema: pa.Schema, name: str) -> pa.Table:
    extra = set(table.column_names) - set(schema.names)
    if extra:
        raise ValueError(
            f"{name} rows have columns {sorted(extra)} that the first batch did not have"
        )
    columns = [
        table.column(field.name).cast(field.type)
        if field.name in table.column_names
        else pa.nulls(table.num_rows, field.type)
        for field in schema
    ]
    return pa.table(columns, schema=schema)


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a fresh temporary file in the same directory."""
    safe_output.write_text_atomic(path, text)


def read_table(directory: Path | str, name: str, columns: list[str] | None = None):
    """Read one table of a run directory (Parquet or CSV) into a data frame.

    CSV is read with the same column types as Parquet, so both formats give equal frames.
    """
    directory = Path(directory)
    parquet = directory / table_file(name, "parquet")
    text = directory / table_file(name, "csv")
    if parquet.exists():
        return pq.read_table(parquet, columns=columns).to_pandas()
    if text.exists():
        with open(text, newline="", encoding="utf-8") as handle:
            names = next(csv.reader(handle), [])
        types = {column: COLUMN_TYPES[column] for column in names if column in COLUMN_TYPES}
        options = pa_csv.ConvertOptions(
            column_types=types,
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
            include_columns=columns,
        )
        return pa_csv.read_csv(text, convert_options=options).to_pandas()
    raise BrinkInputError(
        f"no {name} table here (expected {parquet.name} or {text.name})",
        Location(file=str(directory)),
    )


def read_manifest(directory: Path | str) -> dict[str, Any]:
    """The manifest of a run or sweep directory, or a located error when there is none."""
    path = Path(directory) / MANIFEST
    where = Location(file=str(path))
    if not path.exists():
        raise BrinkInputError(
            "not a Brink run directory (no manifest.json)", Location(file=str(directory))
        )
    if not path.is_file():  # a folder, a FIFO or a device would block or fail the read
        raise BrinkInputError("is not a regular file; not a Brink manifest", where)
    try:
        if path.stat().st_size > 50_000_000:
            raise BrinkInputError("larger than 50,000,000 bytes; not a Brink manifest", where)
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BrinkInputError("not a Brink manifest (not JSON text)", where) from None
    if not isinstance(manifest, dict):
        raise BrinkInputError("not a Brink manifest (not a JSON object)", where)
    return manifest


def read_complete_manifest(directory: Path | str) -> dict[str, Any]:
    """The manifest of a finished run directory; a located error for one that did not finish.

    A run that was interrupted, or is still being written, leaves ``status`` other than
    ``complete``: its tables may be missing or belong to another run, so nothing reads them.
    """
    manifest = read_manifest(directory)
    status = manifest.get("status")
    if status != "complete" or safe_output.manifest_kind(manifest) != "run":
        what = (
            f"a Brink {manifest.get('kind')} directory, not a run's"
            if safe_output.manifest_kind(manifest) != "run"
            else f"its run did not complete (status {status!r}); run it again"
        )
        raise BrinkInputError(what, Location(file=str(Path(directory) / MANIFEST)))
    return manifest


def file_sha256(path: Path | str) -> str:
    """SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def git_commit() -> str | None:
    """The commit of the Brink checkout this code runs from, with ``+dirty`` if edited."""
    root = Path(__file__).resolve().parent.parent
    if not (root / ".git").exists():
        return None
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{commit}+dirty" if status else commit


def software_versions() -> dict[str, str]:
    """Versions of Brink, Mesa, Python and the libraries whose numbers a run depends on."""
    from importlib.metadata import version

    import numpy

    return {
        "brink": __version__,
        "mesa": version("mesa"),  # read without importing Mesa into the driver
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "pandas": version("pandas"),  # read without importing pandas
        "pyarrow": pa.__version__,
    }


def now_iso() -> str:
    """The current time in UTC, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def run_identity(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """What makes two run directories the same run: scenario, parameters, seeds, format."""
    return {
        key: manifest.get(key)
        for key in ("scenario_sha256", "parameters", "root_seed", "runs", "format")
    }


def write_manifest(directory: Path, manifest: Mapping[str, Any]) -> Path:
    """Write ``manifest.json`` atomically."""
    path = Path(directory) / MANIFEST
    write_text_atomic(path, json.dumps(manifest, indent=2, sort_keys=False) + "\n")
    return path
