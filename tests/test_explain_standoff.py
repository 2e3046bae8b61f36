"""``scripts/explain_standoff.py``: what each side of a standoff weighs on day 1."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "explain_standoff.py"


def explain(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=300
    )


def test_both_sides_are_explained_and_the_lower_ratio_gives_way_sooner():
    done = explain("history/berlin_1948", "berlin", "--seed", "1")
    assert done.returncode == 0, done.stderr
    sides = re.findall(
        r"  (challenger|target) (\w+): resolve ([\d.]+);.*ratio z (\d+) days", done.stdout
    )
    assert [(side, code) for side, code, _, _ in sides] == [
        ("challenger", "SUN"),
        ("target", "USA"),
    ]
    holds = [float(h) for h in re.findall(r"would hold (inf|\d+) more days", done.stdout)]
    ratios = [int(z) for *_, z in sides]
    # the war of attrition: the side whose value of the issue over its daily cost is lower holds
    # for less time
    assert (ratios[0] < ratios[1]) == (holds[0] < holds[1])
    # a parameter given with --set is the run's: no daily cost of holding, no war risk → z huge
    free = explain("history/berlin_1948", "berlin", "--set", "standoff_cost=0.0")
    assert free.returncode == 0 and free.stdout != done.stdout


def test_an_unknown_dispute_is_named_with_the_ones_there_are():
    done = explain("history/berlin_1948", "nosuch")
    assert done.returncode == 2 and "'berlin'" in done.stdout
