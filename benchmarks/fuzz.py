"""Issue 14's probe, repeatable: hostile inputs and faults against every command, counted.

    .venv/bin/python benchmarks/fuzz.py [--examples N] [--faults K] [--cases-only]

Inputs: the Hypothesis strategies of ``tests/fuzz_inputs.py`` (experiment files, MID CSVs,
classic bdm and landscape CSVs, ``brink run`` and ``brink classic`` flags, and, since issue 23,
damaged sweep folders handed to ``analyze`` and run folders handed to ``view --run`` and
``animate``), ``N`` attempts each (run flags, sweep folders and animated run folders ``N/5``:
each takes seconds). Then issue 23's cases, each once in a child process with a 60 s limit
(a hang is counted), with the user's files and Brink's leftovers checked; SIGTERM and SIGKILL
during ``run`` and ``casebook``; two sweeps into one ``--out``. Faults, ``K`` attempts each,
on the real command in a child process: a worker of ``brink run --jobs 2`` killed, the parent
killed, a ``--force`` run killed over a finished one, a sweep into a folder of other files, a
read-only and a full output disk (a 256 KiB tmpfs; these two need root to mount, else they
are listed as not run). Prints a table of attempts, tracebacks, hangs, silent errors,
unlocated errors and files lost; every column but attempts must be zero. Exits 1 if one is
not.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import psutil  # noqa: E402
from fuzz_inputs import (  # noqa: E402
    bdm_csvs,
    check_classic_file,
    check_command,
    check_experiment,
    check_folder,
    check_mid,
    check_run_flags,
    classic_flags,
    experiment_texts,
    folder_damages,
    landscape_csvs,
    mid_csvs,
    run_flags,
)
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

SCENARIO = "classics/fearon_ultimatum"
BRINK = [sys.executable, "-m", "brink"]
COLUMNS = ("attempts", "tracebacks", "hangs", "silent", "unlocated", "files lost")


class Tally:
    def __init__(self) -> None:
        self.rows: dict[str, collections.Counter] = {}
        self.examples: dict[str, list[str]] = collections.defaultdict(list)

    def add(self, kind: str, outcome: str, lost: int = 0) -> None:
        row = self.rows.setdefault(kind, collections.Counter())
        row["attempts"] += 1
        row["files lost"] += lost
        for column, prefix in (
            ("tracebacks", "traceback"),
            ("hangs", "hang"),
            ("silent", "silent"),
        ):
            if outcome.startswith(prefix):
                row[column] += 1
        if outcome.startswith("unlocated"):
            row["unlocated"] += 1
        if outcome not in ("ok", "refused") and len(self.examples[kind]) < 3:
            self.examples[kind].append(outcome)

    def print(self) -> bool:
        width = max(len(kind) for kind in self.rows) + 2
        print(f"{'input or fault':{width}}" + "".join(f"{c:>12}" for c in COLUMNS))
        total: collections.Counter = collections.Counter()
        for kind, row in self.rows.items():
            total.update(row)
            print(f"{kind:{width}}" + "".join(f"{row[c]:>12}" for c in COLUMNS))
        print(f"{'total':{width}}" + "".join(f"{total[c]:>12}" for c in COLUMNS))
        for kind, examples in self.examples.items():
            for example in examples:
                print(f"  {kind}: {example}")
        return all(total[c] == 0 for c in COLUMNS[1:])


def fuzz(tally: Tally, kind: str, strategy, check, examples: int) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def attempt(value) -> None:
        tally.add(kind, check(value))

    started = time.perf_counter()
    attempt()
    print(f"  {kind}: {tally.rows[kind]['attempts']} in {time.perf_counter() - started:.0f} s")


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def lost_files(before: dict[str, str], after: dict[str, str]) -> int:
    return sum(1 for name, digest in before.items() if after.get(name) != digest)


def outcome_of(done: subprocess.CompletedProcess | tuple[int, str], want: tuple[int, ...]) -> str:
    code, err = (done.returncode, done.stderr) if hasattr(done, "returncode") else done
    if "Traceback" in err:
        return "traceback: " + err.strip().splitlines()[-1][:200]
    if code not in want:
        return f"silent: exit {code}, expected {want}: {err.strip()[:200]}"
    errors = [
        line
        for line in err.splitlines()
        if line.startswith("brink: ") and not line.startswith("brink: wrote")
    ]
    if code != 0 and len(errors) != 1:
        return f"unlocated: {len(errors)} error lines"
    return "ok" if code == 0 else "refused"


def brink(*args: str, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*BRINK, *args], capture_output=True, text=True, timeout=timeout, **kwargs
    )


def pool_workers(pid: int, count: int, timeout: float = 120) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(psutil.NoSuchProcess):
            found = [
                c.pid
                for c in psutil.Process(pid).children()
                if "spawn_main" in " ".join(c.cmdline())
            ]
            if len(found) >= count:
                return found
        time.sleep(0.05)
    return []


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def faults(tally: Tally, work: Path, attempts: int) -> None:
    reference = work / "reference"
    brink("run", SCENARIO, "--runs", "300", "--seed", "5", "--out", str(reference), "--no-progress")
    for k in range(attempts):
        # A worker killed: exit 0, one line about it, the same tables as one process.
        out = work / f"killed-worker-{k}"
        child = subprocess.Popen(
            [*BRINK, "run", SCENARIO, "--runs", "300", "--seed", "5", "--jobs", "2",
             "--out", str(out), "--no-progress"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        workers = pool_workers(child.pid, 1)
        if workers:
            os.kill(workers[k % len(workers)], signal.SIGKILL)
        _, err = child.communicate(timeout=600)
        outcome = outcome_of((child.returncode, err), (0,))
        same = out.exists() and all(
            (out / f"{t}.parquet").read_bytes() == (reference / f"{t}.parquet").read_bytes()
            for t in ("runs", "events", "beliefs")
        )
        tally.add("fault: a worker killed", outcome if same else "silent: tables differ")

        # The parent killed: no worker alive 10 s later, nothing under the real name.
        out = work / f"killed-parent-{k}"
        child = subprocess.Popen(
            [*BRINK, "run", SCENARIO, "--runs", "200000", "--jobs", "2", "--out", str(out),
             "--no-progress"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        workers = pool_workers(child.pid, 2)
        child.send_signal(signal.SIGKILL)
        child.wait()
        time.sleep(10)
        orphans = [pid for pid in workers if alive(pid)]
        for pid in orphans:
            os.kill(pid, signal.SIGKILL)
        tally.add(
            "fault: the parent killed",
            f"silent: {len(orphans)} workers outlived it" if orphans or not workers else "ok",
        )

        # --force killed over a finished run: the finished run is untouched.
        before = snapshot(reference)
        child = subprocess.Popen(
            [*BRINK, "run", SCENARIO, "--runs", "200000", "--seed", "6", "--force",
             "--out", str(reference), "--no-progress"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(6 + k)
        child.send_signal(signal.SIGKILL)
        child.wait()
        lost = lost_files(before, snapshot(reference))
        tally.add("fault: --force killed", "ok", lost)

        # A sweep into a folder of the user's files: refused, nothing touched.
        mine = work / f"mine-{k}"
        mine.mkdir()
        for name in ("experiment.yaml", "design.parquet", "failures.csv", "notes.txt"):
            (mine / name).write_text(f"the user's {name}")
        before = snapshot(mine)
        done = brink("sweep", "tripwire", "--out", str(mine), "--jobs", "1", "--no-progress")
        tally.add(
            "fault: sweep into others' files",
            outcome_of(done, (2,)),
            lost_files(before, snapshot(mine)),
        )

    disk_faults(tally, work, attempts)


def leftovers(folder: Path) -> list[str]:
    """Brink's temporary names left in ``folder`` (and one level down)."""
    names = [p for p in folder.rglob("*") if p.relative_to(folder).parts[:-1] == ()]
    names += [p for p in folder.glob("*/*")]
    return sorted(
        p.name for p in names if ".partial" in p.name or p.name.endswith(".sweep-partial")
    )


