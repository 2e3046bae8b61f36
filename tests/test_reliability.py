"""Issue 23's cases, each one: a located one-line error and exit 2 (or a correct result),
nothing of the user's changed, nothing left behind.

The sweep and run folders are made once per module by the real commands; each test copies what
it damages.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_sweep_experiment import EXPERIMENT, WORLD

from brink.cli import main

BRINK = [sys.executable, "-m", "brink"]
SCENARIO = "classics/fearon_ultimatum"


def cli(*argv: str) -> tuple[int, str, str]:
    """``brink ARGV`` in this process: exit status, standard output, standard error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as stop:
            code = stop.code
    return int(code or 0), out.getvalue(), err.getvalue()


def refused(*argv: str, where: str = "command line") -> str:
    """Run ``brink ARGV``; assert exit 2 with one ``brink: WHERE…`` line; return the line."""
    code, _out, err = cli(*argv)
    lines = [line for line in err.splitlines() if line.startswith("brink: ")]
    assert code == 2, err
    assert "Traceback" not in err
    assert len(lines) == 1 and lines[0].startswith(f"brink: {where}"), err
    return lines[0]


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sweep")
    (folder / "world.yaml").write_text(WORLD, encoding="utf-8")
    (folder / "exp.yaml").write_text(textwrap.dedent(EXPERIMENT), encoding="utf-8")
    out = folder / "sw"
    argv = ["sweep", folder / "exp.yaml", "--out", out, "--jobs", "1", "--no-progress", "-q"]
    subprocess.run([*BRINK, *map(str, argv)], check=True)
    return out


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """Three runs of at most five days: the animate tests draw every frame (one of them twice),
    and what they check does not depend on the run's length (31 frames took 21 s a drawing)."""
    out = tmp_path_factory.mktemp("run") / "r"
    words = ["run", SCENARIO, "--runs", "3", "--seed", "1", "--horizon", "5", "--out", str(out)]
    subprocess.run([*BRINK, *words, "-q"], check=True)
    return out


def copy_of(folder: Path, tmp_path: Path) -> Path:
    target = tmp_path / folder.name
    shutil.copytree(folder, target)
    return target


# -- one numeric-option parser: no NaN, no inf, anywhere ------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400", "NaN", "x"])
@pytest.mark.parametrize(
    "flags",
    [
        ["--prim", "war", "--threshold"],
        ["--robust", "deployments.tripwire.troops", "--satisficing"],
        ["--min-coverage"],
    ],
)
def test_analyze_refuses_a_number_that_is_not_finite(sweep_dir, tmp_path, flags, value):
    copy = copy_of(sweep_dir, tmp_path)
    line = refused("analyze", copy, *flags, value)
    assert flags[-1] in line
    assert not (copy / "analysis.md").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["animate", "DIR", "--out", "a.gif", "--fps", "nan"],
        ["animate", "DIR", "--out", "a.gif", "--fps", "inf"],
        ["view", "--port", "nan"],
        ["classic", "tribute", "--years", "1e400"],
        ["classic", "bdm", "ec_1992", "--rounds", "inf"],
        ["sweep", "tripwire", "--replications", "nan"],
        ["run", SCENARIO, "--runs", "nan"],
        ["run", SCENARIO, "--seed", "inf"],
    ],
)
def test_every_command_refuses_a_number_that_is_not_finite(argv, tmp_path):
    line = refused(*[str(tmp_path) if a == "DIR" else a for a in argv])
    assert argv[-2] in line


def test_analyze_refuses_the_same_factor_twice_for_the_heat_map(sweep_dir, tmp_path):
    copy = copy_of(sweep_dir, tmp_path)
    name = "alliances.PACT.reliability"
    line = refused("analyze", copy, "--pair", name, name)
    assert "--pair" in line and "twice" in line
    assert not (copy / "analysis.md").exists() and not (copy / "tables").exists()


