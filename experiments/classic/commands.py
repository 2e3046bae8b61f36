"""``brink classic tribute|landscape|bdm``: the classic models of :mod:`brink.sim.classics` from the
command line, with their tables and figures (moved out of ``sim/``, which parses no command
line and draws nothing)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import cast

from brink.errors import BrinkInputError, Location
from brink.options import number, output_path
from brink.safe_output import staged_folder


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``brink classic`` and its three models."""
    classic = subparsers.add_parser("classic", help="run a classic model (tribute, landscape, bdm)")
    models = classic.add_subparsers(dest="classic", metavar="MODEL")
    classic.set_defaults(handler=lambda _args: classic.print_help() or 2)

    tribute = models.add_parser("tribute", help="Axelrod's tribute model (v4.0 rules)")
    tribute.add_argument(
        "--years", type=number(whole=True), default=1000, help="years per population"
    )
    tribute.add_argument("--seed", type=number(whole=True), default=0, help="root seed")
    tribute.add_argument(
        "--populations", type=number(whole=True), default=10, help="independent populations"
    )
    tribute.add_argument("--actors", type=number(whole=True), default=10, help="actors on the ring")
    tribute.add_argument(
        "--threshold",
        type=number(whole=True),
        default=50,
        help="least mutual commitment (%%) in a cluster",
    )
    tribute.add_argument(
        "--out", type=output_path, default=None, help="directory for tables and figures"
    )
    tribute.add_argument(
        "--force", action="store_true", help="replace this command's earlier output in --out"
    )
    tribute.set_defaults(handler=run_tribute_command)

    landscape = models.add_parser("landscape", help="landscape theory of aggregation")
    landscape.add_argument(
        "file",
        nargs="?",
        type=Path,
        help="landscape CSV (actor,size,...), or a bundled one's name (landscape_example)",
    )
    landscape.add_argument(
        "--europe-1936", action="store_true", help="the bundled 1936 Europe case"
    )
    landscape.add_argument(
        "--starts",
        type=number(whole=True),
        default=None,
        help="random starts (default: all, n <= 20)",
    )
    landscape.add_argument(
        "--seed", type=number(whole=True), default=0, help="seed for random starts"
    )
    landscape.add_argument("--out", type=output_path, default=None, help="directory for tables")
    landscape.add_argument(
        "--force", action="store_true", help="replace this command's earlier output in --out"
    )
    landscape.set_defaults(handler=run_landscape_command)

    bdm = models.add_parser("bdm", help="Bueno de Mesquita's expected-utility model")
    bdm.add_argument(
        "file",
        nargs="?",
        type=Path,
        help="Actor,Capability,Position,Salience or KTAB CSV, or a bundled one's name (ec_1992)",
    )
    bdm.add_argument("--scenario", help="scenario file or bundled name (with --demand)")
    bdm.add_argument("--demand", help="id of the scenario's demand to forecast talks over")
    bdm.add_argument("--rounds", type=number(whole=True), default=10, help="rounds of offers")
    bdm.add_argument(
        "--dimension", type=number(whole=True), default=1, help="issue dimension of a KTAB file"
    )
    bdm.add_argument(
        "--out", type=output_path, default=None, help="directory for tables and figure"
    )
    bdm.add_argument(
        "--force", action="store_true", help="replace this command's earlier output in --out"
    )
    bdm.set_defaults(handler=run_bdm_command)


#: Documented maxima (README, Reliability): each runs in under a minute on one core (issue 23
#: measured them; the old 50,000,000 actor-years took hours). A year costs about 0.7 ms with
#: 10 actors and grows with the actors and their commitments, so both the population-years
#: and the actor-years are bounded. Axelrod's own runs: 10 actors, 1,000 years, 10 populations
#: (100,000 actor-years, about 8 s).
MAX_ACTORS = 1_000
MAX_YEARS = 50_000
MAX_POPULATIONS = 1_000
MAX_POPULATION_YEARS = 50_000
MAX_ACTOR_YEARS = 500_000
MAX_ROUNDS = 10_000


