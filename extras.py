"""Brink's optional parts and what to install for them (the extras of ``pyproject.toml``).

A plain ``pip install brink`` runs, sweeps and retrodicts; the browser view needs Solara and
the Vue widgets (``brink[view]``), a Dask cluster needs ``distributed`` (``brink[cluster]``).
A command that needs a missing part says which packages are missing and the one command that
installs them, instead of a traceback from deep inside an import.
"""

from __future__ import annotations

import importlib.util

from brink.errors import BrinkRunError

#: The modules each extra provides (import names), as listed in pyproject.toml.
EXTRAS: dict[str, tuple[str, ...]] = {
    "view": ("solara", "ipyvue", "ipyvuetify"),
    "cluster": ("dask", "distributed"),
}


class MissingExtra(BrinkRunError):
    """A command needs an optional part of Brink that is not installed."""


def missing_modules(extra: str) -> list[str]:
    """The modules of ``extra`` that cannot be imported here (found without importing them)."""
    return [name for name in EXTRAS[extra] if importlib.util.find_spec(name) is None]


def require(extra: str, needed_by: str) -> None:
    """Raise :class:`MissingExtra` naming the missing modules and the install command.

    Args:
        extra: the extra's name, a key of :data:`EXTRAS`.
        needed_by: what needs it, for the message (``brink view``, ``--scheduler``).
    """
    missing = missing_modules(extra)
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        raise MissingExtra(
            f"{needed_by} needs {', '.join(missing)}, which {verb} not installed; install "
            f"Brink's {extra} extra: pip install 'brink[{extra}]'"
        )
