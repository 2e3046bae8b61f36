"""Defaults of ``brink fit``, importable without the model, pandas or Optuna (the command line
registers ``fit`` in every ``brink`` process)."""

#: The parameters fitted by default: those that decide whether a dispute escalates to war, how
#: it ends, and how long standoffs and wars last — the crisis core's own among them (issue 21,
#: item 7; docs/fitting.md argues the choice).
DEFAULT_FREE = (
    "precision",
    "display_hazard",
    "spiral_hazard",
    "escalation_cost",
    "review_rate",
    "war_cost_scale",
    "optimism",
    "offer_rate",
    "standoff_cost",
    "lapse_rate",
    "war_threat_rate",
    "loss_aversion",
    "concession_cost",
    "third_party_optimism",
    "cohesion_optimism",
    "join_interest",
    "advance_rate",
)
DEFAULT_BUDGET = 60
DEFAULT_RUNS = 10
DEFAULT_FOLDS = 5
#: Repeats of the best trial with fresh seeds, to measure the objective's noise.
DEFAULT_NOISE_REPEATS = 3
#: Rungs of successive halving (``brink fit --rungs``; brink.experiments.fit.fidelity): a ninth
#: of the cases, a third, then every case.
DEFAULT_RUNGS = 3
