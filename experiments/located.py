"""Read a YAML file safely and remember where each value stood (file, line, column).

Experiment files are composed into YAML nodes by the scenario loader's bounded reader (one
reader, one set of bounds: docs/style.md) and turned into plain Python values by hand, keeping each
node's position. A mistake found later (an
unknown factor, a range the wrong way round) is then reported at its own line and column
(docs/style.md, Errors). Only the safe YAML tags are accepted; duplicate keys are an error, not a
silent overwrite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from brink.errors import BrinkInputError, Location

Path_ = tuple[Any, ...]


@dataclass
class LocatedDocument:
    """A YAML document as plain values, with the place of every mapping key and value."""

    file: str
    data: Any
    places: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_places: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, *path: Any) -> Location:
        """The location of the value at ``path`` (or of its nearest enclosing value)."""
        key = ".".join(str(part) for part in path) or None
        probe = tuple(path)
        while probe and probe not in self.places:
            probe = probe[:-1]
        line, column = self.places.get(probe, (None, None))
        return Location(file=self.file, line=line, column=column, key=key)

    def where_key(self, *path: Any) -> Location:
        """The location of the mapping key that ends ``path`` (for a misspelt name)."""
        if tuple(path) not in self.key_places:
            return self.where(*path)
        line, column = self.key_places[tuple(path)]
        return Location(file=self.file, line=line, column=column, key=".".join(map(str, path)))

    def error(self, message: str, *path: Any) -> BrinkInputError:
        """A located error about the value at ``path``."""
        return BrinkInputError(message, self.where(*path))


def load_located(path: Path | str, what: str = "an experiment file") -> LocatedDocument:
    """Read ``path`` as one safe YAML document, keeping the position of every value.

    The file goes through the scenario loader's bounded reader (size, nesting depth and value
    count with aliases expanded, UTF-8, plain tags only), so a hostile file fails the same way
    here as in a scenario.

    Raises:
        BrinkInputError: if the file is missing or too big, is not valid YAML, breaks a bound,
            uses an unsafe tag or repeats a key.
    """
    from brink.scenarios.loader import compose_bounded, read_bounded

    path = Path(path)
    name = str(path)
    node = compose_bounded(read_bounded(path, what), name, what)
    constructor = yaml.SafeLoader("")
    try:
        document = LocatedDocument(file=name, data=None)
        document.data = _value(node, (), constructor, document) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Location(
            file=name,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        )
        raise BrinkInputError(f"not valid YAML: {error.problem or error}", where) from None
    except yaml.YAMLError as error:
        raise BrinkInputError(f"not valid YAML: {error}", Location(file=name)) from None
    finally:
        constructor.dispose()
    return document


def _value(node: yaml.Node, path: Path_, loader: yaml.SafeLoader, doc: LocatedDocument) -> Any:
    doc.places[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            try:
                key = loader.construct_object(key_node, deep=True)
            except (ValueError, OverflowError) as error:
                raise BrinkInputError(
                    f"cannot read the key {key_node.value!r}: {error}",
                    Location(
                        file=doc.file,
                        line=key_node.start_mark.line + 1,
                        column=key_node.start_mark.column + 1,
                    ),
                ) from None
            if isinstance(key, list | dict):
                raise BrinkInputError(
                    "a key must be a plain name",
                    Location(
                        file=doc.file,
                        line=key_node.start_mark.line + 1,
                        column=key_node.start_mark.column + 1,
                    ),
                )
            if key in result:
                raise BrinkInputError(
                    "given twice (a key may appear once)",
                    Location(
                        file=doc.file,
                        line=key_node.start_mark.line + 1,
                        column=key_node.start_mark.column + 1,
                        key=".".join(str(part) for part in (*path, key)),
                    ),
                )
            mark = key_node.start_mark
            doc.key_places[(*path, key)] = (mark.line + 1, mark.column + 1)
            result[key] = _value(value_node, (*path, key), loader, doc)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_value(item, (*path, index), loader, doc) for index, item in enumerate(node.value)]
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, OverflowError) as error:  # e.g. a date that does not exist
        raise BrinkInputError(f"cannot read {node.value!r}: {error}", doc.where(*path)) from None
