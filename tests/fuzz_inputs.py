"""Hostile inputs for every kind of file and flag Brink reads, and how each attempt ended.

Shared by the small fuzz suite in ``tests/test_fuzz.py`` and the larger budget of
``benchmarks/fuzz.py``. Each ``check_*`` function feeds one generated input to the real reader
or command and classifies the result:

- ``ok``: accepted, and the result is sound (finite numbers, integer codes);
- ``refused``: a one-line error that names the file (or ``command line``) and a place;
- ``traceback: ...``: any other exception (what issue 14 counted as a traceback);
- ``silent: ...``: accepted, but the result is wrong (a non-finite number, a cast code);
- ``unlocated: ...``: refused, but without naming where.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import tempfile
import textwrap
from pathlib import Path

import pandas as pd
from hypothesis import strategies as st
from test_sweep_experiment import EXPERIMENT, WORLD

from brink.cli import main
from brink.errors import BrinkInputError

DATA = Path(__file__).resolve().parents[1] / "data"  # the project's copies, with citations
MID_FILE = DATA / "gml-mid-dyadic-2.03.pre1990.csv"

#: Values that broke readers in issue 14's probe, and their relatives.
NASTY = [
    ".inf", "-.inf", ".nan", "inf", "nan", "1e400", "-1e400", "1e30", "-1", "0", "2.7", "1e-320",
    "1000000000", "99999999999999999999", "-9", "''", "~", "null", "true", "[1, 2]", "{a: 1}",
    "[", "{", "&a x", "*a", "!!python/object/apply:os.system ['true']", "!!binary aGk=",
    "2022-02-30", "'../../escape'", "/etc/passwd", "é", "\u202e", "\x00", "0x10", "1_000",
    "  ", "#", "- a", "? a", "| \n  text", "1" + "0" * 400, "-" + "9" * 400,
]  # fmt: skip
ALIAS_BOMB = "bomb: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"bomb{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 9)}]\n" for k in range(1, 9)
)
DEEP = "deep: " + "[" * 300 + "]" * 300 + "\n"
LOCATED = re.compile(r"^brink: (?P<file>[^:\n]+):(?P<rest>.*)$")


@st.composite
def experiment_texts(draw) -> str:
    """The test suite's experiment file with a value replaced, a line dropped or doubled,
    bytes inserted, or an alias bomb or deep nesting appended."""
    lines = textwrap.dedent(EXPERIMENT).splitlines()
    how = draw(st.sampled_from(["value", "drop", "double", "append", "bytes"]))
    index = draw(st.integers(0, len(lines) - 1))
    if how == "value" and ":" in lines[index]:
        key = lines[index].split(":", 1)[0]
        lines[index] = f"{key}: {draw(st.sampled_from(NASTY))}"
    elif how == "drop":
        del lines[index]
    elif how == "double":
        lines.insert(index, lines[index])
    elif how == "append":
        lines.append(draw(st.sampled_from([ALIAS_BOMB, DEEP, "loop: &l [*l]", "a: <<: {b: 1}"])))
    else:
        noise = draw(st.text(min_size=1, max_size=8))
        position = draw(st.integers(0, len(lines[index])))
        lines[index] = lines[index][:position] + noise + lines[index][position:]
    return "\n".join(lines) + "\n"


@st.composite
def mid_csvs(draw) -> str:
    """The first disputes of the MID file with up to five cells replaced."""
    frame = _mid_head()
    for _ in range(draw(st.integers(1, 5))):
        row = draw(st.integers(0, len(frame) - 1))
        column = draw(st.sampled_from(list(frame.columns[:21])))
        frame.iloc[row, frame.columns.get_loc(column)] = draw(
            st.sampled_from([*NASTY, frame.iloc[row, 1], ""])
        )
    return frame.to_csv(index=False)


_MID_HEAD: list[pd.DataFrame] = []


def _mid_head() -> pd.DataFrame:
    if not _MID_HEAD:
        frame = pd.read_csv(MID_FILE, dtype=str, nrows=40)
        keep = list(dict.fromkeys(frame["dispnum"]))[:5]
        _MID_HEAD.append(frame[frame["dispnum"].isin(keep)].reset_index(drop=True))
    return _MID_HEAD[0].copy()


NUMBERS = st.one_of(
    st.sampled_from(NASTY),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**30), 10**30).map(str),
)


@st.composite
def bdm_csvs(draw) -> bytes:
    """An ``Actor,Capability,Position,Salience`` file of 1–5 actors with hostile cells."""
    rows = ["Actor,Capability,Position,Salience"]
    for k in range(draw(st.integers(1, 5))):
        cells = [draw(st.sampled_from([f"A{k}", "", "A0", "é"]))]
        cells += [draw(NUMBERS) for _ in range(3)]
        rows.append(",".join(cells))
    text = "\n".join(rows) + "\n"
    return _maybe_bytes(draw, text)


@st.composite
def landscape_csvs(draw) -> bytes:
    """A landscape file of 2–4 actors with hostile sizes and propensities."""
    n = draw(st.integers(2, 4))
    names = [f"S{k}" for k in range(n)]
    rows = ["actor,size," + ",".join(names)]
    for k in range(n):
        cells = [names[k], draw(NUMBERS)] + [draw(NUMBERS) for _ in range(n)]
        rows.append(",".join(cells))
    return _maybe_bytes(draw, "\n".join(rows) + "\n")


def _maybe_bytes(draw, text: str) -> bytes:
    data = text.encode("utf-8")
    if draw(st.booleans()):
        position = draw(st.integers(0, len(data)))
        data = data[:position] + draw(st.binary(min_size=1, max_size=4)) + data[position:]
    return data


FLAG_VALUES = st.sampled_from(
    ["0", "-1", "1", "2", "3", "1.5", "inf", "nan", "1e400", "", "abc", "99999999999999", "２"]
)


@st.composite
def run_flags(draw) -> list[str]:
    """``brink run`` flags with hostile values (the scenario is the fast two-state one)."""
    argv = ["run", "classics/fearon_ultimatum", "--no-progress"]
    for flag in ("--runs", "--seed", "--horizon", "--jobs"):
        if draw(st.booleans()):
            argv += [flag, draw(FLAG_VALUES)]
    if draw(st.booleans()):
        name = draw(st.sampled_from(["horizon", "arming", "spiral_hazard", "nope", ""]))
        argv += ["--set", f"{name}={draw(FLAG_VALUES)}"]
    if draw(st.booleans()):
        argv += ["--format", draw(st.sampled_from(["csv", "parquet", "xlsx", ""]))]
    return argv


@st.composite
def classic_flags(draw) -> list[str]:
    """``brink classic tribute`` flags with hostile values, kept small when valid."""
    argv = ["classic", "tribute", "--years", draw(st.sampled_from(["5", "0", "-3", "10"]))]
    argv += ["--populations", draw(st.sampled_from(["1", "0", "-1", "2"]))]
    argv += ["--actors", draw(st.sampled_from(["2", "1", "100000", "5", "-1"]))]
    argv += ["--seed", draw(st.sampled_from(["0", "-1", str(2**130), "7"]))]
    argv += ["--threshold", draw(st.sampled_from(["50", "0", "101", "100"]))]
    return argv


# -- running one attempt ---------------------------------------------------------------------


def _classify_error(error: BrinkInputError, file: str) -> str:
    """``refused`` if the error names a file and a place in it: ``file`` itself, or another
    file that ``file`` names (an experiment's scenario), at a line."""
    where = error.location
    if not where.file or where.file == "<input>":
        return f"unlocated: {error}"
    if file not in str(where.file) and where.line is None:
        return f"unlocated: {error}"
    return "refused"


def check_experiment(text: str) -> str:
    """Read an experiment file (beside the test world scenario) with the real reader."""
    from brink.experiments.sweep.experiment import load_experiment

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "world.yaml").write_text(WORLD, encoding="utf-8")
        path = Path(folder) / "exp.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            experiment = load_experiment(path)
        except BrinkInputError as error:
            return _classify_error(error, "exp.yaml")
        except Exception as error:  # the point: anything else is a traceback
            return f"traceback: {type(error).__name__}: {error}"[:300]
    numbers = [experiment.seed, experiment.replications]
    for factor in experiment.factors:
        numbers += list(factor.bounds)
    if not all(math.isfinite(value) for value in numbers):
        return f"silent: non-finite value accepted {numbers}"
    return "ok"


