"""Landscape theory of aggregation (Axelrod & Bennett 1993).

Actors of sizes s_i with symmetric propensities p_ij split into two sides. A configuration X
gives d_ij(X) = 1 when i and j are on opposite sides; actor i's frustration is
F_i(X) = Σ_j s_j·p_ij·d_ij(X) and the energy is E(X) = Σ_i s_i·F_i(X). One actor at a time
switches side when that lowers its own frustration; with symmetric p every such move lowers E
(the change is ΔE = 2·s_i·ΔF_i), so the process stops in a local minimum of E.

Configurations are tuples of 0/1 sides in actor order, written canonically with actor 0 on side
0 (a configuration and its mirror image are the same split). Descent here is *steepest*: of the
actors whose switch lowers their frustration, the one whose switch lowers the energy most moves
(ties: the lowest index); the paper leaves the order open, and every order ends in a local
minimum, but basin sizes depend on it.

The CSV format (:func:`read_landscape`) is one square table: a header ``actor,size,A,B,...``
naming every actor once, then one row per actor, in the same order, giving its name, its size
(> 0) and its propensity with each actor; the diagonal is ignored (write 0) and the table must be
symmetric. Blank lines and lines starting with ``#`` are skipped.
"""

from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from brink.errors import BrinkInputError, Location

Config = tuple[int, ...]
LocateCell = Callable[..., Location]
# Enumerate all 2^(n−1) splits up to this many actors (2^19 = 524,288 splits).
MAX_EXHAUSTIVE = 20
BATCH = 1 << 15


@dataclass(frozen=True)
class Landscape:
    """Sizes and propensities of a set of actors.

    Attributes:
        names: Actor names, in order.
        sizes: Size s_i of each actor (> 0).
        propensities: Symmetric matrix p_ij; positive pulls a pair together, negative apart. The
            diagonal is set to 0 (an actor is never apart from itself).
    """

    names: tuple[str, ...]
    sizes: np.ndarray
    propensities: np.ndarray

    def __post_init__(self) -> None:
        sizes = np.asarray(self.sizes, dtype=float)
        matrix = np.array(self.propensities, dtype=float)
        n = len(self.names)
        if sizes.shape != (n,) or matrix.shape != (n, n):
            raise ValueError(f"need {n} sizes and a {n}×{n} propensity matrix")
        if n < 2:
            raise ValueError("a landscape needs at least two actors")
        if not np.all(np.isfinite(sizes)) or np.any(sizes <= 0):
            raise ValueError("sizes must be finite and > 0")
        if not np.all(np.isfinite(matrix)) or not np.allclose(matrix, matrix.T, rtol=0, atol=0):
            raise ValueError("propensities must be finite and symmetric")
        np.fill_diagonal(matrix, 0.0)
        object.__setattr__(self, "sizes", sizes)
        object.__setattr__(self, "propensities", matrix)

    @property
    def n(self) -> int:
        """Number of actors."""
        return len(self.names)

    @property
    def coupling(self) -> np.ndarray:
        """A_ij = s_i·s_j·p_ij, so that E = ½·Σ_ij A_ij·(1 − σ_i·σ_j) with spins σ = ±1."""
        return np.outer(self.sizes, self.sizes) * self.propensities

    def _tolerance(self) -> float:
        return 1e-12 * float(np.abs(self.coupling).sum() + 1.0)


def canonical(config: Sequence[int]) -> Config:
    """The configuration written with actor 0 on side 0."""
    sides = tuple(int(side) for side in config)
    return sides if sides[0] == 0 else tuple(1 - side for side in sides)


def frustration(landscape: Landscape, config: Sequence[int] | np.ndarray) -> np.ndarray:
    """F_i(X) = Σ_j s_j·p_ij·d_ij(X) for every actor (Axelrod & Bennett 1993)."""
    sides = np.asarray(config)
    apart = sides[:, None] != sides[None, :]
    return (landscape.propensities * landscape.sizes[None, :] * apart).sum(axis=1)


def energy(landscape: Landscape, config: Sequence[int] | np.ndarray) -> float:
    """E(X) = Σ_i s_i·F_i(X) (Axelrod & Bennett 1993)."""
    return float(landscape.sizes @ frustration(landscape, config))


def _spins(configs: np.ndarray) -> np.ndarray:
    return 1.0 - 2.0 * configs


def _energy_changes(landscape: Landscape, configs: np.ndarray) -> np.ndarray:
    """ΔE of switching each actor, for each configuration (rows): 2·σ_i·Σ_j A_ij·σ_j."""
    spins = _spins(configs)
    return 2.0 * spins * (spins @ landscape.coupling.T)


