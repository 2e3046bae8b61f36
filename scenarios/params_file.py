"""Read a parameters file: fitted (or hand-chosen) model parameters to run with (``--params``).

``brink fit`` writes ``DIR/params.yaml``; any command that runs the model takes it with
``--params FILE``. The file is data, read by the same bounded, located YAML reader as experiment
files, and every value is checked against its parameter's spec (name, type, range)::

    format: brink-params/1
    values:                     # the point estimate every run uses
      spiral_hazard: 0.031
      war_cost_scale: 0.9
    posterior:                  # optional: draws of the parameters (a posterior sample, or the
      - {spiral_hazard: 0.028, war_cost_scale: 0.85}   # best trials), for --posterior
      - {spiral_hazard: 0.035, war_cost_scale: 1.02}
    fit: {...}                  # optional: how the values were found (not read by the model)

Parameters not named keep their defaults. Precedence when a command resolves parameters:
defaults ← the params file ← the scenario's own ``parameters:`` ← ``--set`` (the more specific
source wins: a scenario's judgement about its own case overrides a generic fit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brink.errors import BrinkInputError

#: The format tag ``brink fit`` writes; a file without it is still read (hand-written files).
PARAMS_FORMAT = "brink-params/1"
_TOP_KEYS = ("format", "values", "posterior", "fit")
#: The most posterior draws a file may carry (a bound, like the loader's).
MAX_DRAWS = 100_000


@dataclass(frozen=True)
class ParamsFile:
    """A checked parameters file."""

    path: str
    values: dict[str, float | int | None]
    posterior: tuple[dict[str, float | int | None], ...] = ()
    fit: dict[str, Any] = field(default_factory=dict)


def load_params_file(path: str | Path) -> ParamsFile:
    """Read and check a parameters file.

    Raises:
        BrinkInputError: located at the offending line for a missing file, bad YAML, an unknown
            top-level key or parameter name, a value of the wrong type or out of range, or a
            posterior draw that is not a mapping.
    """
    from brink.scenarios.located_yaml import load_located

    document = load_located(path, what="a parameters file")
    data = document.data
    if not isinstance(data, dict):
        raise document.error("a parameters file is a mapping with a 'values:' block")
    for key in data:
        if key not in _TOP_KEYS:
            from brink.errors import did_you_mean

            raise BrinkInputError(
                f"unknown key '{key}'{did_you_mean(str(key), _TOP_KEYS)} "
                f"(a parameters file has {', '.join(_TOP_KEYS)})",
                document.where_key(key),
            )
    if "format" in data and data["format"] != PARAMS_FORMAT:
        raise document.error(
            f"unknown format {data['format']!r} (expected {PARAMS_FORMAT})", "format"
        )
    if "values" not in data:
        raise document.error("missing 'values:' (the parameters to run with)")
    values = _checked_values(document, data["values"], ("values",))
    draws = data.get("posterior") or []
    if not isinstance(draws, list):
        raise document.error("'posterior' is a list of parameter mappings", "posterior")
    if len(draws) > MAX_DRAWS:
        raise document.error(f"{len(draws)} posterior draws (at most {MAX_DRAWS})", "posterior")
    posterior = tuple(
        _checked_values(document, draw, ("posterior", i)) for i, draw in enumerate(draws)
    )
    fit = data.get("fit") or {}
    if not isinstance(fit, dict):
        raise document.error("'fit' is a mapping (how the values were found)", "fit")
    return ParamsFile(path=str(path), values=values, posterior=posterior, fit=fit)


def _checked_values(document, block: Any, where: tuple) -> dict[str, float | int | None]:
    from brink.sim.params import coerce_parameter

    if not isinstance(block, dict):
        raise document.error("a mapping of parameter names to values", *where)
    from brink.sim.params import PARAMETERS

    return {
        str(name): coerce_parameter(
            str(name),
            value,
            document.where(*where, name)
            if name in PARAMETERS
            else document.where_key(*where, name),
        )
        for name, value in block.items()
    }


def base_params(params_file: ParamsFile | None, draw: int | None = None):
    """The parameters a params file sets on top of the defaults (a ``ModelParams``).

    ``draw`` picks a posterior draw instead of the point estimate; the draw's names override
    the point estimate's, so a draw may carry only the fitted parameters.
    """
    from brink.sim.params import ModelParams

    params = ModelParams()
    if params_file is None:
        return params
    values = dict(params_file.values)
    if draw is not None:
        values.update(params_file.posterior[draw])
    return params.with_overrides(values)