def issue_cases(tally: Tally, work: Path) -> None:
    """Issue 23's nineteen inputs (and the poor messages it names), each once, as a child
    process with a 60 s limit: the exit status, one located line, nothing of the user's
    changed, nothing left behind."""
    from fuzz_inputs import MID_FILE, base_folder
    from test_sweep_experiment import EXPERIMENT, WORLD

    work.mkdir(parents=True, exist_ok=True)
    (work / "world.yaml").write_text(WORLD, encoding="utf-8")
    (work / "exp.yaml").write_text(__import__("textwrap").dedent(EXPERIMENT), encoding="utf-8")
    sweep, run = base_folder("sweep"), base_folder("run")
    with open(MID_FILE, encoding="utf-8") as handle:
        head = [handle.readline() for _ in range(40)]
    (work / "one.csv").write_text("".join(head[:2]), encoding="utf-8")
    (work / "small.csv").write_text("".join(head), encoding="utf-8")
    # the first dispute as it is; every other row with a code of nan, inf or 1e400
    column = head[0].strip().split(",").index("ccode1")
    first = head[1].split(",")[0]
    odd = [head[0]]
    for k, row in enumerate(head[1:]):
        cells = row.split(",")
        if cells[0] != first:
            cells[column] = ("nan", "inf", "1e400")[k % 3]
        odd.append(",".join(cells))
    (work / "odd.csv").write_text("".join(odd), encoding="utf-8")

    def copy(folder: Path, name: str, damage=None) -> Path:
        target = work / name
        shutil.copytree(folder, target)
        if damage:
            damage(target)
        return target

    def empty_shards(folder: Path) -> None:
        for shard in (folder / "shards").iterdir():
            shard.unlink()

    (work / "mine.gif").write_bytes(b"GIF89a the user's own picture")
    (work / "notes.txt").write_text("the user's notes")
    os.mkfifo(work / "fifo.yaml")
    nul = WORLD.replace("name: Great,", 'name: "Gr\\0eat",')
    (work / "nul.yaml").write_text(nul, encoding="utf-8")
    cases = [
        ("analyze /", ["analyze", "/"], 2),
        ("analyze, shards/ empty", ["analyze", copy(sweep, "s1", empty_shards)], 2),
        ("analyze, corrupt design.parquet",
         ["analyze", copy(sweep, "s2", lambda f: (f / "design.parquet").write_text("garbage"))], 2),
        ("retrodict, one case", ["retrodict", "one.csv", "--runs", "2", "--jobs", "1",
                                 "--out", "r1"], 0),
        ("retrodict, rows of nan/inf/huge", ["retrodict", "odd.csv", "--runs", "2", "--jobs",
                                              "1", "--out", "r2"], 0),
        ("retrodict --folds 1000, three cases", ["retrodict", "small.csv", "--limit", "3",
                                                 "--folds", "1000", "--runs", "2", "--jobs", "1",
                                                 "--out", "r3"], 0),
        ("animate --force over a user's file", ["animate", run, "--out", "mine.gif", "--force"], 2),
        ("view --run, junk runs.parquet",
         ["view", "--run", copy(run, "v1", lambda f: (f / "runs.parquet").write_text("junk")),
          "--port", "0"], 2),
        ("classic tribute --actors 1000", ["classic", "tribute", "--actors", "1000", "--years",
                                           "2", "--populations", "1", "--seed", "1"], 0),
        ("analyze --threshold nan", ["analyze", copy(sweep, "s3"), "--prim", "war",
                                     "--threshold", "nan"], 2),
        ("analyze --satisficing nan", ["analyze", sweep, "--robust",
                                       "deployments.tripwire.troops", "--satisficing", "nan"], 2),
        ("analyze --pair F F", ["analyze", sweep, "--pair", "alliances.PACT.reliability",
                                "alliances.PACT.reliability"], 2),
        ("fit --resume, a new folder", ["fit", str(MID_FILE), "--out", "newfit", "--resume"], 2),
        ('run --out ""', ["run", SCENARIO, "--runs", "2", "--out", ""], 2),
        ("validate, escaped NUL in a name", ["validate", "nul.yaml"], 2),
        ("animate into a.txt", ["animate", run, "--out", "a.txt"], 2),
        ("view --host 999.1.1.1", ["view", "--host", "999.1.1.1"], 2),
        ("--out FILE/sub", ["run", SCENARIO, "--runs", "2", "--out", "notes.txt/sub"], 2),
        ("a FIFO as a scenario", ["validate", "fifo.yaml"], 2),
        ("a folder as a scenario", ["run", str(work), "--runs", "2"], 2),
        ("a device as a scenario", ["validate", "/dev/null"], 2),
        ("sweep --scheduler tcp://127.0.0.1:1", ["sweep", "exp.yaml", "--out", "sch",
                                                 "--scheduler", "tcp://127.0.0.1:1"], 2),
    ]  # fmt: skip
    for name, argv, want in cases:
        mine = {p: p.read_bytes() for p in (work / "mine.gif", work / "notes.txt")}
        started = time.monotonic()
        try:
            done = brink(*map(str, argv), cwd=work, timeout=60)
            outcome = outcome_of(done, (want,))
        except subprocess.TimeoutExpired:
            outcome = "hang: over 60 s"
        lost = sum(1 for p, data in mine.items() if p.read_bytes() != data)
        left = leftovers(work)
        if left and outcome in ("ok", "refused"):
            outcome = f"silent: left {left}"
        if "out" in {p.name for p in work.iterdir()}:
            outcome = "silent: wrote out/ (the default folder)"
        tally.add(f"issue 23: {name}", outcome, lost)
        print(f"  issue 23: {name}: {outcome} ({time.monotonic() - started:.0f} s)")
    signal_cases(tally, work)