def descend(landscape: Landscape, config: Sequence[int]) -> list[tuple[Config, float]]:
    """Steepest descent from ``config`` to a local minimum, one actor's switch at a time.

    Args:
        landscape: The actors.
        config: The starting split (0/1 per actor).

    Returns:
        The path as ``(configuration, energy)`` pairs, start first, the local minimum last;
        energy falls strictly along it.
    """
    sides = np.array(config, dtype=int)
    if sides.shape != (landscape.n,) or not np.isin(sides, (0, 1)).all():
        raise ValueError(f"a configuration is {landscape.n} sides of 0 or 1")
    tolerance = landscape._tolerance()
    path = [(tuple(int(s) for s in sides), energy(landscape, sides))]
    while True:
        changes = _energy_changes(landscape, sides[None, :])[0]
        mover = int(np.argmin(changes))
        if changes[mover] >= -tolerance:
            return path
        sides[mover] = 1 - sides[mover]
        path.append((tuple(int(s) for s in sides), energy(landscape, sides)))


def _all_configs(n: int, start: int, stop: int) -> np.ndarray:
    """Rows ``start … stop − 1`` of the 2^(n−1) splits with actor 0 on side 0.

    Bit k of the row number is the side of actor k + 1.
    """
    codes = np.arange(start, stop, dtype=np.int64)
    configs = np.zeros((stop - start, n), dtype=np.int64)
    configs[:, 1:] = (codes[:, None] >> np.arange(n - 1)[None, :]) & 1
    return configs


def _check_exhaustive(landscape: Landscape) -> None:
    if landscape.n > MAX_EXHAUSTIVE:
        raise ValueError(
            f"{landscape.n} actors: exhaustive enumeration is limited to {MAX_EXHAUSTIVE}"
        )


def enumerate_minima(landscape: Landscape) -> pd.DataFrame:
    """Every local minimum, by checking all 2^(n−1) configurations.

    A configuration is a local minimum when no single actor lowers its frustration by switching.

    Args:
        landscape: At most :data:`MAX_EXHAUSTIVE` actors.

    Returns:
        Columns ``config`` (tuple), ``energy``, sorted by energy.
    """
    _check_exhaustive(landscape)
    tolerance = landscape._tolerance()
    rows: list[Config] = []
    total = 1 << (landscape.n - 1)
    for start in range(0, total, BATCH):
        configs = _all_configs(landscape.n, start, min(total, start + BATCH))
        stable = (_energy_changes(landscape, configs) >= -tolerance).all(axis=1)
        rows.extend(canonical(c) for c in configs[stable])
    frame = pd.DataFrame({"config": rows})
    frame["energy"] = [energy(landscape, c) for c in rows]
    return frame.sort_values(["energy", "config"], ignore_index=True)


def _descend_all(landscape: Landscape, configs: np.ndarray) -> np.ndarray:
    """Steepest descent from every row at once (the same rule as :func:`descend`)."""
    configs = configs.copy()
    tolerance = landscape._tolerance()
    active = np.arange(len(configs))
    while len(active):
        changes = _energy_changes(landscape, configs[active])
        mover = np.argmin(changes, axis=1)
        moving = changes[np.arange(len(active)), mover] < -tolerance
        rows, cols = active[moving], mover[moving]
        configs[rows, cols] = 1 - configs[rows, cols]
        active = rows
    return configs


def basins(
    landscape: Landscape, starts: int | None = None, rng: np.random.Generator | None = None
) -> pd.DataFrame:
    """Local minima found by descent, with the size of their basins of attraction.

    With ``starts`` None, descent runs from every one of the 2^(n−1) configurations (n at most
    :data:`MAX_EXHAUSTIVE`) and a basin is the number of configurations that end in the minimum.
    Otherwise descent runs from ``starts`` uniformly random configurations drawn from ``rng``.

    Args:
        landscape: The actors.
        starts: Number of random starts, or None for all.
        rng: Generator for random starts.

    Returns:
        Columns ``config``, ``energy``, ``basin`` (starts ending there) and ``share`` (of all
        starts), sorted by energy.
    """
    if starts is None:
        _check_exhaustive(landscape)
        total = 1 << (landscape.n - 1)
        ends = [
            _descend_all(landscape, _all_configs(landscape.n, s, min(total, s + BATCH)))
            for s in range(0, total, BATCH)
        ]
        finals = np.concatenate(ends)
    else:
        if rng is None:
            raise ValueError("random starts need a numpy Generator")
        finals = _descend_all(landscape, rng.integers(0, 2, size=(starts, landscape.n)))
        total = starts
    finals = np.where(finals[:, :1] == 1, 1 - finals, finals)  # canonical: actor 0 on side 0
    bits = np.int64(1) << np.arange(landscape.n, dtype=np.int64)
    codes, counts = np.unique(finals.astype(np.int64) @ bits, return_counts=True)
    frame = pd.DataFrame(
        {
            "config": [tuple(int(c >> k) & 1 for k in range(landscape.n)) for c in codes],
            "basin": counts.astype(int),
        }
    )
    frame["energy"] = [energy(landscape, c) for c in frame["config"]]
    frame["share"] = frame["basin"] / total
    return frame[["config", "energy", "basin", "share"]].sort_values(
        ["energy", "config"], ignore_index=True
    )


