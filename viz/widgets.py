"""The view's own widgets: the parameter controls and the two Vue templates (map, controls).

Each takes what it shows as arguments and reports what the user did through callbacks, so it
holds no page state (that lives in :mod:`brink.viz.app` and :mod:`brink.viz.playback`).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from typing import Any

import solara

from brink.sim.parameter_spec import ParameterSpec
from brink.sim.params import PARAMETERS, ModelParams


def slider_step(spec: ParameterSpec, *values: float) -> float:
    """A slider step of 1, 2 or 5 times a power of ten giving 100–1,000 positions, on whose
    grid (``low + k × step``) the default and ``values`` lie, so the slider never moves a value
    the user did not touch (a slider snaps its value to its grid)."""
    if spec.integer:
        return 1
    span = spec.high - spec.low
    wanted = [value for value in (spec.default, *values) if value is not None]
    top = math.floor(math.log10(span / 100))
    for exponent in range(top, top - 8, -1):
        for mantissa in (5, 2, 1):
            step = round(mantissa * 10.0**exponent, 12)
            if span / step < 100 or span / step > 100_000:
                continue
            positions = [(value - spec.low) / step for value in wanted]
            if all(abs(k - round(k)) < 1e-6 for k in positions):
                return step
    return round(span / 1000, 12)


#: Integer parameters with more values than this get a number field, not a slider.
SLIDER_MAX_VALUES = 400


def slider_groups() -> dict[str, list[ParameterSpec]]:
    """The sliders, by group: every parameter of :data:`PARAMETERS` but the optional ones
    (whose default ``None`` means "derive it from the scenario", which a slider cannot say)."""
    groups: dict[str, list[ParameterSpec]] = {}
    for spec in PARAMETERS.values():
        if not spec.optional:
            groups.setdefault(spec.group, []).append(spec)
    return groups


def _shown_value(spec: ParameterSpec, value: float) -> str:
    number = int(value) if spec.integer else float(value)
    return f"{number:g} {spec.unit}"


@solara.component
def ParameterControl(
    spec: ParameterSpec,
    value: float,
    in_run: float,
    on_choose: Callable[[ParameterSpec, Any], None],
):
    """One parameter: its name and ``value`` in words (``in_run``: the run's, for tests), a
    slider (or a number field for a long integer range) and its meaning. Only a user's change
    event calls ``on_choose``: a slider snapping its value to its grid does not."""
    solara.HTML(
        tag="div",
        unsafe_innerHTML=(
            f"<b>{html.escape(spec.name)}</b> = "
            f'<span class="brink-param-value">{html.escape(_shown_value(spec, value))}</span>'
        ),
        attributes={"data-name": spec.name, "data-value": repr(in_run)},
        classes=["brink-param"],
        style="font-size: 13px; margin-top: 6px;",
    )
    if spec.integer and spec.high - spec.low > SLIDER_MAX_VALUES:
        solara.InputInt(
            f"{spec.name} ({spec.low:g}–{spec.high:g} {spec.unit})",
            value=int(value),
            on_value=lambda number: on_choose(spec, number),
            dense=True,
        )
    else:
        slider = solara.v.Slider(
            v_model=value,
            min=spec.low,
            max=spec.high,
            step=slider_step(spec, value, in_run),
            hide_details=True,
            dense=True,
            thumb_label=True,
            class_="brink-slider",
            attributes={"aria-label": spec.name},
        )
        solara.v.use_event(slider, "change", lambda *event: on_choose(spec, event[-1]))
    solara.Text(spec.meaning, style={"font-size": "11px", "color": "#666"})


@solara.component
def ParameterSliders(
    params: ModelParams,
    chosen: dict[str, Any],
    on_choose: Callable[[ParameterSpec, Any], None],
):
    """One control per parameter, grouped as :data:`PARAMETERS` groups them; the value shown is
    the one ``chosen`` or else the run's (defaults ← scenario ← sliders)."""
    groups = slider_groups()
    with solara.v.ExpansionPanels(accordion=True, multiple=True):
        for group, specs in groups.items():
            with solara.v.ExpansionPanel():
                solara.v.ExpansionPanelHeader(children=[group])
                with solara.v.ExpansionPanelContent():
                    for spec in specs:
                        in_run = getattr(params, spec.name)
                        value = chosen.get(spec.name, in_run)
                        ParameterControl(spec, value, in_run, on_choose)


@solara.component_vue("map.vue")
def MapView(
    base: str,
    layer: str,
    labels: str,
    info: dict,
    step: int,
    version: str,
    width: float,
    height: float,
    legend: list,
    caption: str,
    title: str,
    heading: str,
    offmap: list,
    panel: str,
    selected: str,
    event_select: Any = None,
    event_resize: Any = None,
):
    pass


@solara.component_vue("controls.vue")
def ControlsView(
    unit: str,
    step: int,
    label: str,
    last_label: str,
    last: int,
    running: bool,
    playing: bool,
    speed: float,
    speeds: list,
    rate: str,
    forward: str,
    back: bool,
    reset: bool,
    event_forward: Any = None,
    event_back: Any = None,
    event_play: Any = None,
    event_pause: Any = None,
    event_reset: Any = None,
    event_speed: Any = None,
):
    pass
