"""Playing a run: Play, Pause and the speed, shared by the live and the replay page.

:func:`Player` advances a run :data:`speed` times a second until paused or finished and measures
the speed it reaches (:data:`rate`); :func:`controls` is the template's part both pages share.
Pause and a step take :data:`PLAY_LOCK` in turn, so no step slips in after a Pause.
"""

from __future__ import annotations

import os
import threading
import time

import solara
import solara.lab

from brink.scenarios.spec import Scenario
from brink.viz.narrate import days_per_step, step_name
from brink.viz.widgets import ControlsView

ENV_PLAY_INTERVAL = "BRINK_VIEW_PLAY_INTERVAL"
PLAY_INTERVAL = 0.25  # seconds between steps while playing (default: 4 steps a second)
SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0)  # the speed control's choices, steps per second


def _initial_speed() -> float:
    """Steps per second while playing: 1 / ``BRINK_VIEW_PLAY_INTERVAL`` if set, else 4."""
    try:
        interval = float(os.environ.get(ENV_PLAY_INTERVAL, PLAY_INTERVAL))
    except ValueError:
        interval = PLAY_INTERVAL
    return round(1.0 / interval, 3) if interval > 0 else max(SPEEDS)


playing = solara.reactive(False)
#: Counts the Pauses: a loop that started before the latest Pause stops before its next step,
#: whatever ``playing`` reads in its thread (issue 27: once under load a loop kept advancing
#: after the buttons showed Play).
generation = solara.reactive(0)
speed = solara.reactive(_initial_speed())
rate = solara.reactive("")  # the speed measured while playing, in words
#: Held while Play takes a step and while Pause stops it, so no step slips in after a Pause.
PLAY_LOCK = threading.RLock()


@solara.component
def Player(advance, can_advance: bool, unit: str = "day"):
    """Play runs ``advance`` :data:`speed` times a second until paused or finished, and
    shows the speed it reaches (:data:`rate`, in ``unit``s a second)."""
    nothing: object | None = None  # the token of the loop playing now, when one is
    current = solara.use_ref(nothing)

    def forget():
        current.current = None  # the page went away: a loop still running stops

    solara.use_effect(lambda: forget, [])

    def loop():
        # In a thread of its own (a click's handler may run where no event loop is); a step
        # and Pause take PLAY_LOCK in turn, and renders are serialised by Reacton. Only the
        # latest loop runs: a Pause and Play in quick succession do not leave two playing.
        token = object()
        current.current = token
        mine = generation.value
        times: list[float] = []

        def going() -> bool:
            return playing.value and current.current is token and generation.value == mine

        while can_advance and going():
            started = time.perf_counter()
            with PLAY_LOCK:
                if not going():
                    return
                more = advance()
            times = [*times[-8:], time.perf_counter()]
            if len(times) > 2:
                measured = (len(times) - 1) / (times[-1] - times[0])
                rate.set(f"playing at {measured:.1f} {unit}s/s")
            if not more:
                playing.set(False)
                return
            wait = 1.0 / max(speed.value, 0.01) - (time.perf_counter() - started)
            time.sleep(max(0.0, wait))

    solara.lab.use_task(loop, dependencies=[playing.value, can_advance], prefer_threaded=True)


def _speeds() -> list[float]:
    return sorted({*SPEEDS, speed.value})


def _set_speed(value: float) -> None:
    if value and value > 0:
        speed.set(float(value))
        rate.set("")


def _play() -> None:
    rate.set("")
    playing.set(True)


def stop_playing() -> None:
    """Stop the loop before anything else a Pause does: no step starts after this returns
    (one under way finishes; the Pause then goes back to the day shown)."""
    generation.set(generation.value + 1)
    playing.set(False)


def controls(
    scenario: Scenario,
    *,
    step: int,
    last: int,
    running: bool,
    forward: str,
    step_days: float | None = None,
    **events,
):
    """The controls template with what live and replay pages share: play, speed, the rate;
    the counter in the days a step lasts (``step_days``)."""
    label = step_name(scenario, step, step_days)
    unit = label.split()[0]
    if unit == "Day" and days_per_step(scenario, step_days) != 1:
        unit = "Step"  # the speed counts steps of several days
    return ControlsView(
        unit=unit,
        step=step,
        label=label,
        last_label=step_name(scenario, last, step_days).split()[-1],
        last=last,
        running=running,
        playing=playing.value,
        speed=speed.value,
        speeds=_speeds(),
        rate=rate.value if playing.value else "",
        forward=forward,
        back="event_back" in events,
        reset="event_reset" in events,
        event_play=lambda *_: _play(),
        event_speed=_set_speed,
        **events,
    )