def bundled_table(file: Path | None) -> Path | None:
    """A CSV argument: the file itself when it exists, else the bundled table of that name
    (``ec_1992`` or ``classics/ec_1992.csv``), as ``run`` and ``validate`` take a bundled
    scenario's name.

    Raises:
        BrinkInputError: if it is neither a file nor a bundled table's name.
    """
    if file is None or file.exists():
        return file
    from brink.errors import did_you_mean
    from brink.scenarios.loader import SCENARIO_DIR

    bundled = {path.stem: path for path in sorted((SCENARIO_DIR / "classics").glob("*.csv"))}
    name = str(file).removesuffix(".csv").removeprefix("classics/")
    if name in bundled:
        return bundled[name]
    raise BrinkInputError(
        f"no such file or bundled table{did_you_mean(name, bundled)}", Location(file=str(file))
    )


def _check_out(args: argparse.Namespace, kind: str) -> None:
    """Refuse an unusable --out before any work (new, empty, or this command's own with
    --force), so a long computation does not end in a refusal."""
    if args.out is not None:
        from brink.safe_output import check_output_folder

        check_output_folder(Path(args.out), kind=kind, again=args.force)


def _positive(value: int, flag: str, low: int = 1, high: int | None = None) -> None:
    if value < low:
        raise BrinkInputError(f"{value} must be >= {low}", Location(file="command line", key=flag))
    if high is not None and value > high:
        raise BrinkInputError(
            f"{value:,} is above the most allowed, {high:,}",
            Location(file="command line", key=flag),
        )


def _finite(values, what: str, source) -> None:
    """A result that came out inf or NaN (numbers too large for the arithmetic) is an error,
    never a printed ``inf`` with exit status 0."""
    import numpy as np

    array = np.asarray(values, dtype=float)
    if not np.isfinite(array).all():
        raise BrinkInputError(
            f"the {what} came out {array[~np.isfinite(array)][0]}: the input's numbers are too "
            "large or too small to compute with; rescale them (e.g. to 0–1 or 0–100)",
            Location(file=str(source)),
        )


def _seed(seed: int) -> None:
    if not 0 <= seed <= 2**128 - 1:
        raise BrinkInputError(
            f"{seed} is out of range (a seed is a whole number in 0–2**128−1)",
            Location(file="command line", key="--seed"),
        )


