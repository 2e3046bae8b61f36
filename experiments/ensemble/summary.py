"""What an ensemble says, in an analyst's words (``summary.md`` and the terminal).

Every probability is a share of runs with a Wilson score 95 % interval (Wilson 1927; Brown,
Cai & DasGupta 2001 recommend it over the normal interval for the small and extreme shares a
crisis ensemble produces). The summary is computed from data frames only (the runs table, the
system escalation score per step, the distinct actions of each run) and the scenario, so it can
be recomputed from a run directory on disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import pandas as pd

from brink.experiments.ensemble.tables import (
    Estimate,
    actor_name,
    members_in_force,
    percent,
    shorten,
    side_table,
    split_codes,
)
from brink.scenarios.spec import Scenario
from brink.sim.hostility import Hostility
from brink.sim.outcomes import Outcome
from brink.sim.record import RUN_OUTCOMES as OUTCOMES
from brink.sim.scheduled_events import MOOT_WHEN_SETTLED


@dataclass
class DisputeSummary:
    """The estimates of one dispute."""

    dispute: str
    title: str
    headline: list[Estimate]
    outcomes: list[Estimate]
    levels: dict[int, float]  # share of runs whose highest level was each MID level
    demand: tuple[float, float, float] | None = None  # mean, min, max of the final demand
    settlement: float | None = None  # mean share of the issue the challenger got


@dataclass
class Summary:
    """Everything the analyst summary states; :meth:`markdown` renders it."""

    scenario: str
    runs: int
    root_seed: int | None
    horizon: int | None
    disputes: list[DisputeSummary]
    alliance_wars: list[Estimate]
    sanctions: list[Estimate]
    withdrawals: list[Estimate]
    sides: pd.DataFrame
    names: dict[str, str]
    escalation: dict[str, float] = field(default_factory=dict)
    actions: list[Estimate] = field(default_factory=list)
    step_unit: str = "day"
    wars: list[str] = field(default_factory=list)  # the wars (experiments/ensemble/war_report.py)
    timeline: list[Estimate] = field(default_factory=list)  # scheduled entries reached

    def headline(self) -> list[Estimate]:
        """The few numbers an analyst asks for first: force and war, then concessions."""
        force_and_war = [e for d in self.disputes for e in d.headline[:2]]
        concessions = [e for d in self.disputes for e in d.headline[2:]]
        return force_and_war + self.alliance_wars + concessions + self.withdrawals + self.sanctions

    def markdown(self) -> str:
        """The summary as Markdown, also readable as plain text in a terminal."""
        out = [f"# {self.scenario}: {self.runs} runs", ""]
        about = f"{self.runs} runs"
        if self.horizon is not None:
            about += f" of at most {self.horizon} {self.step_unit}s"
        if self.root_seed is not None:
            about += f", root seed {self.root_seed}"
        out += [
            about + ". Each number is the share of runs, with its 95 % confidence interval "
            "(Wilson).",
            "",
            "## Headline",
            "",
        ]
        out += [f"- {estimate.text()}" for estimate in self.headline()]
        for dispute in self.disputes:
            out += ["", f"## {dispute.title}", "", "| outcome | share of runs | 95 % CI |"]
            out += ["|---|---:|---:|"]
            for estimate in dispute.outcomes:
                low, high = estimate.interval
                out.append(
                    f"| {estimate.label} | {percent(estimate.share)} | "
                    f"{low * 100:.1f}–{high * 100:.1f} |"
                )
            levels = ", ".join(
                f"{level} {LEVEL_NAMES[level]}: {percent(share)}"
                for level, share in dispute.levels.items()
            )
            out += ["", f"Highest hostility level reached (MID scale): {levels}."]
            if dispute.demand is not None:
                mean, low, high = dispute.demand
                spread = "" if high - low < 5e-4 else f" (from {low:.3f} to {high:.3f})"
                out += [
                    "",
                    f"Demand on the table at the end (share of the issue; an ultimatum's demand "
                    f"where one was made): mean {mean:.3f}{spread}. Share the challenger got: "
                    f"mean {dispute.settlement:.3f}.",
                ]
        out += ["", "## Who fought on which side", ""]
        out += self._sides_markdown()
        if self.wars:
            out += ["", *self.wars]
        if self.timeline:
            out += [
                "",
                "## The scheduled timeline",
                "",
                "Share of runs in which each scheduled entry took place: a run ends when every "
                "dispute is settled, and words about a settled dispute are not said.",
                "",
            ]
            out += [f"- {estimate.text()}" for estimate in self.timeline]
        if self.escalation:
            e = self.escalation
            out += [
                "",
                "## Escalation",
                "",
                f"Peak system escalation score (Rivera et al. 2024 scale): median "
                f"{e['peak_median']:.0f}, 90 % of runs between {e['peak_q05']:.0f} and "
                f"{e['peak_q95']:.0f}. Disputes lasted a median of "
                f"{e['duration_median']:.0f} {self.step_unit}s"
                f"; {percent(e['war_share'])} saw a war, with median casualties "
                f"{e['casualties_median']:.1f} thousand in those runs.",
            ]
        if self.actions:
            out += [
                "",
                "## What the parties did (share of runs in which each did it at least once)",
            ]
            out += [""] + [f"- {estimate.text()}" for estimate in self.actions]
        return "\n".join(out) + "\n"

    def _sides_markdown(self) -> list[str]:
        if self.sides.empty:
            return ["No state fought in any run."]
        lines = []
        for dispute, group in self.sides.groupby("dispute", sort=False):
            challenger = self.names.get(group["challenger"].iloc[0], group["challenger"].iloc[0])
            target = self.names.get(group["target"].iloc[0], group["target"].iloc[0])
            wide = group.pivot_table(index="state", columns="side", values="share", aggfunc="sum")
            wide = wide.reindex(columns=["challenger", "target"]).fillna(0.0)
            principals = [group["challenger"].iloc[0], group["target"].iloc[0]]
            wide = wide.assign(
                principal=[principals.index(s) if s in principals else 2 for s in wide.index],
                total=wide.sum(axis=1),
            ).sort_values(["principal", "total"], ascending=[True, False], kind="stable")
            lines += [
                f"Dispute `{dispute}`: share of all runs in which each state fought.",
                "",
                f"| state | with {challenger} | with {target} |",
                "|---|---:|---:|",
            ]
            for state, row in wide.iterrows():
                code = cast(str, state)  # pandas-stubs: an index label is Hashable; a state code
                lines.append(
                    f"| {self.names.get(code, code)} | {percent(row['challenger'])} | "
                    f"{percent(row['target'])} |"
                )
            lines.append("")
        return lines[:-1]


LEVEL_NAMES = {1: "none", 2: "threat", 3: "display", 4: "use of force", 5: "war"}


def _outcome_label(outcome: str, challenger: str, target: str) -> str:
    labels: dict[str, str] = {
        Outcome.VICTORY_CHALLENGER: f"victory for {challenger}",
        Outcome.VICTORY_TARGET: f"victory for {target}",
        Outcome.YIELD_CHALLENGER: f"{challenger} backs down",
        Outcome.YIELD_TARGET: f"{target} gives in",
        Outcome.COMPROMISE: "compromise",
        Outcome.STALEMATE: "stalemate (no settlement)",
        Outcome.WAR_ONGOING: "war still going at the end of the run",
    }
    return labels[outcome]


def _run_sets(runs: pd.DataFrame, column: str) -> dict[int, set[str]]:
    result: dict[int, set[str]] = {}
    for run, cell in zip(runs["run"], runs[column], strict=True):
        result.setdefault(int(run), set()).update(split_codes(cell))
    return result


def _hostile_pairs(runs: pd.DataFrame) -> dict[int, set[tuple[str, str]]]:
    """For each run, the unordered pairs of states that fought on opposite sides."""
    pairs: dict[int, set[tuple[str, str]]] = {int(run): set() for run in runs["run"]}
    fought = runs[runs["war"].astype(bool)]
    for run, left, right in zip(
        fought["run"], fought["side_challenger"], fought["side_target"], strict=True
    ):
        for a in split_codes(left):
            for b in split_codes(right):
                pairs[int(run)].add((a, b))
                pairs[int(run)].add((b, a))
    return pairs


def summarize(
    scenario: Scenario,
    runs: pd.DataFrame,
    escalation: pd.DataFrame | None = None,
    actions: pd.DataFrame | None = None,
    *,
    root_seed: int | None = None,
    horizon: int | None = None,
    step_unit: str = "day",
    n_runs: int | None = None,
) -> Summary:
    """Compute the analyst summary of an ensemble.

    Args:
        scenario: the scenario the runs simulated (names, alliances, sanctions).
        runs: the runs table (one row per run and dispute).
        escalation: run, step, escalation_score, for the escalation paragraph.
        actions: run, actor, action, target (distinct per run), for withdrawals and actions.
        root_seed: the ensemble's root seed, to print.
        horizon: the runs' horizon in steps, to print.
        step_unit: what one step is (``day`` or ``week``).
        n_runs: how many runs the ensemble had; default: the runs in ``runs`` (a run of a
            scenario without disputes has no row there).

    Returns:
        Summary: the estimates; ``summary.markdown()`` is the text of ``summary.md``.
    """
    n = int(runs["run"].nunique()) if n_runs is None else n_runs
    names = {code: actor_name(scenario, code) for code in [*scenario.states, *scenario.alliances]}

    def name(code: str) -> str:
        return names.get(code, code)

    disputes = []
    issues = {demand.id: demand.issue for demand in scenario.demands}
    for key, group in runs.groupby("dispute", sort=False):
        dispute = cast(str, key)  # pandas-stubs types a group key as any scalar; an id
        c, t = name(group["challenger"].iloc[0]), name(group["target"].iloc[0])
        trials = len(group)
        force = int((group["challenger_level"] >= Hostility.USE_OF_FORCE).sum())
        war = int(group["war"].astype(bool).sum())
        gives_in = int((group["outcome"] == Outcome.YIELD_TARGET).sum())
        issue = issues.get(dispute, "")
        headline = [
            Estimate(f"{c} uses force against {t}", force, trials),
            Estimate(f"War between {c} and {t} over `{dispute}`", war, trials),
            Estimate(
                f"{t} gives in to {c}" + (f" ({shorten(issue)})" if issue else ""),
                gives_in,
                trials,
            ),
        ]
        outcomes = [
            Estimate(_outcome_label(o, c, t), int((group["outcome"] == o).sum()), trials)
            for o in OUTCOMES
        ]
        levels = {
            level: float((group["max_level"] == level).mean()) for level in sorted(LEVEL_NAMES)
        }
        title = f"Dispute `{dispute}`: {c} against {t}" + (f": {issue}" if issue else "")
        demand = None
        if "demand" in group:
            values = group["demand"].astype(float)
            demand = (float(values.mean()), float(values.min()), float(values.max()))
        settlement = float(group["settlement"].mean()) if "settlement" in group else None
        disputes.append(
            DisputeSummary(dispute, title, headline, outcomes, levels, demand, settlement)
        )

    pairs = _hostile_pairs(runs)
    alliance_wars = []
    for challenger in dict.fromkeys(runs["challenger"]):
        for alliance in scenario.alliances:
            members = members_in_force(scenario, alliance)
            if challenger in members or not members:
                continue
            count = sum(
                any(a == challenger and b in members for a, b in run_pairs)
                for run_pairs in pairs.values()
            )
            alliance_wars.append(
                Estimate(
                    f"War between {name(challenger)} and a {alliance} member, in any dispute",
                    count,
                    n,
                )
            )

    imposed = _run_sets(runs, "sanctions_imposed")
    sanction_ids = [s.id for s in scenario.sanctions]
    sanction_ids += sorted({i for ids in imposed.values() for i in ids} - set(sanction_ids))
    specs = {s.id: s for s in scenario.sanctions}
    sanctions = []
    for sanction in sanction_ids:
        count = sum(sanction in ids for ids in imposed.values())
        spec = specs.get(sanction)
        if spec is None:
            label = f"Sanctions `{sanction}` imposed"
        else:
            senders = (
                ", ".join(name(s) for s in spec.senders)
                if len(spec.senders) <= 3
                else f"{len(spec.senders)} states"
            )
            label = (
                f"Sanctions `{sanction}` on {name(spec.target)} by {senders} "
                f"(severity {spec.severity:g}) imposed"
            )
        sanctions.append(Estimate(label, count, n))

    withdrawals: list[Estimate] = []
    action_estimates: list[Estimate] = []
    if actions is not None and not actions.empty:
        withdrawals = _withdrawals(scenario, actions, n, name)
        parties = set(runs["challenger"]) | set(runs["target"])
        parties |= {a.leader for a in scenario.alliances.values() if a.id in parties and a.leader}
        action_estimates = _action_estimates(actions[actions["actor"].isin(parties)], n, name)

    from brink.experiments.ensemble.war_report import war_facts, war_markdown

    return Summary(
        wars=war_markdown(war_facts(runs, names)),
        timeline=_timeline_reached(scenario, runs, n, name),
        scenario=scenario.name,
        runs=n,
        root_seed=root_seed,
        horizon=horizon,
        disputes=disputes,
        alliance_wars=alliance_wars,
        sanctions=sanctions,
        withdrawals=withdrawals,
        sides=side_table(runs),
        names=names,
        escalation=_escalation_facts(runs, escalation),
        actions=action_estimates,
        step_unit=step_unit,
    )


WITHDRAW_ACTIONS = ("withdraw",)


def _timeline_reached(scenario: Scenario, runs: pd.DataFrame, n: int, name) -> list[Estimate]:
    """For each scheduled timeline entry after day 0: the share of runs that reached its day
    (and, for words about a dispute, with that dispute still unsettled)."""
    if "end_step" not in runs or not scenario.events:
        return []
    last_step = runs.groupby("run")["end_step"].max()
    # a dispute still open when the run stopped has its end at the run's last step
    ends = runs.set_index(["run", "dispute"])["end_step"]
    result = []
    for event in scenario.events:
        if event.day <= 0:
            continue
        reached = last_step >= event.day
        if event.kind in MOOT_WHEN_SETTLED and event.dispute is not None:
            for run in reached.index[reached]:
                key = (run, event.dispute)
                if key in ends.index and ends[key] < event.day:
                    reached[run] = False
        what = event.kind.replace("_", " ")
        who = name(event.actor) if event.actor else ""
        label = f"day {event.day}: {who} {what}".replace("  ", " ")
        if event.text:
            label += f" ({shorten(event.text, 50)})"
        result.append(Estimate(label, int(reached.sum()), n))
    return result


def _withdrawals(scenario: Scenario, actions: pd.DataFrame, n: int, name) -> list[Estimate]:
    """Share of runs in which some member of each alliance withdrew forces."""
    withdrawn = actions[actions["action"].isin(WITHDRAW_ACTIONS)]
    result = []
    for alliance in scenario.alliances:
        members = members_in_force(scenario, alliance)
        count = int(withdrawn[withdrawn["actor"].isin(members)]["run"].nunique())
        if count or any(d.on == alliance for d in scenario.demands):
            result.append(Estimate(f"A {alliance} member withdraws forces", count, n))
    return result


def _action_estimates(actions: pd.DataFrame, n: int, name) -> list[Estimate]:
    """Share of runs in which each state took each action at least once, by state, most
    frequent first; an act within a dispute is counted per dispute, so "backs down" in one
    dispute is not read as backing down in another."""
    acted = actions.dropna(subset=["actor", "action"]).copy()
    if "dispute" not in acted:
        acted["dispute"] = None
    acted["dispute"] = acted["dispute"].fillna("")
    counts = acted.groupby(["actor", "action", "dispute"])["run"].nunique().reset_index()
    order = list(dict.fromkeys(acted["actor"]))
    counts["order"] = counts["actor"].map(order.index)
    counts = counts.sort_values(["order", "run"], ascending=[True, False])
    by_key = counts.set_index(["actor", "action", "dispute"])["run"]
    # cast: pandas-stubs types a MultiIndex label as Hashable; here (actor, action, dispute)
    items = cast("list[tuple[tuple[str, str, str], int]]", list(by_key.items()))
    return [
        Estimate(
            f"{name(actor)}: {action.replace('_', ' ')}" + (f" (`{dispute}`)" if dispute else ""),
            int(count),
            n,
        )
        for (actor, action, dispute), count in items
    ]


def _escalation_facts(runs: pd.DataFrame, escalation: pd.DataFrame | None) -> dict[str, float]:
    if escalation is None or escalation.empty:
        return {}
    peaks = escalation.groupby("run")["escalation_score"].max()
    per_run = runs.groupby("run").agg(
        duration=("duration", "max"), war=("war", "any"), casualties=("casualties", "sum")
    )
    war_runs = per_run[per_run["war"].astype(bool)]
    return dict(
        peak_median=float(peaks.median()),
        peak_q05=float(peaks.quantile(0.05)),
        peak_q95=float(peaks.quantile(0.95)),
        duration_median=float(per_run["duration"].median()),
        war_share=float(per_run["war"].astype(bool).mean()),
        casualties_median=float(war_runs["casualties"].median()) if len(war_runs) else 0.0,
    )
