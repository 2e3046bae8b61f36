"""The crisis map: outlines, Crimea, what stands where on a step, and the drawing itself."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from PIL import Image
from view_scenario import black_sea, event, events_frame, steps_frame

from brink.viz.map import display_name, draw_map, map_figure, map_png
from brink.viz.map_layers import OTHER_LAND, POSTURE_COLOURS, alliance_ties
from brink.viz.map_projection import (
    CRIMEA_BOX,
    _rings_in,
    anchor,
    border_point,
    contains,
    map_extent,
    world,
)
from brink.viz.map_sides import SIDE_FILLS
from brink.viz.map_situation import situation
from brink.viz.narrate import dispute_label


def test_crimea_is_taken_out_of_russia_and_kept_apart():
    countries = world()
    crimea = countries["CRIMEA"].rings
    assert len(crimea) == 1
    ring = crimea[0]
    lon_min, lon_max, lat_min, lat_max = CRIMEA_BOX
    assert lon_min - 0.1 <= ring[:, 0].min() and ring[:, 0].max() <= lon_max + 0.1
    assert lat_min - 0.1 <= ring[:, 1].min() and ring[:, 1].max() <= lat_max + 0.1
    # Simferopol is in the Crimea ring, and no longer inside any ring of Russia.
    assert contains("CRIMEA", 34.1, 44.95)
    assert not contains("RUS", 34.1, 44.95)
    assert contains("RUS", 37.62, 55.76)  # Moscow still is


def test_france_and_norway_are_found_by_adm0_code():
    # Their ISO_A3 is -99 in Natural Earth; the map keys by ADM0_A3.
    assert contains("FRA", 2.35, 48.86)
    assert "NOR" in world()


def test_situation_before_the_first_step_comes_from_the_scenario():
    scenario = black_sea()
    state = situation(scenario, None, None, 0)
    troops = {(d.owner, d.host): d.troops for d in state.deployments}
    assert troops == {("RUS", "BLR"): 30.0, ("RUS", "RUS"): 100.0}
    assert {d.near for d in state.deployments} == {"UKR"}
    assert [(s.senders, s.status) for s in state.sanctions] == [(("USA", "FRA"), "threatened")]
    assert state.postures["RUS"] == 2 and state.postures["UKR"] == 2
    assert state.postures["FRA"] == 1
    assert set(state.alliances["NATO"]) == {"USA", "FRA", "POL", "ROU"}


def test_situation_follows_the_event_log():
    scenario = black_sea()
    events = events_frame(
        [
            event(3, "FRA", "deploy", "ROU", amount=1.0),
            event(4, "RUS", "escalate", "UKR", "ukraine", level=3),
            event(6, "RUS", "withdraw", "BLR", amount=30.0),
            event(7, "USA", "impose_sanctions", "RUS", amount=0.3, detail="west"),
            event(7, "FRA", "impose_sanctions", "RUS", amount=0.3, detail="west"),
            event(8, "RUS", "war", "UKR", "ukraine", level=5),
            event(9, "RUS", "back_down", "USA", "nato", level=2),
        ]
    )
    steps = steps_frame({8: {"RUS": 5, "UKR": 5, "FRA": 1}})
    early = situation(scenario, steps, events, 3)
    assert ("FRA", "ROU") in {(d.owner, d.host) for d in early.deployments}
    assert early.sanctions[0].status == "threatened"
    late = situation(scenario, steps, events, 9)
    hosts = {(d.owner, d.host): d.troops for d in late.deployments}
    assert ("RUS", "BLR") not in hosts and hosts[("FRA", "ROU")] == 1.0
    assert [s.status for s in late.sanctions] == ["imposed"]
    demands = {d.dispute: d for d in late.demands}
    assert demands["ukraine"].status == "war" and demands["ukraine"].level == 5
    assert demands["nato"].status == "over"
    assert late.postures["RUS"] == 5 and late.postures["UKR"] == 5


def test_joining_and_leaving_an_alliance_change_the_ties():
    scenario = black_sea()
    events = events_frame(
        [event(2, "UKR", "join_alliance", "NATO"), event(5, "ROU", "leave_alliance", "NATO")]
    )
    assert "UKR" in situation(scenario, None, events, 2).alliances["NATO"]
    assert "ROU" not in situation(scenario, None, events, 5).alliances["NATO"]
    assert "ROU" in situation(scenario, None, events, 4).alliances["NATO"]


def test_extent_holds_the_theatre_and_puts_far_states_on_the_edge():
    scenario = black_sea()
    extent = map_extent(scenario)
    for code in ("RUS", "UKR", "BLR", "POL", "ROU", "FRA"):
        lat, lon = scenario.states[code].capital
        assert extent.inside(lon, lat), code
    lon, lat, on_map = anchor(scenario, "USA", extent)
    assert not on_map
    assert extent.inside(lon, lat)
    assert lon < extent.lon_min + 0.1 * (extent.lon_max - extent.lon_min)  # the western edge


def test_troops_massed_near_a_neighbour_stand_at_the_border():
    scenario = black_sea()
    moscow = scenario.states["RUS"].capital[::-1]
    kyiv = scenario.states["UKR"].capital[::-1]
    lon, lat = border_point("RUS", moscow, kyiv)
    assert contains("RUS", lon, lat)
    # Much nearer Kyiv than Moscow is: on the border, not at the capital.
    assert math.dist((lon, lat), kyiv) < 0.5 * math.dist(moscow, kyiv)


def test_alliance_ties_form_a_spanning_tree_of_short_lines():
    points = {"A": (0.0, 0.0), "B": (1.0, 0.0), "C": (10.0, 0.0), "D": (11.0, 0.0)}
    ties = alliance_ties(points)
    assert len(ties) == len(points) - 1
    assert {frozenset(t) for t in ties} == {
        frozenset("AB"),
        frozenset("BC"),
        frozenset("CD"),
    }
    assert alliance_ties({"A": (0.0, 0.0)}) == []


def _face_of(ax, code: str, extent) -> np.ndarray:
    """The fill of the first outline of ``code`` drawn (found by its points, whatever the
    order the map draws its outlines in)."""
    ring = next(ring for ring_code, ring in _rings_in(extent) if ring_code == code)
    collection = next(c for c in ax.collections if isinstance(c, PolyCollection))
    index = next(
        i
        for i, path in enumerate(collection.get_paths())
        if len(path.vertices) >= len(ring) and np.allclose(path.vertices[: len(ring)], ring)
    )
    return collection.get_facecolors()[index]


def test_states_are_filled_by_side_with_posture_at_the_capital_and_others_grey():
    """Issue 27: Russia, Belarus and Ukraine were one orange (posture); the fill now shows the
    side — the challenger's camp red, the target's blue, the uncommitted pale — and posture
    is a badge at the capital."""
    scenario = black_sea()
    steps = steps_frame({4: {"RUS": 4, "UKR": 3, "BLR": 2, "POL": 1, "ROU": 1, "FRA": 1}})
    figure = Figure()
    ax = figure.add_subplot()
    extent = map_extent(scenario)
    draw_map(ax, scenario, steps, None, 4, extent=extent)
    russia, ukraine = _face_of(ax, "RUS", extent), _face_of(ax, "UKR", extent)
    assert np.allclose(russia, to_rgba(SIDE_FILLS[("challenger", "principal")]))
    assert np.allclose(ukraine, to_rgba(SIDE_FILLS[("target", "principal")]))
    assert np.allclose(_face_of(ax, "POL", extent), to_rgba(SIDE_FILLS[("target", "coalition")]))
    # Belarus hosts Russia's troops: on Russia's side, not the uncommitted's colour.
    assert np.allclose(_face_of(ax, "BLR", extent), to_rgba(SIDE_FILLS[("challenger", "bound")]))
    assert np.allclose(_face_of(ax, "DEU", extent), to_rgba(OTHER_LAND))
    assert not np.allclose(russia, ukraine)
    badges = {
        tuple(np.round(c.get_offsets()[0], 2)): c.get_facecolors()[0]
        for c in ax.collections
        if type(c).__name__ == "PathCollection" and len(c.get_offsets()) == 1
    }
    for code, level in (("RUS", 4), ("UKR", 3), ("BLR", 2)):
        lat, lon = scenario.states[code].capital
        assert np.allclose(badges[(round(lon, 2), round(lat, 2))], to_rgba(POSTURE_COLOURS[level]))


def test_sides_put_an_alliance_target_in_coalition_and_war_belligerents_on_their_side():
    from brink.viz.map_sides import alignments, camp_names
    from brink.viz.warmap import WarFront

    scenario = black_sea()
    state = situation(scenario, None, None, 0)
    sides = alignments(scenario, state)
    assert (sides["RUS"].camp, sides["RUS"].role) == ("challenger", "principal")
    assert (sides["USA"].camp, sides["USA"].role) == ("target", "principal")  # NATO's leader
    assert (sides["FRA"].camp, sides["FRA"].role) == ("target", "coalition")
    assert camp_names(scenario) == {"challenger": "Russia", "target": "Ukraine and NATO"}
    war = WarFront(
        "ukraine", "UKR", 3, 0.1, (150, 200), (1, 1), (1, 1), (("RUS",), ("UKR", "ROU")), ((), ())
    )
    from dataclasses import replace

    at_war = alignments(scenario, replace(state, wars=(war,)))
    assert (at_war["ROU"].camp, at_war["ROU"].role) == ("target", "at war")


def test_crimea_is_hatched_in_ukraines_colour_and_the_caption_says_so():
    scenario = black_sea()
    steps = steps_frame({4: {"RUS": 4, "UKR": 3}})
    figure = Figure()
    ax = figure.add_subplot()
    draw_map(ax, scenario, steps, None, 4)
    hatched = [c for c in ax.collections if isinstance(c, PolyCollection) and c.get_hatch()]
    assert len(hatched) == 1
    assert np.allclose(hatched[0].get_facecolors()[0], to_rgba(SIDE_FILLS[("target", "principal")]))
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "Crimea" in texts and "Ukrainian territory under Russian control since 2014" in texts


def test_the_map_names_the_day_and_draws_demands_sanctions_and_troops():
    scenario = black_sea()
    events = events_frame([event(12, "FRA", "deploy", "ROU", amount=1.0)])
    figure = Figure()
    ax = figure.add_subplot()
    draw_map(ax, scenario, None, events, 12)
    assert ax.get_title(loc="left") == "Black Sea test crisis — Day 12 · 13 January 2022"
    texts = [t.get_text() for t in ax.texts]
    assert "demand: Ukraine" in texts  # dispute id "ukraine" named after the state
    assert "demand: NATO" in texts
    assert "sanctions threatened by 2 states" in texts
    assert "FRA 1k" in texts and "RUS 100k" in texts and "RUS 30k" in texts
    # A state off the map is named under it, not in a box over land (issue 27).
    assert not any("(off map)" in text for text in texts)
    assert any(text.startswith("Off the map: ← United States") for text in texts), texts
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "posture: war" in legend and "NATO (defence pact)" in legend
    assert "Russia" in legend and "Ukraine and NATO" in legend


def test_a_war_is_drawn_as_war():
    scenario = black_sea()
    events = events_frame([event(5, "RUS", "war", "UKR", "ukraine", level=5)])
    figure = Figure()
    ax = figure.add_subplot()
    draw_map(ax, scenario, None, events, 5)
    assert "WAR: Ukraine" in [t.get_text() for t in ax.texts]


@pytest.mark.parametrize(
    ("dispute", "label"),
    [("nato_rollback", "NATO rollback"), ("ukraine", "Ukraine"), ("the-issue", "The issue")],
)
def test_dispute_labels(dispute, label):
    assert dispute_label(black_sea(), dispute) == label


def test_display_name():
    assert display_name(black_sea()) == "Black Sea test crisis"
    scenario = black_sea()
    from dataclasses import replace

    assert display_name(replace(scenario, name="black_sea_2022")) == "Black Sea 2022"
    assert display_name(replace(scenario, name="classics/fearon_ultimatum")) == "Fearon Ultimatum"


def test_a_scenario_without_outlines_still_renders():
    from dataclasses import replace

    scenario = black_sea()
    states = {
        "AAA": replace(scenario.states["FRA"], code="AAA", name="State A", capital=(0.0, 0.0)),
        "BBB": replace(scenario.states["FRA"], code="BBB", name="State B", capital=(0.0, 5.0)),
    }
    from brink.scenarios.spec import DemandSpec

    bare = replace(
        scenario,
        states=states,
        alliances={},
        sanctions=(),
        deployments=(),
        demands=(DemandSpec(id="x", by="AAA", on="BBB", issue="a good", size=1.0),),
    )
    buffer = io.BytesIO()
    map_figure(bare, None, None, 0).savefig(buffer, format="png")
    assert buffer.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_state_that_no_longer_exists_is_drawn_on_todays_outlines():
    from dataclasses import replace

    from brink.viz.map_layers import crimea_caption
    from brink.viz.map_projection import outline_owners

    scenario = black_sea()
    soviet = replace(scenario.states["RUS"], code="SUN", name="Soviet Union")
    cold_war = replace(
        scenario,
        start_date="1962-10-16",
        states={"SUN": soviet, "UKR": scenario.states["UKR"], "USA": scenario.states["USA"]},
        alliances={},
        sanctions=(),
        deployments=(),
        demands=(),
    )
    owners = outline_owners(cold_war)
    assert owners["RUS"] == "SUN" and owners["KAZ"] == "SUN"
    assert owners["UKR"] == "UKR"  # a state the scenario has keeps its own outline
    # A caption fitting the year: the Soviet Union drawn from today's outlines, no word on
    # Crimea (issue 27: every map before 2014 carried the caption about it).
    assert "Borders of 1962: Soviet Union" in crimea_caption(cold_war)
    assert "Crimea" not in crimea_caption(cold_war)
    assert "since 2014" in crimea_caption(scenario)
    assert "before 2014" in crimea_caption(replace(scenario, start_date="2008-08-07"))
    steps = steps_frame({1: {"SUN": 4, "UKR": 1, "USA": 1}})
    figure = Figure()
    ax = figure.add_subplot()
    extent = map_extent(cold_war)
    draw_map(ax, cold_war, steps, None, 1, extent=extent)
    # Russia's outline is the Soviet Union's: one shape in its colour, inner borders too.
    assert np.allclose(_face_of(ax, "RUS", extent), _face_of(ax, "KAZ", extent))
    # Before 2014 Crimea is not hatched.
    assert not [c for c in ax.collections if isinstance(c, PolyCollection) and c.get_hatch()]


def _pixels(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGB")).astype(int)


def _figure_pixels(figure: Figure) -> np.ndarray:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return _pixels(buffer.getvalue())


def test_the_fast_map_png_shows_what_the_map_figure_shows_on_every_step():
    # map_png keeps the picture below the title while the situation stays the same: days 12
    # and 13 share it (nothing happened on day 13), day 14 does not (a deployment).
    scenario = black_sea()
    events = events_frame(
        [event(12, "FRA", "deploy", "ROU", amount=1.0), event(14, "RUS", "war", "UKR", "ukraine")]
    )
    drawn = {}
    for step in (12, 13, 14, 12):
        fast = _pixels(map_png(scenario, None, events, step))
        slow = _figure_pixels(map_figure(scenario, None, events, step))
        assert fast.shape == slow.shape
        assert np.abs(fast - slow).max() <= 3, f"day {step}"
        drawn[step] = fast
    # Only the title (the top rows) tells day 12 from day 13; the war changes the map itself.
    differ_12_13 = np.nonzero(np.abs(drawn[12] - drawn[13]).max(axis=2) > 3)[0]
    assert len(differ_12_13) and differ_12_13.max() < 40
    differ_13_14 = np.nonzero(np.abs(drawn[13] - drawn[14]).max(axis=2) > 3)[0]
    assert differ_13_14.max() > 100


def test_animate_draws_the_war_keeps_labels_apart_and_the_legend_outside(tmp_path):
    """Issue 27: brink animate's legend sat inside the map under its labels and the war's
    layers were missing. A frame of a war day has the front and both sides' discs, no two
    visible labels of the map overlap, and the legend is outside the map's axes."""
    from view_scenario import forced_war_run

    from brink.sim.record import FRONT_COLUMNS
    from brink.viz.animate import draw_frame

    scenario, live = forced_war_run(4)
    tables = live.tables()
    frames = {
        "steps": tables.steps,
        "events": tables.events,
        "beliefs": tables.beliefs,
        "fronts": pd.DataFrame(tables.fronts, columns=list(FRONT_COLUMNS)),
    }
    figure = Figure(figsize=(12.0, 6.4), dpi=80)
    draw_frame(figure, scenario, frames, pd.DataFrame(), 0, tables.step, 10, 1, None)
    figure.canvas.draw() if hasattr(figure.canvas, "draw") else None
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = figure.axes[0]
    texts = [t for t in ax.texts if t.get_visible() and t.get_text()]
    sides = [t.get_text() for t in texts if "'s side" in t.get_text()]
    assert any(text.startswith("Russia's side") for text in sides), sides
    assert any(text.startswith("Ukraine's side") for text in sides), sides
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    for i, (a, p) in enumerate(boxes):
        for b, q in boxes[i + 1 :]:
            assert not p.overlaps(q), (a, b)
    assert ax.get_legend() is None
    (legend,) = figure.legends
    assert not legend.get_window_extent(renderer).overlaps(ax.get_window_extent(renderer))
    assert "front line" in [t.get_text() for t in legend.get_texts()]
