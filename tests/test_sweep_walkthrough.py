"""The README's walk-through of the bundled tripwire experiment, on a small budget: levers and
uncertainties swept, then PRIM, CART, feature scores, stacking, a SALib method and robust choice
of levers, each writing its section and figures."""

from __future__ import annotations

import shlex
import subprocess
import sys

import pytest

BRINK = [sys.executable, "-m", "brink"]
# the README's commands, on a small budget
SWEEP = shlex.split("sweep tripwire --samples 3 --replications 4 --jobs 1 --no-progress --out")
ANALYZE = shlex.split(
    "--prim force --cart --feature-scores --stack --method rsa "
    "--robust deployments.tripwire_gbr.troops alliances.NATO.members.EST "
    "--outcome force --satisficing 0.5"
)


@pytest.mark.slow
def test_the_readme_walkthrough_runs(tmp_path):
    out = tmp_path / "tripwire"
    subprocess.run([*BRINK, *SWEEP, str(out)], check=True)
    subprocess.run([*BRINK, "analyze", str(out), *ANALYZE], check=True)
    report = (out / "analysis.md").read_text(encoding="utf-8")
    for heading in (
        "## Over time: mean highest hostility level",
        "## Scenario discovery: PRIM",
        "## Scenario discovery: CART",
        "## Feature scores (extra trees)",
        "## Dimensional stacking",
        "## Sensitivity: Regional (SALib)",
        "## Robust choice of levers: P(Russian force)",
    ):
        assert heading in report
    # a yes/no factor's rows read as its choices, not as the codes the analyses use
    for choice in ("true", "false"):
        assert f"| alliances.NATO.members.EST | {choice} |" in report
    stems = (
        "prim_force_trajectory",
        "prim_force_box",
        "cart_force",
        "robust_force",
        "force_stack",
        "hostility_by_step",
        "force_feature_scores",
    )
    for stem in stems:
        for suffix in (".png", ".pdf"):
            assert (out / "figures" / f"{stem}{suffix}").stat().st_size > 1000
    bad = subprocess.run(
        [*BRINK, "analyze", str(out), "--prim", "forc"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "did you mean 'force'" in bad.stderr, bad.stderr
    assert not (out / "figures" / "prim_forc_box.png").exists()