def run_tribute_command(args: argparse.Namespace) -> int:
    """Run the tribute model over populations; print a summary, write tables and figures."""
    import pandas as pd

    from brink.experiments.classic.figures import tribute_figures
    from brink.sim.classics.tribute_runs import cluster_summary, run_populations

    _check_out(args, "classic tribute")
    _seed(args.seed)
    _positive(args.years, "--years", 1, MAX_YEARS)
    _positive(args.populations, "--populations", 1, MAX_POPULATIONS)
    _positive(args.actors, "--actors", 2, MAX_ACTORS)
    if args.years * args.populations > MAX_POPULATION_YEARS:
        raise BrinkInputError(
            f"{args.years:,} years × {args.populations:,} populations is above "
            f"{MAX_POPULATION_YEARS:,} population-years (about a minute's work); run fewer",
            Location(file="command line", key="--years"),
        )
    if args.years * args.populations * args.actors > MAX_ACTOR_YEARS:
        raise BrinkInputError(
            f"{args.years:,} years × {args.populations:,} populations × {args.actors:,} actors "
            f"is above {MAX_ACTOR_YEARS:,} actor-years (about a minute's work); run fewer",
            Location(file="command line", key="--years"),
        )
    if not 1 <= args.threshold <= 100:
        raise BrinkInputError(
            f"{args.threshold} must be in 1–100", Location(file="command line", key="--threshold")
        )
    from tqdm import tqdm

    total = args.years * args.populations
    # on a terminal only (disable=None), like brink sweep's: a long run shows it is running
    with tqdm(total=total, unit="year", desc="brink classic tribute", disable=None) as bar:
        runs = run_populations(
            args.years,
            args.seed,
            args.populations,
            args.actors,
            args.threshold,
            progress=lambda done: bar.update(done - bar.n),
        )
    summary = cluster_summary(runs, args.years)
    years = pd.concat([run.years for run in runs], ignore_index=True)
    print(
        f"Tribute model (Axelrod 1997, v4.0 rules): {args.populations} populations of "
        f"{args.actors} actors, {args.years} years, root seed {args.seed}"
    )
    tribute = years["tribute"].sum()
    destroyed = (
        f"{years['destroyed'].sum() / tribute:.1%} of tribute paid"
        if tribute > 0
        else f"{years['destroyed'].sum():.0f} (no tribute was paid)"
    )
    print(
        f"  per population-year: {years['payments'].mean():.2f} payments, "
        f"{years['fights'].mean():.2f} fights; wealth destroyed in fights {destroyed}"
    )
    print(
        f"  clusters (>= 2 adjacent actors, every pair committed >= {args.threshold}%, "
        f"held >= 10 years): in {summary['with_cluster']} of {summary['populations']} "
        f"populations; {summary['clusters_per_population']:.1f} per population"
    )
    if summary["with_cluster"]:
        print(
            f"  first formed in year {summary['first_formed_median']:.0f} (median); held "
            f"{summary['duration_median']:.0f} years (median); {summary['size_mean']:.1f} "
            f"members (mean); {summary['holding_at_end']:.0%} still holding at the end; "
            f"{summary['clusters_at_end_mean']:.1f} clusters standing in the last year (mean)"
        )
    if args.out:
        with staged_folder(args.out, kind="classic tribute", again=args.force) as out:
            pd.concat([r.wealth for r in runs]).to_csv(out / "wealth.csv", index=False)
            years.to_csv(out / "years.csv", index=False)
            pd.concat([r.events for r in runs]).to_csv(out / "events.csv", index=False)
            pd.concat([r.commitment for r in runs]).to_csv(out / "commitment.csv", index=False)
            pd.concat([r.clusters for r in runs]).to_csv(out / "clusters.csv", index=False)
            written = tribute_figures(runs[0], pd.concat([r.clusters for r in runs]), out)
        print(
            f"  wrote wealth, years, events, commitment, clusters (.csv) and {len(written)} "
            f"figures to {args.out}"
        )
    return 0


def run_landscape_command(args: argparse.Namespace) -> int:
    """Print every local minimum of a landscape with its energy and basin."""
    import numpy as np

    from brink.sim.classics import europe_1936
    from brink.sim.classics.landscape import (
        MAX_EXHAUSTIVE,
        basins,
        enumerate_minima,
        read_landscape,
        sides_of,
    )

    _check_out(args, "classic landscape")
    _seed(args.seed)
    args.file = bundled_table(args.file)
    if args.europe_1936 == (args.file is not None):
        raise BrinkInputError(
            "give a landscape FILE or --europe-1936 (one of them)",
            Location(file="command line", key="--europe-1936"),
        )
    landscape = read_landscape(europe_1936.BUNDLED if args.europe_1936 else args.file)
    if args.starts is None and landscape.n > MAX_EXHAUSTIVE:
        raise BrinkInputError(
            f"{landscape.n} actors: too many to try every start; give --starts N",
            Location(str(args.file)),
        )
    if args.starts is not None:
        _positive(args.starts, "--starts")
    rng = np.random.default_rng(args.seed)
    with np.errstate(all="ignore"):  # an overflow is checked on the result, in one line
        found = basins(landscape, args.starts, rng)
    _finite(found["energy"], "energy of a configuration", args.file or "europe_1936")
    how = "all starts" if args.starts is None else f"{args.starts} random starts"
    minima = "minimum" if len(found) == 1 else "minima"
    print(f"{landscape.n} actors; descent from {how} finds {len(found)} local {minima}")
    if landscape.n <= MAX_EXHAUSTIVE:
        exhaustive = enumerate_minima(landscape)
        agree = set(exhaustive["config"]) == set(found["config"])
        print(
            f"exhaustive enumeration of {2 ** (landscape.n - 1)} configurations finds "
            f"{len(exhaustive)}: " + (f"the same {minima}" if agree else "DIFFERENT minima")
        )
    for rank, row in found.iterrows():
        side0, side1 = sides_of(landscape, row["config"])
        print(
            # cast: pandas-stubs types an index label as Hashable; found's index is the rank
            f"  #{cast(int, rank) + 1} energy {row['energy']:.6g}, basin {row['basin']} "
            f"({row['share']:.1%}): {{{', '.join(side0)}}} vs {{{', '.join(side1)}}}"
        )
    if args.europe_1936:
        print(europe_1936.describe(landscape, europe_1936.finding(landscape)))
        table = europe_1936.ablation()
        print("  each data source alone and left out (states placed as published / as in 1939):")
        for ablated in table.itertuples(index=False):
            print(
                f"    {ablated.variant:36s} {ablated.as_published:2d} / {ablated.as_1939:2d} of 17 "
                f"({ablated.minima} local minima)"
            )
    if args.out:
        table = found.copy()
        table["side_a"] = [" ".join(sides_of(landscape, c)[0]) for c in table["config"]]
        table["side_b"] = [" ".join(sides_of(landscape, c)[1]) for c in table["config"]]
        with staged_folder(args.out, kind="classic landscape", again=args.force) as out:
            table.drop(columns="config").to_csv(out / "minima.csv", index=False)
    return 0


