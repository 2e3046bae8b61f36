"""Brink's one YAML reader: bounded, safe, and located (docs/style.md, Errors).

Every YAML file Brink reads (scenarios, experiment files, parameters files) comes through
:func:`read_bounded` and :func:`compose_bounded`. The file is read with PyYAML's safe loader down
to nodes only, so every value keeps its line and column and nothing but plain data is ever
constructed. Before anything is read, the file's size, nesting depth (aliases included) and node
count are bounded, so a hostile file (a billion laughs, a recursive alias, ten thousand nested
lists) fails cleanly with a :class:`~brink.errors.BrinkInputError` naming ``file:line:column``.

The scenario loader checks the nodes against its key table (:mod:`brink.scenarios.key_reader`);
other files are turned into plain Python values by :func:`load_located`, which keeps each
value's position in a :class:`LocatedDocument`, so a mistake found later (an unknown factor, a
range the wrong way round) is reported at its own line and column. Duplicate keys are an error,
not a silent overwrite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml import MappingNode, Node, SequenceNode

from brink.errors import BrinkInputError, Location

MAX_BYTES = 2_000_000  # no real scenario comes near; a bigger file is a mistake or an attack
MAX_DEPTH = 32  # nesting of mappings and lists, aliases expanded
MAX_NODES = 100_000  # values in the document, aliases expanded (billion laughs)

YAML_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {
    YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}

Path_ = tuple[Any, ...]


def read_bounded(path: Path, what: str) -> bytes:
    """The bytes of an input file, refused with a located error beyond :data:`MAX_BYTES`.

    Every YAML file Brink reads (scenarios, experiment files) comes through here and then
    :func:`compose_bounded`, so all of them get the same bounds.
    """
    where = Location(file=str(path))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise located_error(
                f"file is {size:,} bytes; {what} may have at most {MAX_BYTES:,}", where
            )
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # a file that grows while read is still bounded
    except FileNotFoundError:
        raise located_error("no such file", where) from None
    except OSError as error:
        raise located_error(f"cannot read the file: {error.strerror}", where) from None
    if len(data) > MAX_BYTES:
        raise located_error(
            f"file is over {MAX_BYTES:,} bytes; {what} may have at most that", where
        )
    return data


def decode_text(data: str | bytes, file: str, what: str) -> str:
    """UTF-8 text of a file's bytes (a BOM dropped), or a located error at the first bad byte."""
    if isinstance(data, str):
        text = data
    else:
        if len(data) > MAX_BYTES:
            raise located_error(
                f"file is {len(data):,} bytes; {what} may have at most {MAX_BYTES:,}",
                Location(file=file),
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
            raise located_error(
                f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8",
                Location(file=file, line=line, column=column),
            ) from None
    if len(text) > MAX_BYTES:
        raise located_error(
            f"text is {len(text):,} characters; {what} may have at most {MAX_BYTES:,}",
            Location(file=file),
        )
    return text


def _yaml_error(error: yaml.YAMLError, text: str, file: str) -> BrinkInputError:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        return located_error(
            f"not valid YAML: character {_codepoint(error.character)} is not allowed",
            Location(file=file, line=line, column=column),
        )
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    message = f"not valid YAML: {context + ', ' if context else ''}{problem}"
    if mark is None:
        return located_error(message, Location(file=file))
    return located_error(message, Location(file=file, line=mark.line + 1, column=mark.column + 1))


def located_error(message: str, location: Location) -> BrinkInputError:
    """A located error whose text is one printable line, whatever the file held."""
    return BrinkInputError(_clean(message), location)


def _clean(text: str) -> str:
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _codepoint(character: str | int) -> str:
    code = character if isinstance(character, int) else ord(character)
    return f"U+{code:04X}"


def compose_bounded(data: str | bytes, file: str, what: str = "a scenario") -> Node | None:
    """Parse to a node tree: one document, bounded in depth and size, plain tags only.

    Returns None for an empty document. ``what`` names the kind of file in messages.
    """
    text = decode_text(data, file, what)
    try:
        # The event stream is read without recursion, so depth is bounded before the
        # (recursive) composer sees the document.
        depth = 0
        for events, event in enumerate(yaml.parse(text, Loader=yaml.SafeLoader), start=1):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise located_error(
                        f"nested more than {MAX_DEPTH} levels deep",
                        mark_location(file, event.start_mark),
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if events > MAX_NODES:
                raise located_error(
                    f"more than {MAX_NODES:,} values; {what} needs far fewer",
                    mark_location(file, event.start_mark),
                )
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise _yaml_error(error, text, file) from None
    if root is not None:
        _measure(root, file, what)
    return root


def mark_location(file: str, mark: Any, key: str | None = None) -> Location:
    return Location(file=file, line=mark.line + 1, column=mark.column + 1, key=key or None)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _measure(root: Node, file: str, what: str) -> None:
    """Check tags, and bound size and depth with aliases expanded, without recursion."""
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            on_path.discard(key)
            kids = _children(node)
            size[key] = 1 + sum(size[id(kid)] for kid in kids)
            height[key] = 1 + max((height[id(kid)] for kid in kids), default=0)
            if size[key] > MAX_NODES:
                raise located_error(
                    f"expands to more than {MAX_NODES:,} values (aliases repeated); "
                    f"{what} needs far fewer",
                    mark_location(file, node.start_mark),
                )
            if height[key] > MAX_DEPTH + 1:
                raise located_error(
                    f"nested more than {MAX_DEPTH} levels deep (aliases expanded)",
                    mark_location(file, node.start_mark),
                )
            continue
        if key in size:
            continue
        if key in on_path:
            raise located_error(
                "an alias refers to a mapping or list that contains it",
                mark_location(file, node.start_mark),
            )
        _check_tag(node, file, what)
        on_path.add(key)
        stack.append((node, True))
        stack.extend((kid, False) for kid in _children(node) if id(kid) not in size)


def _check_tag(node: Node, file: str, what: str) -> None:
    if node.tag in _PLAIN_TAGS:
        return
    if node.tag == YAML_TAG + "merge":
        message = "merge keys (<<) are not supported; write the keys out"
    else:
        message = (
            f"tag {node.tag.replace(YAML_TAG, '!!')} is not allowed; {what} holds plain "
            "data (text, numbers, true/false, dates, lists, mappings)"
        )
    raise located_error(message, mark_location(file, node.start_mark))


# -- nodes to plain values, each with its place ---------------------------------------------


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

    The file goes through :func:`read_bounded` and :func:`compose_bounded` (size, nesting depth
    and value count with aliases expanded, UTF-8, plain tags only), so a hostile file fails the
    same way here as in a scenario.

    Raises:
        BrinkInputError: if the file is missing or too big, is not valid YAML, breaks a bound,
            uses an unsafe tag or repeats a key.
    """
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
