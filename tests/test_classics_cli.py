"""``brink classic``: each model end to end from the command line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from brink.cli import main

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios" / "classics"


def test_tribute_writes_tables_and_figures(tmp_path, capsys):
    out = tmp_path / "tribute"
    assert (
        main(
            [
                "classic",
                "tribute",
                "--years",
                "60",
                "--seed",
                "1",
                "--populations",
                "2",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "2 populations of 10 actors, 60 years" in printed
    for name in ("wealth", "years", "events", "commitment", "clusters"):
        assert (out / f"{name}.csv").stat().st_size > 0
    for stem in ("tribute_wealth", "tribute_commitment", "tribute_ring", "tribute_clusters"):
        assert (out / f"{stem}.png").stat().st_size > 1000
        assert (out / f"{stem}.pdf").exists()
    years = pd.read_csv(out / "years.csv")
    assert len(years) == 120 and set(years["population"]) == {0, 1}


def test_tribute_refuses_bad_flags(capsys):
    assert main(["classic", "tribute", "--years", "0"]) == 2
    assert "--years: 0 must be >= 1" in capsys.readouterr().err


def test_landscape_file_and_europe(tmp_path, capsys):
    path = tmp_path / "three.csv"
    path.write_text("actor,size,a,b,c\na,1,0,1,-1\nb,2,1,0,2\nc,3,-1,2,0\n")
    out = tmp_path / "minima"  # not tmp_path itself: it holds the input (issue 14)
    assert main(["classic", "landscape", str(path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "finds 1: the same minimum\n" in printed  # one minimum, in the singular
    assert "{a} vs {b, c}" in printed
    assert (out / "minima.csv").exists()
    assert main(["classic", "landscape", "--europe-1936"]) == 0
    assert "as aligned in 1939" in capsys.readouterr().out


def test_landscape_bad_file_is_one_located_line(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("actor,size,a,b\na,1,0,1\nb,1,oops,0\n")
    assert main(["classic", "landscape", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and f"{path}:3:5" in err


def test_bdm_prints_rounds_and_writes_figure(tmp_path, capsys):
    out = tmp_path / "bdm"
    assert (
        main(["classic", "bdm", str(SCENARIOS / "ec_1992.csv"), "--rounds", "2", "--out", str(out)])
        == 0
    )
    printed = capsys.readouterr().out
    assert "round 0: forecast 7, weighted mean 7.38996" in printed
    assert "forecast settlement:" in printed
    assert (out / "positions.png").stat().st_size > 1000
    assert len(pd.read_csv(out / "rounds.csv")) == 30


def test_bundled_landscape_example_runs(capsys):
    assert main(["classic", "landscape", str(SCENARIOS / "landscape_example.csv")]) == 0
    assert "finds 1 local minimum\n" in capsys.readouterr().out  # not "1 local minima"


def test_bdm_forecasts_talks_over_a_scenario_demand(capsys):
    assert (
        main(
            [
                "classic",
                "bdm",
                "--scenario",
                "black_sea_2022",
                "--demand",
                "ukraine_neutrality",
                "--rounds",
                "2",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "Talks over RUS's demand 'ukraine_neutrality' on UKR" in printed
    assert "forecast settlement:" in printed
    assert main(["classic", "bdm", "--scenario", "black_sea_2022", "--demand", "nato_rolback"]) == 2
    assert "did you mean 'nato_rollback'" in capsys.readouterr().err