def sides_of(landscape: Landscape, config: Sequence[int]) -> tuple[list[str], list[str]]:
    """The names on side 0 and on side 1 of a configuration."""
    side0 = [name for name, side in zip(landscape.names, config, strict=True) if side == 0]
    side1 = [name for name, side in zip(landscape.names, config, strict=True) if side == 1]
    return side0, side1


def agreement(landscape: Landscape, config: Sequence[int], reference: Mapping[str, int]) -> int:
    """How many actors a configuration places as ``reference`` does, up to swapping the sides.

    Args:
        landscape: The actors.
        config: A split.
        reference: Side (0/1) of each actor name in the reference split.

    Returns:
        The larger count of matches over the two labellings of the sides.
    """
    same = sum(
        int(side == reference[name]) for name, side in zip(landscape.names, config, strict=True)
    )
    return max(same, landscape.n - same)


def lean_of_unaligned(
    sizes: Mapping[str, float],
    propensities: Mapping[tuple[str, str], float],
    aligned: Mapping[str, Hashable],
) -> dict[str, Hashable | None]:
    """Which side each unaligned state leans to, by landscape theory.

    The aligned states are held on their sides; the unaligned ones start on the side that
    frustrates them least given the aligned states alone, then switch one at a time (the most
    frustrated first) while a switch lowers their own frustration, as in Axelrod & Bennett
    (1993). With symmetric propensities the process ends.

    Args:
        sizes: Size of every state (aligned and unaligned), > 0.
        propensities: p for a pair of names, either order; a missing pair counts as 0.
        aligned: Side label of each aligned state; exactly two distinct labels.

    Returns:
        For each unaligned state, the side label it leans to, or None if it is indifferent (its
        frustration is the same on both sides, e.g. it has no propensity to anyone).

    Raises:
        ValueError: If the aligned states do not hold exactly two sides, or a name is unknown.
    """
    labels = list(dict.fromkeys(aligned.values()))
    if len(labels) != 2:
        raise ValueError(f"aligned states must hold exactly two sides, got {labels}")
    names = list(sizes)
    unknown = [name for name in aligned if name not in sizes]
    if unknown:
        raise ValueError(f"aligned states without a size: {unknown}")
    index = {name: k for k, name in enumerate(names)}
    p = np.zeros((len(names), len(names)))
    for (a, b), value in propensities.items():
        if a != b and a in index and b in index:
            p[index[a], index[b]] = p[index[b], index[a]] = float(value)
    s = np.array([float(sizes[name]) for name in names])
    free = [index[name] for name in names if name not in aligned]
    if not free:
        return {}
    # pull[i] = Σ_j s_j p_ij σ_j over placed states: side 0 (σ = +1) lowers i's frustration
    # by being with them when pull > 0.
    spins = np.zeros(len(names))
    for name, label in aligned.items():
        spins[index[name]] = 1.0 if label == labels[0] else -1.0
    weights = p * s[None, :]
    tolerance = 1e-12 * float(np.abs(weights).sum() + 1.0)
    for i in free:
        pull = weights[i] @ spins
        spins[i] = 1.0 if pull > tolerance else -1.0 if pull < -tolerance else 0.0
    for _ in range(100 * len(free) + 1):
        # ΔF_i of switching = 2·σ_i·(pull_i) with pull over all others (σ = 0 means undecided).
        gains = {i: -spins[i] * (weights[i] @ spins) for i in free if spins[i] != 0}
        undecided = {i: abs(weights[i] @ spins) for i in free if spins[i] == 0}
        candidates = {i: g for i, g in gains.items() if g > tolerance}
        candidates.update({i: u for i, u in undecided.items() if u > tolerance})
        if not candidates:
            break
        mover = max(candidates, key=lambda i: (candidates[i], -i))
        pull = weights[mover] @ spins
        spins[mover] = 1.0 if pull > 0 else -1.0
    return {
        names[i]: labels[0] if spins[i] > 0 else labels[1] if spins[i] < 0 else None for i in free
    }


# -- reading ---------------------------------------------------------------------------------------


