"""The README's walk-through of the bundled tripwire experiment, on a small budget: levers and
uncertainties swept, then PRIM, CART, feature scores, stacking, a SALib method and robust choice
of levers, each writing its section and figures."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.slow
def test_the_readme_walkthrough_runs(tmp_path):
    out = tmp_path / "tripwire"
    brink = [sys.executable, "-m", "brink"]
    subprocess.run(
        [
            *brink,
            "sweep",
            "tripwire",
            "--out",
            str(out),
            "--samples",
            "3",
            "--replications",
            "1",
            "--jobs",
            "1",
            "--no-progress",
        ],
        check=True,
    )
    subprocess.run(
        [
            *brink,
            "analyze",
            str(out),
            "--prim",
            "war_days",
            "--threshold",
            "10",
            "--cart",
            "--feature-scores",
            "--stack",
            "--method",
            "rsa",
            "--robust",
            "deployments.usa_in_romania.troops",
            "alliances.NATO.members.ROU",
            "--outcome",
            "casualties",
            "--satisficing",
            "80",
        ],
        check=True,
    )
    report = (out / "analysis.md").read_text(encoding="utf-8")
    for heading in (
        "## Over time: mean highest hostility level",
        "## Scenario discovery: PRIM",
        "## Scenario discovery: CART",
        "## Feature scores (extra trees)",
        "## Dimensional stacking",
        "## Sensitivity: Regional (SALib)",
        "## Robust choice of levers: mean war casualties",
    ):
        assert heading in report
    for stem in (
        "prim_war_days_trajectory",
        "cart_casualties",
        "robust_casualties",
        "casualties_stack",
        "hostility_by_step",
    ):
        for suffix in (".png", ".pdf"):
            assert (out / "figures" / f"{stem}{suffix}").stat().st_size > 1000
    bad = subprocess.run(
        [*brink, "analyze", str(out), "--prim", "war_day"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "did you mean 'war_days'" in bad.stderr
