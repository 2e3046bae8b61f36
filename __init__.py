"""Brink: agent-based simulation of international crises and alliance dynamics.

The Python API, in one screen::

    import brink

    scenario = brink.load("black_sea_2022")       # a bundled name or a path; checked
    result = brink.run(scenario, runs=200, seed=1)  # an ensemble in memory, no folder needed
    result.outcomes        # share of runs per outcome and dispute, Wilson 95 % low/high
    result.headline        # the summary's headline estimates, as a data frame
    result.runs, result.steps, result.events, result.tables["beliefs"]  # pandas frames
    print(result.text)     # the summary brink run prints; result.manifest reproduces it
    result.plot_outcomes() # a matplotlib figure

    brink.run("black_sea_2022", runs=50, params={"spiral_hazard": 0.05}, horizon=60)
    brink.sweep("tripwire", out="sweeps/tripwire", samples=8, replications=4)
    brink.retrodict("mids.csv", runs=20, out="out/retro")

``brink.run`` and ``brink run`` share one code path: the same seed gives the same tables.
Every mistake (an unknown scenario or parameter, a value out of range) raises
:class:`BrinkInputError`, located at the file's line or at the argument.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from brink.errors import BrinkInputError
from brink.version import __version__

__all__ = [
    "BrinkInputError",
    "RunResult",
    "__version__",
    "load",
    "retrodict",
    "run",
    "sweep",
]

if TYPE_CHECKING:
    from brink.api import RunResult, load, retrodict, run, sweep

_API = ("RunResult", "load", "retrodict", "run", "sweep")


def __getattr__(name: str) -> Any:
    # Imported on first use, so `import brink` (and `brink --help`) stays quick.
    if name in _API:
        from brink import api

        return getattr(api, name)
    raise AttributeError(f"module 'brink' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