def read_landscape(path: str | Path) -> Landscape:
    """Read a landscape CSV (format in the module docstring), with located errors.

    Args:
        path: The CSV file.

    Returns:
        The landscape.

    Raises:
        BrinkInputError: For a missing file or any malformed cell, naming file, line and column.
    """
    file = str(path)
    lines, at = read_csv_lines(path)
    if not lines:
        raise BrinkInputError("empty landscape file", Location(file, 1))
    header_line, header = lines[0]
    header = [cell.strip() for cell in header]
    if [h.lower() for h in header[:2]] != ["actor", "size"]:
        raise BrinkInputError(
            f"header must start with 'actor,size', got {','.join(header[:2])!r}",
            at(header_line, 1),
        )
    names = header[2:]
    if len(names) < 2:
        raise BrinkInputError(
            "header must name at least two actors after 'actor,size'",
            at(header_line, 3),
        )
    for column, name in enumerate(names, start=3):
        if not name:
            raise BrinkInputError("empty actor name", at(header_line, column))
        if names.index(name) != column - 3:
            raise BrinkInputError(f"actor {name!r} is named twice", at(header_line, column))
    rows = lines[1:]
    if len(rows) != len(names):
        where = rows[-1][0] + 1 if rows else header_line + 1
        raise BrinkInputError(
            f"{len(rows)} actor rows for {len(names)} actors in the header",
            Location(file, where),
        )
    sizes = np.zeros(len(names))
    matrix = np.zeros((len(names), len(names)))
    for k, (line, row) in enumerate(rows):
        if len(row) != len(header):
            raise BrinkInputError(
                f"{len(row)} cells, expected {len(header)} (actor, size and one per actor)",
                at(line, min(len(row), len(header))),
            )
        name = row[0].strip()
        if name != names[k]:
            raise BrinkInputError(
                f"row {k + 1} is {name!r} but the header's actor {k + 1} is {names[k]!r} "
                "(rows follow the header's order)",
                at(line, 1),
            )
        sizes[k] = _number(row[1], at(line, 2, f"{name}.size"))
        if sizes[k] <= 0:
            raise BrinkInputError(f"size {row[1].strip()} must be > 0", at(line, 2, f"{name}.size"))
        for j, cell in enumerate(row[2:]):
            matrix[k, j] = _number(cell, at(line, j + 3, f"{name}.{names[j]}"))
    for k, j in itertools.combinations(range(len(names)), 2):
        if matrix[k, j] != matrix[j, k]:
            raise BrinkInputError(
                f"propensity {names[k]}–{names[j]} is {matrix[j, k]:g} here but {matrix[k, j]:g} "
                f"on line {rows[k][0]} (propensities must be symmetric)",
                at(rows[j][0], k + 3, f"{names[j]}.{names[k]}"),
            )
    return Landscape(tuple(names), sizes, matrix)


def read_csv_lines(path: str | Path) -> tuple[list[tuple[int, list[str]]], LocateCell]:
    """The rows of a CSV file with their line numbers, and a function locating a cell.

    Blank lines and lines starting with ``#`` are skipped; cells are stripped.

    Returns:
        ``(lines, at)``: ``lines`` are ``(line number, cells)``; ``at(line, field, key)`` is the
        :class:`Location` of the ``field``-th (1-based) cell of a line.

    Raises:
        BrinkInputError: If the file cannot be read.
    """
    from brink.scenarios.located_yaml import decode_text, read_bounded

    file = str(path)
    # The bounded reader of scenarios.located_yaml: size, then UTF-8 with a located bad byte.
    text = decode_text(read_bounded(Path(path), "a CSV file"), file, "a CSV file")
    raw = text.splitlines()
    try:
        lines = [
            (number, [cell.strip() for cell in row])
            for number, row in enumerate(csv.reader(raw), start=1)
            if row and any(cell.strip() for cell in row) and not row[0].lstrip().startswith("#")
        ]
    except csv.Error as error:
        raise BrinkInputError(f"not a readable CSV file ({error})", Location(file)) from None

    def at(line: int, field: int, key: str | None = None) -> Location:
        return Location(file, line, cell_column(raw[line - 1], field), key)

    return lines, at


def cell_column(line: str, field: int) -> int:
    """The 1-based character column where the ``field``-th (1-based) CSV cell of a line starts
    (one past the end of the line if it has fewer cells)."""
    quoted, current = False, 1
    if field == 1:
        return 1
    for position, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            current += 1
            if current == field:
                return position + 2
    return len(line) + 1


def _number(cell: str, location: Location) -> float:
    try:
        value = float(cell.strip())
    except ValueError:
        raise BrinkInputError(f"{cell.strip()!r} is not a number", location) from None
    if not math.isfinite(value):
        raise BrinkInputError(f"{cell.strip()} is not finite", location)
    return value


def write_landscape(landscape: Landscape, path: str | Path, comment: str = "") -> None:
    """Write a landscape in the CSV format :func:`read_landscape` reads."""
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        for line in comment.splitlines():
            handle.write(f"# {line}\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["actor", "size", *landscape.names])
        for k, name in enumerate(landscape.names):
            writer.writerow(
                [name, f"{landscape.sizes[k]:.6g}"]
                + [f"{value:.6g}" for value in landscape.propensities[k]]
            )
