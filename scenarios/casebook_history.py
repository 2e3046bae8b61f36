"""The ``history:`` block of a casebook scenario: what really happened, checked across keys.

The key table (:data:`brink.scenarios.document_keys.HISTORY`) checks each value; dispute ids and
state codes are checked with the scenario's other references. Here: what crosses keys. The block
becomes a :class:`~brink.scenarios.spec.History`, which the casebook's scorer reads and the
model never does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from brink.errors import BrinkInputError
from brink.scenarios import spec

Fail = Callable[[str, str], BrinkInputError]


def history_spec(block: dict[str, Any], fail: Fail) -> spec.History:
    """The checked ``history:`` block as a :class:`~brink.scenarios.spec.History`.

    A war is MID hostility level 5 (Jones, Bremer & Singer 1996), so ``war`` and
    ``highest_level`` must agree; only a war can still be going at the horizon or have a length.

    Args:
        block: The block as the key table read it.
        fail: Makes a located error from a message and a dotted key path.
    """
    disputes = {}
    for id_, record in block["disputes"].items():
        path = f"history.disputes.{id_}"
        war, level = record["war"], record["highest_level"]
        if war and level != 5:
            raise fail(
                f"highest_level {level} with war: true; a war is MID hostility level 5",
                f"{path}.highest_level",
            )
        if level == 5 and not war:
            raise fail(
                "war: false with highest_level 5; level 5 is war (give war: true, or the level "
                "reached)",
                f"{path}.war",
            )
        if record["outcome"] == "war_ongoing" and not war:
            raise fail(
                "outcome war_ongoing needs war: true (a war not ended by the horizon)",
                f"{path}.outcome",
            )
        if record.get("war_days") is not None and not war:
            raise fail("war_days given for a dispute with war: false", f"{path}.war_days")
        fought = record.get("fought", {})
        both = set(fought.get("challenger", ())) & set(fought.get("target", ()))
        if both:
            raise fail(f"'{sorted(both)[0]}' is listed on both sides", f"{path}.fought.target")
        disputes[id_] = spec.DisputeHistory(
            dispute=id_,
            outcome=record["outcome"],
            war=war,
            highest_level=level,
            days=record.get("days"),
            war_days=record.get("war_days"),
            fought_challenger=_tuple_or_none(fought.get("challenger")),
            fought_target=_tuple_or_none(fought.get("target")),
            mid=record.get("mid"),
            icb=record.get("icb"),
            cow_war=record.get("cow_war"),
            note=record.get("note", "").strip(),
        )
    return spec.History(sources=tuple(block["sources"]), disputes=disputes)


def _tuple_or_none(values: list[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)
