"""What each side of a standoff weighs on its first day: a diagnostic for the crisis core.

    .venv/bin/python scripts/explain_standoff.py history/berlin_1948 berlin [--seed 5] [--set k=v]

Builds the run (a bundled scenario or a path, the run's seed as ``brink run --seed`` gives run
0), prepares day 1 as the model's step does (who would join, each side's projected war, the
nuclear risk), and prints for each side what the screening rule (``decision_rule`` 1) weighs
before it chooses: its resolve, the issue and exit it values, its daily cost of holding, its
ratio z = value / daily cost in days (the war of attrition's type: the side with the lower z is
the one expected to give way), its belief about the other's resolve, the days it would hold,
the chance it believes the other gives way first, and the war it projects. Nothing is drawn
from the run's generator.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("dispute")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)

    import numpy as np

    from brink.agents.screening_rule import ScreeningRule, side_terms
    from brink.errors import BrinkInputError
    from brink.scenarios.loader import load_scenario
    from brink.sim.decisions import Situation, open_options
    from brink.sim.dispute import CHALLENGER, TARGET
    from brink.sim.model import CrisisModel
    from brink.sim.params import parse_assignments, scenario_params
    from brink.sim.seeds import spawn_seeds

    try:  # brink run's --set and scenario loading: checked, with located errors
        scenario = load_scenario(args.scenario)
        params = scenario_params(scenario, parse_assignments(args.set))
    except BrinkInputError as error:
        print(f"explain_standoff: {error}", file=sys.stderr)
        return 2
    model = CrisisModel(scenario, params, seed=spawn_seeds(args.seed, 1)[0], run=0)
    dispute = model.disputes.get(args.dispute)
    if dispute is None:
        print(f"no dispute '{args.dispute}' opens on day 1: {sorted(model.disputes)}")
        return 2
    model.steps_done += 1  # day 1, as CrisisModel.step begins it
    model.prepare(dispute)
    rule = ScreeningRule()
    print(f"{scenario.name}, dispute {dispute.id}, day 1 (seed {args.seed})")
    for side in (CHALLENGER, TARGET):
        code = dispute.decider(side)
        me = model.states[code]
        rng = np.random.default_rng(0)  # explain draws nothing; the run's generator is untouched
        reasons = rule.explain(Situation(model, dispute, side, open_options(dispute, side), rng))
        terms = side_terms(model, dispute, side, side, dispute.standoff_level, dispute.level[side])
        daily = terms.flow + terms.hazard * max(0.0, -float(terms.war_gain(me.resolve)))
        ratio = float(terms.ratio(np.asarray(me.resolve)))
        view = dispute.war_views[side]
        print(
            f"  {side} {code}: resolve {me.resolve:.2f}; values prevailing at "
            f"{float(terms.prevailing(me.resolve)):.3f} (issue {terms.issue:.3f} × resolve + exit "
            f"{terms.exit:.3f}); holding costs {daily:.5f} a day; ratio z {ratio:.0f} days\n"
            f"      believes the other's resolve is {reasons.belief_other_resolve:.2f} on average; "
            f"would hold {reasons.days_to_yield:.0f} more days; believes the other gives way "
            f"first with chance {reasons.chance_other_yields:.2f}\n"
            f"      projects a war bringing the challenger {view.share:.2f} of the issue in "
            f"{view.days:.0f} days; war's gain over giving way {reasons.war_gain:.3f} "
            f"(nuclear risk {dispute.nuclear_risk[side]:.3f})"
        )
    joiners = sorted(dispute.join_probabilities.items(), key=lambda item: -max(item[1]))
    shown = [f"{code} {pc:.2f}/{pt:.2f}" for code, (pc, pt) in joiners if max(pc, pt) >= 0.01]
    print("  third states' chances of joining (challenger/target): " + (", ".join(shown) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
