"""The Python API behind ``brink.load``, ``brink.run``, ``brink.sweep`` and ``brink.retrodict``.

``brink run`` on the command line and :func:`run` here go through the same functions
(:mod:`brink.experiments.ensemble.runner`): the command streams the tables to a run directory, the
API keeps them in memory, and for the same seed the tables and the summary are the same
(``tests/test_api.py`` compares them). Heavy libraries are imported inside the functions, so
``import brink`` stays quick.
"""

from __future__ import annotations

import ast
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brink.errors import EXIT_USAGE, BrinkInputError, Location
from brink.experiments.ensemble.runner import (
    API_CALL,
    headline_records,
    posterior_draws,
    resolve_params,
    run_manifest,
    simulate_ensemble,
)

if TYPE_CHECKING:
    from types import FrameType

    import pandas as pd
    from matplotlib.figure import Figure

    from brink.experiments.ensemble.summary import Summary
    from brink.experiments.executors import Runner
    from brink.experiments.retrodiction.run import RetroResult
    from brink.experiments.sweep.run import SweepResult
    from brink.scenarios.spec import Scenario
    from brink.sim.params import ModelParams

#: Most replications of one ensemble (as ``brink run --runs``).
MAX_RUNS = 10_000_000
#: Most worker processes (as ``brink run --jobs``).
MAX_JOBS = 512


def load(scenario: str | Path) -> Scenario:
    """Load and check a scenario: a bundled name (``"black_sea_2022"``) or a file's path.

    Raises:
        BrinkInputError: for an unknown name (with the nearest bundled one) or any mistake in
            the file, located ``file:line:column``.
    """
    from brink.scenarios.loader import load_scenario

    return load_scenario(scenario)


def whole_number(value: Any, name: str, low: int, high: int, where: str = API_CALL) -> int:
    """An integer argument in ``[low, high]``, or a located error naming the argument."""
    location = Location(file=where, key=name)
    if isinstance(value, bool):
        raise BrinkInputError(f"{value} is not a whole number", location)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise BrinkInputError(f"'{value}' is not a whole number", location) from None
    if not low <= number <= high:
        raise BrinkInputError(f"{number} is out of range (use {low}–{high})", location)
    return number


@dataclass(frozen=True)
class RunResult:
    """An ensemble's tables, summary and what reproduces it (returned by :func:`run`).

    Attributes:
        scenario: the checked scenario that ran.
        params: the resolved model parameters.
        root_seed: the ensemble's root seed (drawn and recorded when none was given).
        tables: every table a run writes, by name (``runs``, ``steps``, ``events``,
            ``beliefs``, ``fronts``), as pandas data frames.
        summary: the analyst summary; :attr:`text` is the Markdown of ``summary.md``.
        manifest: versions, parameters, seeds and the call that reproduces the run.
    """

    scenario: Scenario
    params: ModelParams
    root_seed: int
    tables: Mapping[str, pd.DataFrame]
    summary: Summary
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def runs(self) -> pd.DataFrame:
        """One row per run and dispute: outcome, levels, war, casualties, sides."""
        return self.tables["runs"]

    @property
    def steps(self) -> pd.DataFrame:
        """One row per run, step and state: posture, escalation, cohesion."""
        return self.tables["steps"]

    @property
    def events(self) -> pd.DataFrame:
        """One row per act: who did what to whom, when."""
        return self.tables["events"]

    @property
    def text(self) -> str:
        """The summary as Markdown (the text ``brink run`` prints and writes to summary.md)."""
        return self.summary.markdown()

    @property
    def outcomes(self) -> pd.DataFrame:
        """Share of runs ending in each outcome, per dispute, with Wilson 95 % bounds.

        Columns: dispute, challenger, target, outcome, count, runs, share, low, high.
        """
        from brink.experiments.ensemble.tables import outcome_table

        return outcome_table(self.runs)

    @property
    def headline(self) -> pd.DataFrame:
        """The summary's headline estimates: label, count, runs, share, low, high."""
        import pandas as pd

        rows = headline_records(self.summary)
        return pd.DataFrame(rows, columns=["label", "count", "runs", "share", "low", "high"])

    def plot_outcomes(self) -> Figure:
        """How each dispute ends: share of runs with 95 % intervals (a matplotlib figure)."""
        from brink.experiments.ensemble.figures import outcome_figure

        _show_figures_in_notebooks()
        return outcome_figure(self.runs, self.summary.names)

    def _repr_markdown_(self) -> str:  # a notebook shows the summary
        return self.text


