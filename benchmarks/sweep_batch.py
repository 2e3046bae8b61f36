"""The crisis model as ``mesa.batch_run`` takes it, for ``bench_sweep.py``.

A module of its own, so that the benchmark's brink variant never imports Mesa or the model in
its driver process, and so that batch_run's spawned workers can import the class by name.
"""

from __future__ import annotations

import mesa

from brink.errors import Location
from brink.experiments.sweep.factors import apply_factors, resolve_factor
from brink.scenarios.loader import load_scenario
from brink.sim.model import CrisisModel
from brink.sim.params import scenario_params

_CACHE: dict[str, object] = {}


class BatchCrisis(CrisisModel):
    """A thin mesa.Model for batch_run: its keyword arguments are the sweep's factors."""

    def __init__(self, troops=0.9, reliability=0.75, horizon=90, rng=None):
        # the scenario is loaded once per process, as a brink worker does
        if "scenario" not in _CACHE:
            _CACHE["scenario"] = load_scenario("black_sea_2022")
        scenario = _CACHE["scenario"]
        params = scenario_params(scenario, {"horizon": horizon})
        names = ("deployments.usa_in_romania.troops", "alliances.NATO.reliability")
        targets = {name: resolve_factor(name, scenario, Location()) for name in names}
        values = dict(zip(names, (troops, reliability), strict=True))
        scenario, params = apply_factors(scenario, params, values, targets)
        super().__init__(scenario, params, seed=rng, run=0)
        # batch_run reads results from a DataCollector: the runs rows, as brink keeps them
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "runs": lambda model: list(model.record.runs),
                "war": lambda model: any(row["war"] for row in model.record.runs),
            }
        )

    def step(self):
        super().step()
        if not self.running:
            self.finish()
            self.datacollector.collect(self)
