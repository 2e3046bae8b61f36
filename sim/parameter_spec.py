"""What one parameter of the model is, and how a parameter is declared with its spec.

:class:`ParameterSpec` is a parameter's default, allowed range, unit, meaning and group; ``_p``
declares a field of the parameter tables (:mod:`brink.sim.crisis_params`,
:mod:`brink.sim.war_params`, :class:`~brink.sim.params.ModelParams`) with its spec, from which
:data:`brink.sim.params.PARAMETERS` is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ParameterSpec:
    """What one parameter is: default, closed range ``[low, high]``, unit and meaning."""

    name: str
    default: float | int | None
    low: float
    high: float
    unit: str
    meaning: str
    integer: bool = False
    group: str = "model"

    @property
    def optional(self) -> bool:
        """True for parameters whose default ``None`` means "derive it from the scenario"."""
        return self.default is None


def _p(default, low, high, unit, meaning, *, integer=False, group="model"):
    return field(
        default=default,
        metadata={
            "spec": dict(
                low=low, high=high, unit=unit, meaning=meaning, integer=integer, group=group
            )
        },
    )
