"""The states and how they decide and believe (docs/model.md §3–§5).

Importing this package registers :class:`~brink.agents.state.State` as the maker of every
state's agent in the model (:func:`brink.sim.decisions.register_state_factory`): the model
(``sim/``) never imports ``agents/``.
"""

from brink.agents.state import State
from brink.sim.decisions import register_state_factory

register_state_factory(State)

__all__ = ["State"]
