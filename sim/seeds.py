"""Seeds of replications (docs/style.md, Randomness).

Each run gets its own seed from ``numpy.random.SeedSequence(root).spawn(n)``, so run *i* is the
same whether it runs alone, in this process or in a worker, in ``brink run`` or in a sweep. A
module of its own, with nothing but NumPy, so that a sweep's main process can draw seeds
without importing pandas.
"""

from __future__ import annotations

import secrets

import numpy as np


def draw_root_seed() -> int:
    """A fresh root seed from the operating system's entropy (recorded in the manifest)."""
    return secrets.randbits(63)


def spawn_seeds(root: int, n: int) -> list[int]:
    """The seeds of ``n`` replications: ``SeedSequence(root).spawn(n)``, one 63-bit int each.

    The top bit is dropped so that every seed fits a signed 64-bit column in Parquet and CSV.
    """
    children = np.random.SeedSequence(root).spawn(n)
    return [int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for child in children]
