"""Every mistake of a scenario file at once, for ``brink validate``.

The loader stops at the first mistake, which is what a run needs. To list them all, the file is
read again by a reader that notes each mistake and goes on with the next key: every value that
cannot be read (wrong type, out of range, an unknown choice, a missing key) is reported, each at
its line. What cannot be read past stays single: a YAML syntax error ends the reading, an unknown
key hides the rest of its own block, and the checks across keys (references to undeclared
states, the timeline's order) run only on a file whose values all read, so they add their first
mistake once the others are fixed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from brink.errors import BrinkInputError
from brink.scenarios.document_keys import SCENARIO
from brink.scenarios.key_reader import KeyReader
from brink.scenarios.loader import load_scenario, resolve_scenario_path
from brink.scenarios.located_yaml import compose_bounded, read_bounded
from brink.scenarios.spec import Scenario

#: Most mistakes listed for one file (a file of garbage would list thousands).
MAX_ERRORS = 100


class _Unreadable:
    """Stands for a value that could not be read, so its parent block goes on reading."""


UNREADABLE = _Unreadable()


class _CollectingReader(KeyReader):
    def __init__(self, file: str):
        super().__init__(file)
        self.errors: list[BrinkInputError] = []

    def read(self, node: Any, kind: Any, path: str) -> Any:
        try:
            return super().read(node, kind, path)
        except BrinkInputError as error:
            if len(self.errors) < MAX_ERRORS and str(error) not in map(str, self.errors):
                self.errors.append(error)
            return UNREADABLE


def check_scenario(path_or_name: str | Path) -> tuple[Scenario | None, list[BrinkInputError]]:
    """The scenario and no errors, or None and every mistake found (the loader's first one
    first, then the others in the order of the file).
    """
    try:
        return load_scenario(path_or_name), []
    except BrinkInputError as first:
        try:
            path = resolve_scenario_path(path_or_name)
            root = compose_bounded(read_bounded(path, "a scenario"), str(path))
        except BrinkInputError:
            return None, [first]
        if root is None:
            return None, [first]
        reader = _CollectingReader(str(path))
        reader.read(root, SCENARIO, "")
        others = [error for error in reader.errors if str(error) != str(first)]
        return None, [first, *others]