def run_bdm_command(args: argparse.Namespace) -> int:
    """Print the expected-utility forecast round by round."""
    import numpy as np
    import pandas as pd

    from brink.experiments.classic.figures import bdm_figure
    from brink.sim.classics.bdm import forecast, read_actors

    _check_out(args, "classic bdm")
    args.file = bundled_table(args.file)
    _positive(args.rounds, "--rounds", 0, MAX_ROUNDS)
    if (args.file is None) == (args.scenario is None):
        raise BrinkInputError(
            "give an actors FILE or --scenario with --demand (one of them)",
            Location(file="command line", key="--scenario"),
        )
    if args.scenario is not None:
        from brink.scenarios.loader import load_scenario
        from brink.sim.classics.talks import demand_actors, find_demand

        if not args.demand:
            raise BrinkInputError(
                "--scenario needs --demand ID", Location(file="command line", key="--demand")
            )
        scenario = load_scenario(args.scenario)
        demand = find_demand(scenario, args.demand)
        actors = demand_actors(scenario, demand)
        result = forecast(actors, args.rounds, spread=1.0)
        print(
            f"Talks over {demand.by}'s demand '{demand.id}' on {demand.on} "
            f"(share conceded: 0 = none, {demand.size:g} = all demanded)"
        )
    else:
        actors = read_actors(args.file, args.dimension)
        with np.errstate(all="ignore"):  # an overflow is checked on the result, in one line
            result = forecast(actors, args.rounds)
    _finite(
        [*result.summary["forecast"], *result.summary["mean"], result.settlement],
        "forecast",
        args.file or args.scenario,
    )
    print(f"{len(actors)} actors from {args.file or args.scenario}")
    for _, row in result.summary.iterrows():
        round_number = int(row["round"])
        table = result.rounds[result.rounds["round"] == round_number]
        print(
            f"round {round_number}: forecast {row['forecast']:.6g}, weighted mean {row['mean']:.6g}"
        )
        print(
            "  "
            + "  ".join(
                f"{r.actor} {r.position:.4g} (r={r.exponent:.2f})"
                for r in table.itertuples(index=False)
            )
        )
        for offer in result.offers:
            if offer.round == round_number + 1 and offer.accepted:
                print(
                    f"  -> {offer.receiver} accepts {offer.sender}'s {offer.kind}: moves to "
                    f"{offer.new_position:.4g}"
                )
    print(f"forecast settlement: {result.settlement:.6g}")
    if args.out:
        with staged_folder(args.out, kind="classic bdm", again=args.force) as out:
            result.rounds.to_csv(out / "rounds.csv", index=False)
            result.summary.to_csv(out / "forecast.csv", index=False)
            offers = pd.DataFrame([vars(o) for o in result.offers])
            offers.to_csv(out / "offers.csv", index=False)
            bdm_figure(result.rounds, result.summary, out / "positions")
    return 0