@pytest.mark.parametrize("command", ["run", "casebook", "retrodict", "sweep", "animate"])
def test_an_empty_out_is_refused_not_the_default_folder(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = {
        "run": [SCENARIO],
        "casebook": [],
        "retrodict": ["x.csv"],
        "sweep": ["tripwire"],
        "animate": ["DIR"],
    }[command]
    line = refused(command, *first, "--out", "")
    assert "--out" in line
    assert list(tmp_path.iterdir()) == []


# -- one reader for a run folder and a sweep folder -----------------------------------------------


def test_analyze_of_the_root_folder_is_a_located_error():
    line = refused("analyze", "/", where="/")
    assert "not a sweep folder" in line


def test_analyze_of_a_sweep_whose_shards_are_gone(sweep_dir, tmp_path):
    copy = copy_of(sweep_dir, tmp_path)
    for shard in (copy / "shards").iterdir():
        shard.unlink()
    line = refused("analyze", copy, where=str(copy / "shards"))
    assert "no run" in line
    assert not (copy / "analysis.md").exists()


@pytest.mark.parametrize("name", ["design.parquet", "manifest.json"])
def test_analyze_of_a_sweep_with_a_corrupt_file(sweep_dir, tmp_path, name):
    copy = copy_of(sweep_dir, tmp_path)
    (copy / name).write_text("garbage\n")
    refused("analyze", copy, where=str(copy / name))
    assert not (copy / "analysis.md").exists()


def test_view_run_refuses_a_junk_table_before_it_serves(run_dir, tmp_path):
    """It started serving a run folder whose runs.parquet was junk (the page then failed)."""
    copy = copy_of(run_dir, tmp_path)
    (copy / "runs.parquet").write_text("junk\n")
    line = refused("view", "--run", copy, "--port", "0", where=str(copy / "runs.parquet"))
    assert "cannot be read" in line


@pytest.mark.parametrize("table", ["steps", "events", "runs"])
def test_animate_refuses_a_table_without_its_columns(run_dir, tmp_path, table):
    import pyarrow.parquet as pq

    copy = copy_of(run_dir, tmp_path)
    path = copy / f"{table}.parquet"
    pq.write_table(pq.read_table(path).drop_columns(["run"]), path)
    line = refused("animate", copy, "--out", tmp_path / "a.gif", where=str(path))
    assert "'run'" in line
    assert not (tmp_path / "a.gif").exists()


def test_a_fifo_in_place_of_a_table_is_refused_not_waited_on(run_dir, tmp_path):
    import os

    copy = copy_of(run_dir, tmp_path)
    (copy / "steps.parquet").unlink()
    os.mkfifo(copy / "steps.parquet")
    refused("animate", copy, "--out", tmp_path / "a.gif", where=str(copy / "steps.parquet"))


# -- figures and reports with few cases -----------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3])
def test_the_calibration_figure_draws_one_to_three_cases_with_undefined_forecasts(n):
    """``s must be float, but has type object`` with one to three usable cases: forecasts a
    recalibration could not fit (NaN) left every bin empty."""
    import math

    import pandas as pd

    from brink.experiments.retrodiction.figure import calibration_figure

    cases = pd.DataFrame(
        {
            "observed_war": [True, False, True][:n],
            "p_war": [0.2, 0.7, 0.5][:n],
            "p_war_recalibrated": [math.nan] * n,
            "p_war_logistic": [0.5, math.inf, math.nan][:n],
            "p_war_base_rate": [0.5] * n,
        }
    )
    figure = calibration_figure(cases)
    top = figure.axes[0]
    labels = [t.get_text() for t in top.get_legend().get_texts()]
    assert "crisis model" in labels and "base rate (CV)" in labels
    assert "model, recalibrated out of fold" not in labels  # nothing finite to show


def test_a_figure_with_no_forecast_at_all_says_so():
    import math

    import pandas as pd

    from brink.experiments.retrodiction.figure import calibration_figure

    figure = calibration_figure(pd.DataFrame({"observed_war": [True], "p_war": [math.nan]}))
    assert any("no case" in t.get_text() for t in figure.axes[0].texts)


def test_retrodict_with_one_case_writes_its_report(tmp_path):
    data = Path(__file__).resolve().parents[1] / "data" / "gml-mid-dyadic-2.03.pre1990.csv"
    one = tmp_path / "one.csv"
    with data.open(encoding="utf-8") as handle:
        one.write_text(handle.readline() + handle.readline(), encoding="utf-8")
    code, out, err = cli("retrodict", one, "--runs", "2", "--jobs", "1", "--out", tmp_path / "r")
    assert code == 0, err
    assert "nan" not in out.lower()
    report = (tmp_path / "r" / "retrodiction.md").read_text(encoding="utf-8")
    assert "not fitted at all" in report
    assert (tmp_path / "r" / "calibration.png").exists()


@pytest.mark.parametrize(
    ("folds", "cases", "text"),
    [
        (1000, 3, "fitted on 2 of 3 folds (one case a fold"),
        (5, 3, "fitted on 2 of 3 folds"),
        (5, 100, "fitted on 4 of 5 folds"),
        (5, 1, "not fitted at all"),
    ],
)
def test_the_report_says_how_many_folds_were_used(folds, cases, text):
    """``--folds 1000`` with three cases reported "fitted on 999 of 1000 folds"."""
    from brink.experiments.retrodiction.scores import folds as assign
    from brink.experiments.retrodiction.summary import folds_text

    assert folds_text(folds, cases).startswith(text)
    if cases > 1:  # the text counts the folds the cases really were split into
        used = len(set(assign(cases, folds, 0)))
        assert f"of {used} folds" in folds_text(folds, cases)


# -- --resume means the same in every command -----------------------------------------------------


@pytest.mark.parametrize("command", ["fit", "sweep"])
def test_resume_where_there_is_nothing_to_resume_is_refused_alike(command, tmp_path):
    """``brink fit --out NEW --resume`` quietly started a new fit; ``sweep`` refused."""
    new = tmp_path / "new"
    mid_file = Path(__file__).resolve().parents[1] / "data" / "gml-mid-dyadic-2.03.pre1990.csv"
    first = {"fit": ["fit", str(mid_file)]}.get(command, ["sweep", "tripwire"])
    line = refused(*first, "--out", new, "--resume", where=str(new))
    assert "nothing to resume here" in line and "leave out --resume" in line
    assert list(tmp_path.iterdir()) == []


# -- animate: never over a file Brink did not write, never naming its temporary file --------------


@pytest.mark.parametrize("mine", [b"the user's notes\n", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"])
def test_animate_force_leaves_a_users_own_file_alone(run_dir, tmp_path, mine):
    """``--force`` overwrote a user's file (exit 0): it now replaces only a GIF it wrote."""
    out = tmp_path / "talk.gif"
    out.write_bytes(mine)
    line = refused("animate", run_dir, "--out", out, "--force", where=str(out))
    assert "did not write it" in line
    assert out.read_bytes() == mine
    assert [p.name for p in tmp_path.iterdir()] == ["talk.gif"]


@pytest.mark.slow  # two animations
def test_animate_force_replaces_its_own_gif(run_dir, tmp_path):
    from brink.viz.animate import written_by_brink

    out = tmp_path / "talk.gif"
    assert cli("animate", run_dir, "--out", out)[0] == 0
    assert written_by_brink(out)
    refused("animate", run_dir, "--out", out, where=str(out))  # without --force: refused
    assert cli("animate", run_dir, "--out", out, "--force")[0] == 0
    assert [p.name for p in tmp_path.iterdir()] == ["talk.gif"]


@pytest.mark.parametrize(
    ("name", "words"), [("a.txt", "neither .gif nor .mp4"), ("f/sub.gif", "is a file")]
)
def test_animate_names_the_file_asked_for(run_dir, tmp_path, name, words):
    (tmp_path / "f").write_text("a file")
    line = refused("animate", run_dir, "--out", tmp_path / name, where=str(tmp_path / name))
    assert words in line and ".partial" not in line and f"{os.getpid()}" not in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]


def test_animate_on_a_full_or_read_only_disk_names_the_file(run_dir, tmp_path, monkeypatch):
    import errno

    import brink.viz.animate

    def full(scenario, tables, shares, out, **kwargs):
        Path(out).write_bytes(b"half")
        raise OSError(errno.EROFS, "Read-only file system", str(out))

    monkeypatch.setattr(brink.viz.animate, "animate_run", full)
    out = tmp_path / "talk.gif"
    code, _out, err = cli("animate", run_dir, "--out", out)
    assert (
        code == 1
        and err.strip()
        == f"brink: {out}: Read-only file system (choose an --out on a writable disk)"
    )
    assert list(tmp_path.iterdir()) == []


# -- no leftovers: SIGTERM unwinds, and the next start clears what SIGKILL left -------------------


def _start_and_wait_for_staging(argv: list[str], parent: Path) -> subprocess.Popen:
    import time

    child = subprocess.Popen(
        [*BRINK, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if parent.is_dir() and any(".partial-" in p.name for p in parent.iterdir()):
            return child
        assert child.poll() is None, child.stderr.read()
        time.sleep(0.1)
    child.kill()
    raise AssertionError("no staging folder appeared")


LONG = {
    "run": ["run", SCENARIO, "--runs", "1000000", "--no-progress", "-q"],
    "casebook": ["casebook", "--runs", "100000", "--no-progress"],
}


@pytest.mark.slow
@pytest.mark.parametrize("command", ["run", "casebook"])
def test_sigterm_leaves_no_partial_folder(command, tmp_path):
    import signal

    child = _start_and_wait_for_staging([*LONG[command], "--out", str(tmp_path / "o")], tmp_path)
    child.send_signal(signal.SIGTERM)
    _out, err = child.communicate(timeout=120)
    assert child.returncode == 128 + signal.SIGTERM
    assert err.strip().splitlines() == ["brink: terminated (SIGTERM); nothing half-written is left"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_the_next_start_clears_what_sigkill_left(tmp_path):
    """A killed run's ``.NAME.partial-PID-…`` is removed by the next command writing beside it,
    whatever its own --out (``brink run``'s default out/NAME-TIME is new each time)."""
    import signal

    child = _start_and_wait_for_staging([*LONG["run"], "--out", str(tmp_path / "a")], tmp_path)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)
    assert any(".partial-" in p.name for p in tmp_path.iterdir())
    mine = tmp_path / ".notes.partial-1-00000000"  # the user's, by chance like Brink's names
    mine.write_text("keep")
    assert cli("run", SCENARIO, "--runs", "2", "--out", tmp_path / "b", "-q")[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.partial-1-00000000", "b"]


# -- messages that name the place the user gave ---------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["run", SCENARIO, "--runs", "2"],
        ["classic", "tribute", "--years", "2"],
        ["sweep", "tripwire"],
    ],
)
def test_an_out_inside_a_file_is_named_not_file_exists(argv, tmp_path):
    """``--out FILE/sub`` said only "File exists"."""
    (tmp_path / "notes.txt").write_text("mine")
    out = tmp_path / "notes.txt" / "sub"
    line = refused(*argv, "--out", out, where=str(out))
    assert "notes.txt is a file, not a folder" in line
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_full_disk_names_the_out_folder(tmp_path, monkeypatch):
    """ "No space left on device" named no folder: the writer's error carries no file name."""
    import errno

    import brink.experiments.ensemble.commands as run_commands

    def full(args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(run_commands, "run_command", full)
    out = tmp_path / "r"
    code, _out, err = cli("run", SCENARIO, "--out", out)
    assert code == 1
    assert (
        err.strip() == f"brink: {out}: No space left on device (free some space or choose "
        "another --out)"
    )


def test_a_sweep_whose_executor_cannot_start_leaves_no_staging_folder(tmp_path):
    """``--scheduler tcp://127.0.0.1:1`` left ``.NAME.sweep-partial`` behind."""
    from brink.errors import BrinkInputError, Location
    from brink.experiments.sweep.experiment import load_experiment
    from brink.experiments.sweep.run import run_sweep

    (tmp_path / "world.yaml").write_text(WORLD, encoding="utf-8")
    (tmp_path / "exp.yaml").write_text(textwrap.dedent(EXPERIMENT), encoding="utf-8")

    def unreachable():
        raise BrinkInputError("cannot reach the scheduler", Location("command line"))

    with pytest.raises(BrinkInputError):
        run_sweep(load_experiment(tmp_path / "exp.yaml"), tmp_path / "s", unreachable)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exp.yaml", "world.yaml"]


def test_a_second_sweep_into_the_same_out_is_told_another_is_at_work(tmp_path):
    """The loser of two sweeps into one --out said the other's staging folder "holds no Brink
    output"."""
    import fcntl

    staging = tmp_path / ".s.sweep-partial"
    (staging / "shards").mkdir(parents=True)
    descriptor = os.open(staging, os.O_RDONLY)
    fcntl.flock(descriptor, fcntl.LOCK_EX)  # as the first sweep holds it
    try:
        line = refused("sweep", "tripwire", "--out", tmp_path / "s", where=str(tmp_path / "s"))
    finally:
        os.close(descriptor)
    assert "another brink sweep is writing into it now" in line
    assert sorted(p.name for p in staging.iterdir()) == ["shards"]


def test_view_names_a_host_it_cannot_serve_on_at_once():
    """``--host 999.1.1.1`` exited after about 13 s with the server's own line."""
    import time

    started = time.monotonic()
    line = refused("view", "--host", "999.1.1.1")
    assert "--host" in line and "999.1.1.1" in line
    assert time.monotonic() - started < 5


def test_view_names_a_port_in_use():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = refused("view", "--port", str(port))
    assert "--port" in line and f"port {port} is in use" in line


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_a_scenario_that_is_no_regular_file_is_named_for_what_it_is(kind, tmp_path):
    """A FIFO, a folder or a device given as a scenario said "no scenario file"."""
    path = {"device": Path("/dev/null")}.get(kind, tmp_path / "s.yaml")
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    for command in ("validate", "run"):
        line = refused(command, path, where=str(path))
        assert ("a folder" if kind == "folder" else "not a regular file") in line


@pytest.mark.parametrize("escape", ["\\0", "\\x07", "\\e"])
def test_a_name_holding_an_escaped_control_character_is_refused(escape, tmp_path):
    """``name: "Gr\\0eat"`` was accepted (a NUL in the name)."""
    path = tmp_path / "world.yaml"
    path.write_text(WORLD.replace("name: Great,", f'name: "Gr{escape}eat",'), encoding="utf-8")
    line = refused("validate", path, where=f"{path}:6:")
    assert "states.GRT.name" in line and "control character" in line


# -- classic tribute: every documented maximum runs in a minute -----------------------------------


def test_tribute_with_the_most_actors_runs_quickly():
    """``--actors 1000 --years 2`` ran past 120 s with no output (the documented maximum)."""
    import time

    started = time.monotonic()
    code, out, err = cli("classic", "tribute", "--actors", "1000", "--years", "2",
                         "--populations", "1", "--seed", "1")  # fmt: skip
    assert code == 0, err
    assert "1 populations of 1000 actors, 2 years" in out
    assert time.monotonic() - started < 60


@pytest.mark.parametrize(
    ("years", "populations", "actors", "what"),
    [
        ("50001", "1", "2", "--years: 50,001 is above the most allowed"),
        ("50000", "2", "2", "population-years"),
        ("5001", "1", "100", "actor-years"),
        ("1", "1", "1001", "--actors"),
    ],
)
def test_tribute_beyond_a_minutes_work_is_refused(years, populations, actors, what):
    line = refused("classic", "tribute", "--years", years, "--populations", populations,
                   "--actors", actors)  # fmt: skip
    assert what in line


def test_tribute_reports_its_progress_year_by_year():
    from brink.sim.classics.tribute_runs import run_populations

    seen: list[int] = []
    run_populations(years=250, seed=1, populations=2, progress=seen.append)
    assert seen == [100, 200, 250, 350, 450, 500]


def test_the_quick_cluster_finder_finds_what_checking_every_start_finds():
    """find_clusters now starts only where two neighbours bind each other; the same arcs as
    trying every start with the whole pairwise matrix (the rule as first written)."""
    import numpy as np

    from brink.sim.classics.tribute_runs import find_clusters

    def every_start(matrix, threshold):
        n = matrix.shape[0]
        bound = (matrix >= threshold) & (threshold <= matrix.T)
        arcs = set()
        for start in range(n):
            members = [start]
            for offset in range(1, n):
                k = (start + offset) % n
                if not bound[k, members].all():
                    break
                members.append(k)
            if len(members) >= 2:
                arcs.add(frozenset(members))
        maximal = [a for a in arcs if not any(a < b for b in arcs)]
        return sorted(maximal, key=lambda a: (min(a), len(a)))

    rng = np.random.default_rng(5)
    for _ in range(300):
        n = int(rng.integers(2, 12))
        matrix = rng.choice([0, 40, 50, 60, 100], size=(n, n), p=[0.3, 0.1, 0.2, 0.2, 0.2])
        np.fill_diagonal(matrix, 100)
        for threshold in (50, 60):
            assert find_clusters(matrix, threshold) == every_start(matrix, threshold)


@pytest.mark.parametrize("how", ["delete", "no rows"])
def test_a_run_folder_with_no_step_is_named_not_blamed_on_run(run_dir, tmp_path, how):
    """Found by the fuzz suite: a run folder whose steps table was gone or empty was blamed on
    ``--run`` ("run 0 is not in this directory"), a flag the user had not given."""
    import pyarrow.parquet as pq

    copy = copy_of(run_dir, tmp_path)
    steps = copy / "steps.parquet"
    if how == "delete":
        steps.unlink()
    else:
        pq.write_table(pq.read_table(steps).slice(0, 0), steps)
    for argv in (["animate", copy, "--out", tmp_path / "a.gif"], ["view", "--run", copy]):
        line = refused(*argv, where=str(copy))
        assert "no step to show" in line
    assert not (tmp_path / "a.gif").exists()