def _show_figures_in_notebooks() -> None:
    """Let a Jupyter notebook draw Brink's figures, which are made without pyplot (IPython
    registers a PNG view of figures only for ``%matplotlib inline``)."""
    import sys

    if "IPython" not in sys.modules:
        return  # not in a notebook or an IPython shell: nothing to register
    from IPython import get_ipython
    from IPython.core.pylabtools import print_figure
    from matplotlib.figure import Figure

    shell = get_ipython()
    if shell is not None:
        png = shell.display_formatter.formatters["image/png"]
        png.for_type(Figure, lambda figure: print_figure(figure, "png", bbox_inches="tight"))


def check_main_guard(call: str, instead: str = "") -> None:
    """Stop at once, in one line, a plain script that would start worker processes unguarded.

    Worker processes are started through a fork server, and each imports the script that
    started them again to find what it defines (Python's ``multiprocessing`` documentation,
    "Safe importing of main module"). A script that calls ``call`` at its top level, outside
    ``if __name__ == "__main__":``, would call it again in every worker, which fails after
    retries as a broken process pool. A notebook, an interactive session and a call inside
    the guard pass. ``instead`` names another way out, such as ``jobs=1``.

    The script is stopped as the command line stops on a mistake: one located line on standard
    error, exit status 2, no traceback (the script cannot go on: its workers would fail).

    Raises:
        SystemExit: with status 2, after the line naming the script's line and what to add.
    """
    main = sys.modules.get("__main__")
    script = getattr(main, "__file__", None)
    if script is None:  # a notebook or an interactive session: workers do not import it
        return
    frame: FrameType | None = sys._getframe(1)
    line = None
    while frame is not None:  # the script's top-level statement that led here, if any
        if frame.f_code.co_filename == script and frame.f_code.co_name == "<module>":
            line = frame.f_lineno
        frame = frame.f_back
    if line is None:
        return
    try:
        tree = ast.parse(Path(script).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return  # no source to read: let the call go on
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.If)
            and _is_main_test(node.test)
            and node.body[0].lineno <= line <= (node.body[-1].end_lineno or line)
        ):
            return
    error = BrinkInputError(
        f"{call} starts worker processes, which import this script again: put the call under "
        'if __name__ == "__main__":' + (f" (or pass {instead})" if instead else ""),
        Location(file=script, line=line),
    )
    print(error, file=sys.stderr)
    raise SystemExit(EXIT_USAGE)