def check_mid(text: str) -> str:
    """Read a MID file and build its cases with the real retrodiction reader."""
    from brink.experiments.retrodiction.cases import build_cases
    from brink.experiments.retrodiction.data import read_records

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mid.csv"
        path.write_text(text, encoding="utf-8")
        try:
            records = read_records(path)
            cases, skipped = build_cases(records)
        except BrinkInputError as error:
            return _classify_error(error, "mid.csv")
        except Exception as error:
            return f"traceback: {type(error).__name__}: {error}"[:300]
    frame = records.frame
    for case in cases:
        rows = frame[frame["line"] == case.line]
        codes = pd.concat([rows["ccode1"], rows["ccode2"]])
        if not all(math.isfinite(c) and float(c).is_integer() for c in codes):
            return f"silent: case {case.case_id} built from codes {list(codes)}"
    if any(not s.reason for s in skipped):
        return "silent: a record skipped without a reason"
    return "ok"


def check_command(argv: list[str], file: str | None = None) -> str:
    """Run ``brink ARGV`` in this process; classify by exit status and standard error."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except SystemExit as stop:  # argparse: exit 2 with its usage message
        code = stop.code
        if code == 2:
            return "refused"
        return f"traceback: SystemExit {code}"
    except Exception as error:
        return f"traceback: {type(error).__name__}: {error}"[:300]
    lines = [line for line in err.getvalue().splitlines() if line.startswith("brink: ")]
    if code == 0:
        printed = out.getvalue()
        if re.search(r"\b(nan|inf)\b", printed, re.IGNORECASE):
            return "silent: printed a non-finite number with exit 0"
        return "ok"
    if code not in (1, 2):
        return f"traceback: exit status {code}"
    if len(lines) != 1:
        return f"unlocated: {len(lines)} error lines: {err.getvalue()[:200]}"
    match = LOCATED.match(lines[-1])
    expected = file or "command line"
    if code == 2 and (match is None or expected not in match["file"]):
        return f"unlocated: {lines[-1]}"
    return "refused"


def check_classic_file(model: str, data: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{model}.csv"
        path.write_bytes(data)
        return check_command(["classic", model, str(path)], file=f"{model}.csv")


def check_run_flags(argv: list[str]) -> str:
    with tempfile.TemporaryDirectory() as folder:
        return check_command([*argv, "--out", str(Path(folder) / "out")])


# -- the folders a user hands to analyze, view --run and animate ---------------------------------

#: What can happen to a file of a folder Brink wrote: a copy cut short, other bytes, a folder
#: or a FIFO in its place, a table with a column missing or of another type, no rows.
DAMAGES = (
    "junk", "truncate", "empty", "delete", "folder", "fifo", "drop column", "retype column",
    "no rows", "manifest value",
)  # fmt: skip
RUN_FILES = ("manifest.json", "runs.parquet", "steps.parquet", "events.parquet",
             "beliefs.parquet", "fronts.parquet")  # fmt: skip
SWEEP_FILES = ("manifest.json", "design.parquet", "shards", "shards/FIRST", "shards/LAST")
JSON_VALUES = (None, "x", -1, 0, 1.5, [], {}, True, [{}], [{"name": 1}], "complete")

_BASES: dict[str, Path] = {}


def base_folder(kind: str) -> Path:
    """A small finished run folder (``run``) or sweep folder (``sweep``), made once by the
    real commands in a temporary folder that lasts as long as this process."""
    import atexit
    import shutil
    import subprocess
    import sys

    if kind not in _BASES:
        folder = Path(tempfile.mkdtemp(prefix=f"brink-fuzz-{kind}-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        brink = [sys.executable, "-m", "brink"]
        if kind == "run":
            argv = ["run", "classics/fearon_ultimatum", "--runs", "3", "--seed", "1", "-q"]
        else:
            (folder / "world.yaml").write_text(WORLD, encoding="utf-8")
            (folder / "exp.yaml").write_text(textwrap.dedent(EXPERIMENT), encoding="utf-8")
            argv = ["sweep", str(folder / "exp.yaml"), "--jobs", "1", "--no-progress", "-q"]
        subprocess.run([*brink, *argv, "--out", str(folder / kind)], check=True)
        _BASES[kind] = folder / kind
    return _BASES[kind]


@st.composite
def folder_damages(draw, kind: str) -> list[tuple[str, str, int]]:
    """One to three ``(file, damage, k)`` of a run folder (``run``) or a sweep folder
    (``sweep``); ``k`` picks the bytes, the column or the manifest key and value."""
    files = RUN_FILES if kind == "run" else SWEEP_FILES
    return draw(
        st.lists(
            st.tuples(st.sampled_from(files), st.sampled_from(DAMAGES), st.integers(0, 10**6)),
            min_size=1,
            max_size=3,
        )
    )


def damage_folder(folder: Path, damages: list[tuple[str, str, int]]) -> None:
    """Apply ``damages`` (see :func:`folder_damages`) to ``folder``, a copy."""
    import json
    import os
    import random
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    for name, how, k in damages:
        if name.startswith("shards/"):
            shards = (
                sorted((folder / "shards").glob("*.parquet"))
                if (folder / "shards").is_dir()
                else []
            )
            if not shards:
                continue
            name = "shards/" + (shards[0] if name.endswith("FIRST") else shards[-1]).name
        path = folder / name
        if not path.exists() and not path.is_symlink():
            continue
        if how in ("delete", "folder", "fifo"):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
            if how == "folder":
                path.mkdir()
            elif how == "fifo":
                os.mkfifo(path)
            continue
        if path.is_dir() or not path.is_file():
            continue
        data = path.read_bytes()
        if how == "junk":
            path.write_bytes(random.Random(k).randbytes(1 + k % 2000))
        elif how == "truncate":
            path.write_bytes(data[: k % max(1, len(data))])
        elif how == "empty":
            path.write_bytes(b"")
        elif how == "manifest value" and name == "manifest.json":
            try:
                manifest = json.loads(data)
            except ValueError:
                continue
            keys = sorted(manifest)
            manifest[keys[k % len(keys)]] = JSON_VALUES[k % len(JSON_VALUES)]
            path.write_text(json.dumps(manifest), encoding="utf-8")
        elif how in ("drop column", "retype column", "no rows") and path.suffix == ".parquet":
            try:
                table = pq.read_table(path)
            except (OSError, pa.ArrowException):
                continue
            if how == "no rows":
                table = table.slice(0, 0)
            elif table.num_columns:
                index = k % table.num_columns
                if how == "drop column":
                    table = table.remove_column(index)
                else:
                    column = pa.array([str(v) for v in table.column(index).to_pylist()])
                    table = table.set_column(index, table.field(index).name, column)
            pq.write_table(table, path)


def check_folder(command: str, damages: list[tuple[str, str, int]]) -> str:
    """Hand a damaged copy of a folder to ``analyze``, ``view --run`` (its check before
    serving) or ``animate``; classify the result."""
    import argparse
    import shutil

    kind = "sweep" if command == "analyze" else "run"
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / kind
        shutil.copytree(base_folder(kind), folder)
        damage_folder(folder, damages)
        if command == "analyze":
            return check_command(["analyze", str(folder)], file=str(folder))
        if command == "animate":
            out = Path(work) / "a.gif"
            return check_command(["animate", str(folder), "--out", str(out)], file=str(folder))
        from brink.viz.commands import view_environment

        args = argparse.Namespace(
            scenario=None, run_dir=str(folder), params_file=None, host="127.0.0.1", port=0
        )
        try:
            view_environment(args)
        except BrinkInputError as error:
            return _classify_error(error, str(folder))
        except Exception as error:
            return f"traceback: {type(error).__name__}: {error}"[:300]
        return "ok"
