"""Issue 14, safe outputs: no command overwrites or deletes what it did not write, an
interrupted run leaves the previous complete run untouched, links are not followed, names from
files stay inside the output folder, and a full or read-only disk is one line and exit 1."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_sweep_experiment import EXPERIMENT, write

from brink import safe_output
from brink.cli import main
from brink.errors import BrinkInputError
from brink.experiments.ensemble.folder import read_run_dir

SCENARIO = "classics/fearon_ultimatum"  # two states, one step per run: fast


def brink(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "brink", *args], capture_output=True, text=True, timeout=300,
        **kwargs,
    )  # fmt: skip


def run(out: Path, *extra: str, runs: str = "6") -> int:
    return main(["run", SCENARIO, "--runs", runs, "--out", str(out), "--no-progress", *extra])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_sweep_never_writes_into_a_folder_of_other_files(tmp_path):
    experiment = write(tmp_path)
    out = tmp_path / "mine"
    out.mkdir()
    for name in ("experiment.yaml", "design.parquet", "failures.csv", "notes.txt"):
        (out / name).write_text(f"the user's {name}")
    before = snapshot(out)
    done = brink("sweep", str(experiment), "--out", str(out), "--jobs", "1", "--no-progress")
    assert done.returncode == 2, done.stderr
    assert "holds no Brink output" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(out) == before  # nothing overwritten, failures.csv not deleted


def test_a_sweep_name_cannot_leave_the_output_folder(tmp_path, capsys):
    for name in ("../../escape", "/tmp/escape", ".hidden", "a/b"):
        experiment = write(tmp_path, EXPERIMENT.replace("name: smoke", f"name: '{name}'"))
        with pytest.raises(BrinkInputError, match="cannot name a folder") as caught:
            from brink.experiments.sweep.experiment import load_experiment

            load_experiment(experiment)
        assert caught.value.location.line == 1 and caught.value.location.key == "name"


def test_run_force_replaces_only_its_own_files_and_refuses_strangers(tmp_path, capsys):
    out = tmp_path / "r"
    assert run(out, "--seed", "1") == 0
    assert run(out, "--seed", "2") == 2  # a Brink run is there: only with --force
    (out / "figures" / "mine.png").write_bytes(b"the user's figure")
    before = snapshot(out)
    assert run(out, "--seed", "2", "--force") == 2
    assert "Brink did not write (figures/mine.png)" in capsys.readouterr().err
    assert snapshot(out) == before
    (out / "figures" / "mine.png").unlink()
    assert run(out, "--seed", "2", "--force") == 0
    assert read_run_dir(out)["manifest"]["root_seed"] == 2


def test_an_output_folder_that_is_a_link_is_refused(tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "link").symlink_to(elsewhere)
    assert run(tmp_path / "link", "--seed", "1") == 2
    assert "symbolic link" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []


def test_a_planted_link_at_a_temporary_name_is_never_followed(tmp_path):
    out = tmp_path / "r"
    assert run(out, "--seed", "1") == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    # The names an older Brink used for its temporary files, planted as links to the victim.
    for name in (".runs.parquet.partial", ".manifest.json.partial", ".summary.md.partial"):
        (out / name).symlink_to(victim)
    before = {p.name for p in out.iterdir()}
    # --force refuses the planted links (files Brink did not write) and follows none.
    assert run(out, "--seed", "2", "--force") == 2
    assert victim.read_text() == "keep me" and {p.name for p in out.iterdir()} == before
    # write_text_atomic over a link at the real name replaces the link, not its target.
    link = tmp_path / "summary.md"
    link.symlink_to(victim)
    safe_output.write_text_atomic(link, "new text")
    assert victim.read_text() == "keep me" and not link.is_symlink()


def test_readers_refuse_a_run_that_did_not_complete(tmp_path, capsys):
    out = tmp_path / "r"
    assert run(out, "--seed", "1") == 0
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["status"] = "running"
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BrinkInputError, match="did not complete"):
        read_run_dir(out)
    assert main(["view", "--run", str(out)]) == 2
    assert main(["animate", str(out), "--out", str(tmp_path / "a.gif")]) == 2
    assert capsys.readouterr().err.count("did not complete") == 2
    assert not (tmp_path / "a.gif").exists()


@pytest.mark.slow
def test_a_killed_force_run_leaves_the_previous_run_whole(tmp_path):
    out = tmp_path / "r"
    assert run(out, "--seed", "1") == 0
    before = snapshot(out)
    child = subprocess.Popen(
        [sys.executable, "-m", "brink", "run", SCENARIO, "--runs", "200000", "--seed", "2",
         "--out", str(out), "--force", "--no-progress"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 600  # a loaded machine starts Python slowly
        while not list(tmp_path.glob(".r.partial-*/*.partial")):  # tables being written
            assert time.monotonic() < deadline and child.poll() is None
            time.sleep(0.05)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    assert snapshot(out) == before
    assert read_run_dir(out)["manifest"]["root_seed"] == 1


def test_a_full_disk_is_one_line_and_exit_1_with_nothing_under_a_real_name(
    tmp_path, capsys, monkeypatch
):
    out = tmp_path / "r"
    assert run(out, "--seed", "1") == 0
    before = snapshot(out)
    from brink.experiments.ensemble import output

    def full(path, text):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(output, "write_text_atomic", full)
    capsys.readouterr()
    assert run(out, "--seed", "2", "--force") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err and "free some" in err
    assert err.startswith(f"brink: {out}/") and ".partial" not in err  # the user's destination
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["r"]  # the staging folder is gone
    assert run(tmp_path / "new", "--seed", "2") == 1
    assert not (tmp_path / "new").exists()


def test_a_read_only_place_is_one_line_and_exit_1(tmp_path, capsys, monkeypatch):
    real_mkdir = os.mkdir

    def read_only(path, *args, **kwargs):
        if ".partial-" in str(path):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", read_only)
    assert run(tmp_path / "r", "--seed", "1") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Read-only file system" in err
    assert err.startswith(f"brink: {tmp_path / 'r'}: Read-only file system")  # not the staging
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("written", "destination"),
    [
        ("/d/.r.partial-4242-0a1b2c3d", "/d/r"),
        ("/d/.r.partial-4242-0a1b2c3d/tables/steps.parquet", "/d/r/tables/steps.parquet"),
        ("/d/.r.old-17-0a1b2c3d/x.csv", "/d/r/x.csv"),
        ("/d/r/.steps.parquet.4242.9f8e7d6c.partial", "/d/r/steps.parquet"),
        ("/d/r/.manifest.json.9f8e7d6c.partial", "/d/r/manifest.json"),
        ("/d/.my-sweep.sweep-partial/shards/p0.parquet", "/d/my-sweep/shards/p0.parquet"),
        ("/d/.hidden/file.partial", "/d/.hidden/file.partial"),  # not one of Brink's names
    ],
)
def test_an_os_error_names_the_destination_not_the_staging_name(written, destination):
    error = OSError(errno.ENOSPC, "No space left on device", written)
    hint = "free some space or choose another --out"
    expected = f"{destination}: No space left on device ({hint})"
    assert safe_output.describe_os_error(error) == expected


def test_classic_and_retrodict_outputs_are_staged_too(tmp_path, capsys):
    out = tmp_path / "t"
    args = ["classic", "tribute", "--years", "20", "--populations", "1", "--out", str(out)]
    assert main(args) == 0
    assert json.loads((out / "manifest.json").read_text())["kind"] == "classic tribute"
    assert main(args) == 2  # again only with --force
    assert main([*args, "--force"]) == 0
    stranger = tmp_path / "s"
    stranger.mkdir()
    (stranger / "wealth.csv").write_text("the user's")
    assert main(["classic", "tribute", "--years", "20", "--out", str(stranger), "--force"]) == 2
    assert (stranger / "wealth.csv").read_text() == "the user's"
