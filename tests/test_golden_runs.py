"""Moving code must not change what a run computes (HOUSE.md, "How to move").

Seeded ensembles of four bundled scenarios, one with wars and fronts, are hashed table by table
and compared with the record in ``tests/data/golden_runs.json``. A change to the model that is
meant to change outputs re-records with ``python scripts/golden_runs.py --write`` in the same
commit, and says why in the CHANGELOG.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "golden_runs.py"
_spec = importlib.util.spec_from_file_location("golden_runs", SCRIPT)
golden_runs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden_runs)


# black_sea_2022 takes the better part of a minute on a loaded two-core machine: marked slow, so
# it runs in CI's second stage (.ci/test) and `-m "not slow"` skips it while iterating.
@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, marks=pytest.mark.slow) if case[0] == "black_sea_2022" else case
        for case in golden_runs.GOLDEN_CASES
    ],
    ids=lambda case: case[0],
)
def test_seeded_tables_are_byte_identical_to_the_record(case):
    recorded = json.loads(golden_runs.RECORD.read_text())[golden_runs.case_key(*case)]
    texts = golden_runs.case_texts(*case)
    assert golden_runs.hashes_of(texts) == recorded
    if case == golden_runs.GOLDEN_CASES[0]:  # the guard covers the war phase: wars with fronts
        assert texts["fronts"].count("\n") > 1
        assert ",True," in texts["runs"]
