"""Machine-readable and quiet output: ``--json``/``--format json``, ``--quiet``, every mistake
of a file from ``validate``, bundled names for ``classic``, and counts in the singular."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from brink.cli import main
from brink.experiments.ensemble.output import read_table
from brink.experiments.intervals import wilson
from brink.scenarios.loader import bundled_scenarios, load_scenario

SCENARIO = "classics/fearon_ultimatum"


def test_run_json_gives_the_headline_and_outcome_shares_with_intervals(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", SCENARIO, "--runs", "12", "--seed", "4", "--out", str(out), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    runs = read_table(out, "runs")
    assert record["runs"] == 12 and record["root_seed"] == 4 and record["directory"] == str(out)
    assert record["command_line"].startswith("brink run classics/fearon_ultimatum --runs 12")
    war = record["headline"][1]
    assert war["label"] == "War between State A and State B over `ultimatum`"
    assert war["count"] == int(runs["war"].sum()) and war["runs"] == 12
    assert (war["low"], war["high"]) == pytest.approx(wilson(war["count"], 12))
    shares = pd.DataFrame(record["outcomes"]).set_index("outcome")
    counts = runs["outcome"].value_counts()
    assert shares["count"].sum() == 12
    for outcome, row in shares.iterrows():
        assert row["count"] == counts.get(outcome, 0)
        assert row["share"] == pytest.approx(row["count"] / 12)
    # the same run's summary.md says the same numbers in words
    assert f"{war['share'] * 100:.1f} %" in (out / "summary.md").read_text()


def test_run_quiet_prints_nothing_and_still_writes_the_run(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", SCENARIO, "--runs", "3", "--seed", "1", "--out", str(out), "-q"]) == 0
    said = capsys.readouterr()
    assert said.out == "" and said.err == ""
    assert len(read_table(out, "runs")) == 3 and (out / "summary.md").exists()


def test_quiet_still_reports_a_mistake(capsys):
    assert main(["run", "black_sea_2023", "--quiet"]) == 2
    assert "did you mean 'black_sea_2022'" in capsys.readouterr().err


def many_mistakes(tmp_path: Path) -> tuple[Path, list[int]]:
    """The Fearon scenario with six mistakes on six lines; returns the file and those lines."""
    text = Path(load_scenario(SCENARIO).path).read_text()
    for old, new in [
        ("troops: 100", "troops: -5"),
        ("regime: democracy", "regime: democrazy"),
        ("resolve: {fixed: 0.5}", "resolve: {fixed: 1.5}"),
        ("deadline: 1 #", "deadline: soon #"),
    ]:
        assert old in text
        text = text.replace(old, new)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    lines = [
        number
        for number, line in enumerate(text.splitlines(), 1)
        if any(word in line for word in ("-5", "democrazy", "1.5}", "soon"))
    ]
    return bad, lines


def test_validate_reports_every_mistake_of_a_file_at_its_line(tmp_path, capsys):
    bad, lines = many_mistakes(tmp_path)
    assert len(lines) == 6  # two states' regime and troops, one resolve, one deadline
    assert main(["validate", str(bad), SCENARIO]) == 2
    said = capsys.readouterr()
    errors = said.err.splitlines()
    assert [int(line.split(":")[2]) for line in errors] == lines
    assert all(line.startswith(f"brink: {bad}:") for line in errors)
    assert "did you mean 'democracy'" in errors[0]
    # the good file is still checked and counted, in the singular where one
    assert said.out == f"ok: {SCENARIO} (2 states, 1 dispute, 0 events)\n"


def test_validate_json_lists_each_file_with_its_errors_or_counts(tmp_path, capsys):
    bad, lines = many_mistakes(tmp_path)
    assert main(["validate", SCENARIO, str(bad), "--format", "json"]) == 2
    good, wrong = json.loads(capsys.readouterr().out)
    assert good == {"file": SCENARIO, "ok": True, "states": 2, "disputes": 1, "events": 0}
    assert wrong["ok"] is False and [e["line"] for e in wrong["errors"]] == lines
    first = wrong["errors"][0]
    assert first["key"] == "states.AAA.regime" and first["file"] == str(bad)
    assert (
        first["error"]
        == f"{bad}:{first['line']}:{first['column']}: {first['key']}: " + (first["message"])
    )


def test_validate_quiet_prints_only_mistakes(tmp_path, capsys):
    assert main(["validate", SCENARIO, "--quiet"]) == 0
    assert capsys.readouterr().out == ""


def test_a_file_that_does_not_parse_has_its_one_error(tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text("states: [unclosed\n")
    assert main(["validate", str(broken)]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_list_json_names_every_bundled_scenario_with_its_counts(capsys):
    assert main(["list", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in records] == list(bundled_scenarios())
    black_sea = next(r for r in records if r["name"] == "black_sea_2022")
    scenario = load_scenario("black_sea_2022")
    assert black_sea["states"] == len(scenario.states)
    assert black_sea["disputes"] == len(scenario.demands)
    assert Path(black_sea["file"]) == bundled_scenarios()["black_sea_2022"]


def test_classic_bdm_takes_a_bundled_name_as_run_does(capsys):
    assert main(["classic", "bdm", "ec_1992", "--rounds", "1"]) == 0
    by_name = capsys.readouterr().out
    bundled = Path(load_scenario(SCENARIO).path).parent / "ec_1992.csv"
    assert main(["classic", "bdm", str(bundled), "--rounds", "1"]) == 0
    assert capsys.readouterr().out == by_name
    assert by_name.startswith("10 actors from ")
    assert main(["classic", "bdm", "ec1992"]) == 2
    assert "ec1992: no such file or bundled table (did you mean 'ec_1992'?)" in (
        capsys.readouterr().err
    )


def test_sweep_and_retrodict_quiet_print_nothing_and_still_write(tmp_path, capsys):
    from test_sweep_experiment import write

    from brink.scenarios.datasets import DATA_DIR

    experiment = write(tmp_path)
    out = tmp_path / "sweep"
    assert main(["sweep", str(experiment), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    mid = DATA_DIR / "gml-mid-dyadic-2.03.pre1990.csv"
    retro = tmp_path / "retro"
    options = ["--runs", "2", "--jobs", "1", "--limit", "4", "--seed", "1", "-q"]
    assert main(["retrodict", str(mid), *options, "--out", str(retro)]) == 0
    said = capsys.readouterr()
    assert said.out == "" and said.err == ""
    assert (out / "manifest.json").exists() and (retro / "scores.csv").exists()


def completions(line: str) -> list[str]:
    """What ``brink`` answers the shell's completion request for ``line`` (argcomplete's
    protocol: the request in the environment, the answer on file descriptor 8)."""
    import os
    import subprocess
    import sys

    read, write = os.pipe()
    environment = {**os.environ, "_ARGCOMPLETE": "1", "COMP_LINE": line}
    environment["COMP_POINT"] = str(len(line))
    code = "import sys; from brink.cli import main; sys.exit(main())"
    try:
        subprocess.run(
            [sys.executable, "-c", code],
            env=environment,
            pass_fds=(write, 8),  # 8 is made in the child, from write
            preexec_fn=lambda: os.dup2(write, 8),  # the answer goes to descriptor 8
            stderr=subprocess.DEVNULL,
            timeout=60,
            check=True,
        )
    finally:
        os.close(write)
    with os.fdopen(read) as answer:
        return sorted(word.strip() for word in answer.read().split("\v"))


def test_the_shell_completes_commands_and_flags():
    assert completions("brink ru") == ["rules", "run"]
    assert completions("brink classic b") == ["bdm"]
    assert completions("brink run --se") == ["--seed", "--set"]
    assert "--format" in completions("brink validate --")