def _is_main_test(test: ast.expr) -> bool:
    """Whether ``test`` is ``__name__ == "__main__"`` (either way round)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    mains = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return isinstance(test.ops[0], ast.Eq) and len(names) == 1 and len(mains) == 1


def run(
    scenario: str | Path | Scenario,
    *,
    runs: int = 100,
    seed: int | None = None,
    params: Mapping[str, Any] | str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    horizon: int | None = None,
    posterior: bool = False,
    jobs: int = 1,
    progress: bool = False,
    rules: Sequence[str] = (),
) -> RunResult:
    """Run an ensemble of a scenario in memory; no output folder is needed.

    Args:
        scenario: a bundled scenario's name, a scenario file, or a scenario from :func:`load`.
        runs: replications (each with its own seed spawned from the root seed).
        seed: the root seed; drawn from the operating system and recorded when None.
        params: parameter values to start from: a dict, or a params file's path (as
            ``--params``; ``brink fit`` writes one). The scenario's own ``parameters:`` and
            ``overrides`` take precedence over them.
        overrides: parameter values that override everything else (as ``--set``).
        horizon: steps per run at most (as ``--horizon``).
        posterior: each run draws its parameters from the params file's posterior sample
            (as ``--posterior``), so the intervals include parameter uncertainty.
        jobs: worker processes; 1 runs in this process.
        progress: show a progress bar on standard error.
        rules: decision rules, each ``[STATE=]MODULE:NAME`` as ``--rule`` takes them (e.g.
            ``["RUS=examples/rules/stubborn.py:Stubborn"]``), over the scenario's own.

    Returns:
        RunResult: the tables as data frames, outcome shares with Wilson intervals, the
        summary and the manifest. ``brink run`` with the same seed writes the same tables.

    Raises:
        BrinkInputError: for an unknown scenario, a mistake in its file or the params file, or
            an argument out of range, located at the file's line or at the argument.
    """
    from brink.experiments.ensemble import output
    from brink.scenarios.params_file import load_params_file
    from brink.scenarios.spec import Scenario
    from brink.sim.seeds import draw_root_seed, spawn_seeds

    n_runs = whole_number(runs, "runs", 1, MAX_RUNS)
    n_jobs = whole_number(jobs, "jobs", 1, MAX_JOBS)
    if n_jobs > 1:
        check_main_guard("brink.run(jobs=...)", "jobs=1")
    given = None if seed is None else whole_number(seed, "seed", 0, 2**128 - 1)
    checked = scenario if isinstance(scenario, Scenario) else load(scenario)
    given_rules: tuple = ()
    if rules:
        checked, given_rules = _with_rules(checked, rules)
    params_file = load_params_file(params) if isinstance(params, str | Path) else None
    if posterior and params_file is None:
        raise BrinkInputError(
            "posterior=True needs params= a params file with a posterior: block",
            Location(file=API_CALL, key="posterior"),
        )
    resolved = resolve_params(checked, params_file or params, overrides, horizon)
    draws = (
        posterior_draws(checked, params_file, overrides, horizon)
        if posterior and params_file is not None  # posterior without a file stopped above
        else ()
    )
    root = draw_root_seed() if given is None else given
    clock = time.perf_counter()
    call = _reproducing_call(
        checked, n_runs, root, params, overrides, horizon, posterior, given_rules
    )
    manifest = run_manifest(
        checked,
        resolved,
        root_seed=root,
        seed_given=given is not None,
        runs=n_runs,
        jobs=n_jobs,
        params_file=params_file,
        draws=len(draws),
        how={"call": call},
    )
    manifest.update(started=output.now_iso(), seeds=spawn_seeds(root, n_runs))
    result, summary = simulate_ensemble(
        checked,
        resolved,
        runs=n_runs,
        root_seed=root,
        jobs=n_jobs,
        progress=progress,
        draws=draws,
    )
    manifest.update(
        status="complete",
        finished=output.now_iso(),
        seconds=round(time.perf_counter() - clock, 3),
        rows=result.rows,
    )
    return RunResult(checked, resolved, root, result.tables, summary, manifest)


def _with_rules(scenario: Scenario, rules: Sequence[str]) -> tuple[Scenario, tuple]:
    """``scenario`` with ``rules`` (checked and imported here) over its own, and the rules."""
    from brink.scenarios.rule_loader import resolve_rule
    from brink.scenarios.rule_specs import check_states, parse_rules, with_rules

    if isinstance(rules, str):
        rules = [rules]
    given = parse_rules(rules, key="rules", file=API_CALL)
    where = Location(file=API_CALL, key="rules")
    check_states(given, scenario, where)
    for spec in given:
        resolve_rule(spec, where)
    return with_rules(scenario, given), given


def _reproducing_call(
    scenario: Scenario,
    runs: int,
    root: int,
    params: Mapping[str, Any] | str | Path | None,
    overrides: Mapping[str, Any] | None,
    horizon: int | None,
    posterior: bool,
    rules: tuple = (),
) -> str:
    """The :func:`run` call that makes the same tables, with the root seed made explicit."""
    target = scenario.path or scenario.name
    if scenario.path and Path(scenario.path).resolve().is_relative_to(_bundled_dir()):
        target = scenario.name
    words = [repr(str(target)), f"runs={runs}", f"seed={root}"]
    if params is not None:
        words.append(f"params={dict(params) if isinstance(params, Mapping) else str(params)!r}")
    if overrides:
        words.append(f"overrides={dict(overrides)!r}")
    if horizon is not None:
        words.append(f"horizon={horizon!r}")
    if posterior:
        words.append("posterior=True")
    if rules:
        words.append(f"rules={[str(rule) for rule in rules]!r}")
    return f"brink.run({', '.join(words)})"


def _bundled_dir() -> Path:
    from brink.scenarios.loader import SCENARIO_DIR

    return Path(SCENARIO_DIR).resolve()


def sweep(
    experiment: str | Path,
    *,
    out: str | Path | None = None,
    samples: int | None = None,
    replications: int | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    local_cluster: int | None = None,
    resume: bool = False,
    progress: bool = False,
    command: list[str] | None = None,
) -> SweepResult:
    """Run an experiment file (a bundled name such as ``"tripwire"``, or a path): what
    ``brink sweep`` does, with the same arguments.

    Args:
        experiment: the experiment file or bundled experiment's name.
        out: the sweep's directory (default ``sweeps/NAME``).
        samples: design size (``--samples``); None keeps the file's.
        replications: runs per design point (``--replications``); None keeps the file's.
        jobs: worker processes (default: one per core).
        scheduler: a running Dask scheduler's address, ``tcp://HOST:PORT`` (``brink[cluster]``).
        local_cluster: start a Dask LocalCluster of this many workers (``brink[cluster]``).
        resume: finish an interrupted sweep in ``out``.
        progress: show a progress bar on standard error.
        command: the command line to record in the manifest.

    Returns:
        SweepResult: counts of runs (done, failed), the manifest, and ``runs``, every run.
    """
    from brink.experiments.executors import make_runner, start_fork_server

    if scheduler is None:  # a process pool or a LocalCluster, whose workers import the script
        check_main_guard("brink.sweep")
    if scheduler is None and local_cluster is None:
        start_fork_server()  # it imports the model while this process reads the experiment
    from brink.experiments.sweep.experiment import load_experiment
    from brink.experiments.sweep.run import run_sweep

    checked = load_experiment(experiment).resized(samples, replications)
    directory = Path(out) if out is not None else Path("sweeps") / checked.name
    make_runner(jobs, scheduler, local_cluster, check_only=True)

    def runner() -> Runner:
        made = make_runner(jobs, scheduler, local_cluster)
        if made is None:  # None only with check_only
            raise RuntimeError("make_runner made no runner")
        return made

    return run_sweep(
        checked,
        directory,
        runner,
        resume=resume,
        progress=progress,
        command=command,
    )


def retrodict(data: str | Path, **options: Any) -> RetroResult:
    """Run the model on every dispute of a MID or ICB file and score it (``brink retrodict``).

    Takes the keyword arguments of :func:`brink.experiments.retrodiction.run.retrodict`: ``runs``,
    ``jobs``, ``scheduler``, ``out`` (default ``out/retrodict-NAME``), ``seed``, ``horizon``,
    ``limit``, ``k_folds``, ``overrides``, ``progress``, ``force``.

    Returns:
        RetroResult: per-case forecasts (``cases``), skipped records, ``scores`` (Brier, log
        loss, AUC of the model and its baselines), the root seed and the files written.
    """
    from brink.experiments.retrodiction.run import retrodict as run_retrodiction

    if options.get("scheduler") is None and options.get("jobs") != 1:
        check_main_guard("brink.retrodict", "jobs=1")
    return run_retrodiction(data, **options)
