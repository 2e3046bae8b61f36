"""Read a scenario file into a :class:`~brink.scenarios.spec.Scenario`, or fail on one line.

The file is YAML, read to nodes by the bounded, located reader of
:mod:`brink.scenarios.located_yaml` (size, nesting depth and node count bounded before anything
is constructed, every value keeping its line and column). Every value is then checked against
the key table of :mod:`brink.scenarios.keys`; every mistake raises a
:class:`~brink.errors.BrinkInputError` naming ``file:line:column``, the dotted key, the value
and what is allowed (docs/style.md, Errors).

Three modules do the work, in order: :mod:`brink.scenarios.located_yaml` reads the nodes,
:mod:`brink.scenarios.key_reader` checks them against the key table, and
:mod:`brink.scenarios.builder` (with the section builders of :mod:`brink.scenarios.sections`)
builds the scenario and checks what crosses keys. This module finds the file and runs them.
"""

from __future__ import annotations

from pathlib import Path

from brink.errors import Location, did_you_mean
from brink.scenarios import spec
from brink.scenarios.builder import ScenarioBuilder
from brink.scenarios.document_keys import SCENARIO
from brink.scenarios.key_reader import KeyReader
from brink.scenarios.located_yaml import compose_bounded, located_error, read_bounded

SCENARIO_DIR = Path(__file__).resolve().parent


# -- finding files ---------------------------------------------------------------------------


def bundled_scenarios() -> dict[str, Path]:
    """The scenarios that ship with Brink, by name (``black_sea_2022``,
    ``classics/fearon_ultimatum``)."""
    found = {}
    for path in sorted(SCENARIO_DIR.rglob("*.yaml")):
        name = path.relative_to(SCENARIO_DIR).with_suffix("").as_posix()
        found[name] = path
    return found


def resolve_scenario_path(name_or_path: str | Path) -> Path:
    """A scenario file's path from a path, or from the name of a bundled scenario.

    Raises:
        BrinkInputError: if it is neither an existing file nor a bundled scenario's name.
    """
    path = Path(name_or_path)
    if path.is_file():
        return path
    bundled = bundled_scenarios()
    name = str(name_or_path).removesuffix(".yaml")
    if name in bundled:
        return bundled[name]
    if path.exists():  # a folder, a FIFO or a device: say what it is, not "no scenario file"
        what = "a folder" if path.is_dir() else "not a regular file (a FIFO, socket or device)"
        raise located_error(
            f"is {what}; give a scenario file (.yaml) or a bundled scenario's name",
            Location(file=str(name_or_path)),
        )
    raise located_error(
        f"no scenario file or bundled scenario '{name_or_path}'{did_you_mean(name, bundled)}",
        Location(file=str(name_or_path)),
    )


def load_scenario(path_or_name: str | Path) -> spec.Scenario:
    """Load and check a scenario file, given its path or a bundled scenario's name.

    Raises:
        BrinkInputError: for any mistake in the file, located ``file:line:column``.
    """
    path = resolve_scenario_path(path_or_name)
    data = read_bounded(path, "a scenario")
    name = _bundled_name(path) or path.stem
    return load_scenario_text(data, file=str(path), name=name)


def _bundled_name(path: Path) -> str | None:
    try:
        relative = path.resolve().relative_to(SCENARIO_DIR)
    except ValueError:
        return None
    return relative.with_suffix("").as_posix()


def load_scenario_text(
    text: str | bytes, file: str = "<scenario>", name: str | None = None
) -> spec.Scenario:
    """Load a scenario from its text; ``file`` is the name used in error locations.

    Raises:
        BrinkInputError: for any mistake, located ``file:line:column``.
    """
    root = compose_bounded(text, file)
    if root is None:
        raise located_error(
            "the file is empty; a scenario needs at least description, start and states",
            Location(file=file, line=1, column=1),
        )
    reader = KeyReader(file)
    document = reader.read(root, SCENARIO, "")
    return ScenarioBuilder(reader, document, root, name or Path(file).stem).build()