def signal_cases(tally: Tally, work: Path) -> None:
    """SIGTERM during ``run`` and ``casebook`` (nothing may be left), SIGKILL during ``run``
    (the next start beside it must clear what is left), and two sweeps into one --out."""
    long = {
        "run": ["run", SCENARIO, "--runs", "1000000", "--no-progress", "-q"],
        "casebook": ["casebook", "--runs", "100000", "--no-progress"],
    }
    for command, how in (("run", "SIGTERM"), ("casebook", "SIGTERM"), ("run", "SIGKILL")):
        folder = work / f"{command}-{how}"
        folder.mkdir()
        child = subprocess.Popen(
            [*BRINK, *long[command], "--out", str(folder / "o")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not leftovers(folder):
            time.sleep(0.1)
        child.send_signal(getattr(signal, how))
        _out, err = child.communicate(timeout=120)
        if how == "SIGKILL":
            brink("run", SCENARIO, "--runs", "2", "--out", str(folder / "next"), "-q")
            err = ""
        left = leftovers(folder)
        outcome = f"silent: left {left}" if left else outcome_of((0, err), (0,))
        tally.add(f"issue 23: {how} during {command}", outcome)
        print(f"  issue 23: {how} during {command}: {outcome}")
    first = subprocess.Popen(
        [*BRINK, "sweep", "exp.yaml", "--out", "twice", "--jobs", "1", "--no-progress", "-q"],
        cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (work / ".twice.sweep-partial").exists():
        time.sleep(0.05)
    second = brink("sweep", "exp.yaml", "--out", "twice", "--jobs", "1", "--no-progress",
                   cwd=work, timeout=60)  # fmt: skip
    first.wait(timeout=300)
    outcome = outcome_of(second, (2, 0))
    if second.returncode == 2 and "another brink sweep" not in second.stderr:
        outcome = f"unlocated: {second.stderr.strip()[:200]}"
    tally.add("issue 23: two sweeps into one --out", outcome)
    print(f"  issue 23: two sweeps into one --out: {outcome}")


def disk_faults(tally: Tally, work: Path, attempts: int) -> None:
    mount = work / "tiny"
    mount.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True
        ).returncode
    ):
        print("  read-only and full disk: not run (mounting a tmpfs needs root)")
        return
    try:
        for k in range(attempts):
            # Full: the run cannot fit in 256 KiB.
            done = brink("run", SCENARIO, "--runs", "20000", "--seed", "1",
                         "--out", str(mount / f"full-{k}"), "--no-progress")  # fmt: skip
            left = [p.name for p in mount.iterdir()]
            outcome = outcome_of(done, (1,))
            if left:
                outcome = f"silent: left {left}"
            tally.add("fault: full disk", outcome)
            # Read-only: remount, write, remount writable.
            subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
            done = brink(
                "run", SCENARIO, "--runs", "10", "--out", str(mount / "ro"), "--no-progress"
            )
            subprocess.run(["mount", "-o", "remount,rw", str(mount)], check=True)
            tally.add("fault: read-only disk", outcome_of(done, (1,)))
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def inputs(tally: Tally, examples: int) -> None:
    """Every input kind, ``examples`` attempts each (run flags and two kinds of folder that
    take seconds an attempt: a fifth of it)."""
    fifth = max(1, examples // 5)
    print(f"inputs: {examples} attempts per kind ({fifth} for run flags, sweep folders and "
          "animated run folders)")  # fmt: skip
    fuzz(tally, "experiment files", experiment_texts(), check_experiment, examples)
    fuzz(tally, "MID CSV files", mid_csvs(), check_mid, examples)
    fuzz(tally, "bdm CSV files", bdm_csvs(), lambda d: check_classic_file("bdm", d), examples)
    fuzz(
        tally,
        "landscape CSV files",
        landscape_csvs(),
        lambda d: check_classic_file("landscape", d),
        examples,
    )
    fuzz(tally, "classic flags", classic_flags(), check_command, examples)
    fuzz(tally, "run flags", run_flags(), check_run_flags, fifth)
    # Issue 23: the folders a user hands to analyze, view --run and animate, damaged.
    for kind, command, count in (
        ("sweep", "analyze", fifth),
        ("run", "view", examples),
        ("run", "animate", fifth),
    ):
        fuzz(
            tally,
            f"{kind} folders ({command})",
            folder_damages(kind),
            lambda d, command=command: check_folder(command, d),
            count,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300, help="attempts per input kind")
    parser.add_argument("--faults", type=int, default=3, help="attempts per fault")
    parser.add_argument("--cases-only", action="store_true", help="issue 23's cases alone")
    args = parser.parse_args()
    tally = Tally()
    started = time.perf_counter()
    if not args.cases_only:
        inputs(tally, args.examples)
    print("issue 23's cases, each once:")
    cases = Path(tempfile.mkdtemp(prefix="brink-fuzz-cases-"))
    try:
        issue_cases(tally, cases / "work")
    finally:
        shutil.rmtree(cases, ignore_errors=True)
    if args.faults and not args.cases_only:
        print(f"faults: {args.faults} attempts each")
        work = Path(tempfile.mkdtemp(prefix="brink-fuzz-"))
        try:
            faults(tally, work, args.faults)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print()
    sound = tally.print()
    print(f"{time.perf_counter() - started:.0f} s; " + ("all zero" if sound else "NOT all zero"))
    return 0 if sound else 1


if __name__ == "__main__":
    sys.exit(main())
