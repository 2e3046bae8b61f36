"""Issue 14's probe, repeatable: hostile inputs and faults against every command, counted.

    .venv/bin/python benchmarks/fuzz.py [--examples N] [--faults K]

Inputs: the Hypothesis strategies of ``tests/fuzz_inputs.py`` (experiment files, MID CSVs,
classic bdm and landscape CSVs, ``brink run`` and ``brink classic`` flags), ``N`` attempts each
(run flags ``N/5``: each valid one runs the model). Faults, ``K`` attempts each, on the real
command in a child process: a worker of ``brink run --jobs 2`` killed, the parent killed, a
``--force`` run killed over a finished one, a sweep into a folder of other files, a read-only
and a full output disk (a 256 KiB tmpfs; these two need root to mount, else they are listed
as not run). Prints a table of attempts, tracebacks, silent errors, unlocated errors and files
lost; every column but attempts must be zero. Exits 1 if one is not.
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
COLUMNS = ("attempts", "tracebacks", "silent", "unlocated", "files lost")


class Tally:
    def __init__(self) -> None:
        self.rows: dict[str, collections.Counter] = {}
        self.examples: dict[str, list[str]] = collections.defaultdict(list)

    def add(self, kind: str, outcome: str, lost: int = 0) -> None:
        row = self.rows.setdefault(kind, collections.Counter())
        row["attempts"] += 1
        row["files lost"] += lost
        for column, prefix in (("tracebacks", "traceback"), ("silent", "silent")):
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
        line for line in err.splitlines() if line.startswith("brink: ") and "wrote" not in line
    ]
    if code != 0 and len(errors) != 1:
        return f"unlocated: {len(errors)} error lines"
    return "ok" if code == 0 else "refused"


def brink(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*BRINK, *args], capture_output=True, text=True, timeout=600, **kwargs)


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300, help="attempts per input kind")
    parser.add_argument("--faults", type=int, default=3, help="attempts per fault")
    args = parser.parse_args()
    tally = Tally()
    started = time.perf_counter()
    print(f"inputs: {args.examples} attempts per kind (run flags {max(1, args.examples // 5)})")
    fuzz(tally, "experiment files", experiment_texts(), check_experiment, args.examples)
    fuzz(tally, "MID CSV files", mid_csvs(), check_mid, args.examples)
    fuzz(tally, "bdm CSV files", bdm_csvs(), lambda d: check_classic_file("bdm", d), args.examples)
    fuzz(
        tally,
        "landscape CSV files",
        landscape_csvs(),
        lambda d: check_classic_file("landscape", d),
        args.examples,
    )
    fuzz(tally, "classic flags", classic_flags(), check_command, args.examples)
    fuzz(tally, "run flags", run_flags(), check_run_flags, max(1, args.examples // 5))
    # Issue 23: the folders a user hands to analyze, view --run and animate, damaged.
    folders = max(1, args.examples // 5)
    fuzz(
        tally,
        "sweep folders (analyze)",
        folder_damages("sweep"),
        lambda d: check_folder("analyze", d),
        folders,
    )
    fuzz(
        tally,
        "run folders (view --run)",
        folder_damages("run"),
        lambda d: check_folder("view", d),
        args.examples,
    )
    fuzz(
        tally,
        "run folders (animate)",
        folder_damages("run"),
        lambda d: check_folder("animate", d),
        folders,
    )
    if args.faults:
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
