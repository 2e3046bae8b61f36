"""What the parts of the crisis model may use of one another, declared for the type checker.

:class:`~brink.sim.model.CrisisModel` is put together from three modules whose classes it
inherits (:mod:`brink.sim.scheduled_events`, :mod:`brink.sim.dispute_moves`,
:mod:`brink.sim.record_keeping`); their methods read and change the model's state through
``self``. :class:`ModelParts`, their common base, declares that state and the methods they call
across modules, so that mypy checks each part on its own. At run time the class is empty: the
attributes are made by ``CrisisModel.__init__`` and Mesa's ``Model``, and the methods are those of
the model and its parts (nothing here takes a place in their method resolution).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np

    from brink.sim.alliances import Alliance
    from brink.sim.dispute import Dispute
    from brink.sim.params import ModelParams
    from brink.sim.record import RunRecord
    from brink.sim.sanctions import Sanction
    from brink.sim.scheduled_events import Deployment


class ModelParts:
    """The state and the shared methods of :class:`~brink.sim.model.CrisisModel` (types only)."""

    if TYPE_CHECKING:
        # made by CrisisModel.__init__
        seed: int
        run_index: int
        record_steps: bool
        params: ModelParams
        record: RunRecord
        states: dict[str, Any]  # code -> the agents' State (sim/ does not import agents/)
        state_codes: list[str]
        alliances: dict[str, Alliance]
        deployments: list[Deployment]
        sanctions: dict[str, Sanction]
        disputes: dict[str, Dispute]
        steps_done: int
        _pending_demands: int
        _callbacks: list[Callable[[], None]]
        _event_step: int | None
        _actions: dict[str, list[tuple[str, int | None]]]
        _escalated_last_step: set[tuple[str, str]]
        # made by Mesa's Model
        rng: np.random.Generator
        running: bool
        _event_list: Any

        def schedule_event(self, function: Callable[[], None], *, at: float) -> Any: ...

        # the model's own methods (sim/model.py)
        def log_event(
            self,
            actor: str | None,
            action: str,
            target: str | None,
            dispute: str | None,
            level: int | None,
            amount: float | None = None,
            detail: str = "",
        ) -> None: ...

        def active_deployments(self) -> list[Deployment]: ...

        def sanctions_burden(self, code: str) -> float: ...

        # the parties' moves (sim/dispute_moves.py), used by the timeline
        def _stakes_of(self, code: str) -> float: ...

        def _signal(self, actor: str, cost_over_stakes: float) -> None: ...

        def _signal_deployment(self, owner: str, troops: float) -> None: ...
