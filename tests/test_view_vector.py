"""The vector map, the state panel and the view's controls, without a browser."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import pandas as pd
import pytest

from brink.scenarios.loader import bundled_scenarios, load_scenario
from brink.sim.params import PARAMETERS, scenario_params
from brink.sim.power import troops_in_theatre
from brink.viz.eventlog import log_html
from brink.viz.map_layers import POSTURE_COLOURS
from brink.viz.map_projection import off_map
from brink.viz.map_sides import alignments
from brink.viz.map_situation import situation
from brink.viz.statepanel import panel_html
from brink.viz.vector import base_svg, forces_in_theatre, legend, step_map, theatres
from brink.viz.viewruns import LiveRun
from brink.viz.widgets import slider_groups, slider_step


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("black_sea_2022")


@pytest.fixture(scope="module")
def run(scenario):
    live = LiveRun(scenario, scenario_params(scenario), seed=17)  # a run of 107 days
    for _ in range(4):
        live.step()
    return live


def _svg(*parts: str) -> ElementTree.Element:
    return ElementTree.fromstring(f'<svg xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>')


def test_the_map_is_well_formed_svg_and_names_no_outside_address(scenario, run):
    tables = run.tables()
    drawn = step_map(scenario, tables.steps, tables.events, tables.step)
    root = _svg(base_svg(scenario), drawn.layer, drawn.labels)
    assert len(root) > 50
    for text in (base_svg(scenario), drawn.layer, drawn.labels):
        assert "http" not in text and "//" not in text  # nothing to fetch from anywhere


def test_each_state_on_the_map_is_a_shape_filled_by_its_side_with_its_posture_badge(scenario, run):
    tables = run.tables()
    drawn = step_map(scenario, tables.steps, tables.events, tables.step)
    codes = set(re.findall(r'class="state s-(\w+)[ "]', base_svg(scenario)))
    assert {"RUS", "UKR", "BLR", "POL", "LTU"} <= codes
    state = situation(scenario, tables.steps, tables.events, tables.step)
    sides = alignments(scenario, state)
    latest = tables.steps[tables.steps["step"] == tables.step].set_index("state")["posture"]
    for code in codes:
        assert f".brink-map path.s-{code}{{fill:{sides[code].fill}}}" in drawn.layer
    # Russia, Belarus and Ukraine part by colour (issue 27: one orange on day 0), and
    # Armenia and Kazakhstan (CSTO) are on Russia's side, not NATO's.
    fills = {code: sides[code].fill for code in ("RUS", "UKR", "BLR", "POL", "ARM", "KAZ")}
    assert fills["RUS"] != fills["UKR"] and fills["BLR"] != fills["UKR"]
    assert sides["ARM"].camp == sides["KAZ"].camp == sides["RUS"].camp != sides["POL"].camp
    for code in scenario.states:
        match = re.search(
            rf'data-code="{code}" data-posture="(\d)" style="fill:([^"]+)"', drawn.layer
        )
        if match is None:
            continue  # off the map: no capital drawn
        assert int(match.group(1)) == latest[code] == state.postures[code]
        assert match.group(2) == POSTURE_COLOURS[state.postures[code]]


def test_labels_name_every_state_on_the_map_essentials_first_and_the_rest_in_the_strip(
    scenario, run
):
    """Issue 27: the key labels vanished at 1024×768 and "Kazakhstan (off map)" sat over
    Russia with Kazakhstan on the map. States on the map are named on it, the principals, the
    theatre and the largest forces first and marked never to be hidden; the others are in the
    strip beside the map, never over land."""
    tables = run.tables()
    drawn = step_map(scenario, tables.steps, tables.events, tables.step)
    labels = _svg(drawn.labels)
    names = {g.get("data-code") for g in labels if "k-name" in g.get("class")}
    strip = {entry["code"] for entry in off_map(scenario)}
    assert not any("k-offmap" in g.get("class") for g in labels)
    assert names | strip == set(scenario.states) and not names & strip
    assert "USA" in strip and "RUS" in names and "KAZ" in names  # Kazakhstan's land is shown
    assert all(entry["arrow"] in "←↖↑↗→↘↓↙" for entry in off_map(scenario))
    priorities = [float(g.get("data-priority")) for g in labels]
    assert priorities == sorted(priorities, reverse=True)
    essential = [g for g in labels if g.get("data-essential") == "1"]
    first = labels[: len(essential)]
    assert first == essential  # placed before every other label
    essential_names = {g.get("data-code") for g in essential if "k-name" in g.get("class")}
    assert essential_names == {"RUS", "UKR", "USA", "POL"} & names  # POL: a theatre
    troops = sorted(
        (d for d in situation(scenario, tables.steps, tables.events, tables.step).deployments),
        key=lambda d: -d.troops,
    )
    largest = [g for g in essential if "k-troops" in g.get("class")]
    assert len(largest) == 2
    assert any(g.findtext("{*}text").startswith("RUS") for g in largest)
    assert troops[0].owner == "RUS"


def test_forces_in_the_theatre_agree_with_the_model(scenario, run):
    tables = run.tables()
    state = situation(scenario, tables.steps, tables.events, tables.step)
    for code in scenario.states:
        forces = forces_in_theatre(scenario, state, code)
        for theatre in set(theatres(scenario).values()):
            expected = troops_in_theatre(run.model, code, theatre)
            assert forces.get(theatre, 0.0) == pytest.approx(expected), (code, theatre)
    assert forces_in_theatre(scenario, state, "RUS")["UKR"] > 100  # the troops near Ukraine


def test_hover_facts_and_legend_in_words(scenario, run):
    tables = run.tables()
    info = step_map(scenario, tables.steps, tables.events, tables.step).info
    assert set(info) == set(scenario.states)
    assert set(info["LTU"]) >= {"name", "posture", "capability", "forces", "alliances"}
    assert "North Atlantic Treaty Organization (defence pact)" in info["LTU"]["alliances"]
    assert info["RUS"]["sanctions"] != "none"
    texts = [entry["text"] for entry in legend(scenario)]
    assert "Union State of Russia and Belarus (defence pact)" in texts
    assert not any("UNION_STATE" in text for text in texts)


def test_state_panel_shows_beliefs_beside_truth_troops_and_decisions(scenario, run):
    tables = run.tables()
    panel = panel_html(scenario, tables.steps, tables.events, tables.beliefs, "RUS", tables.step)
    beliefs = tables.beliefs[tables.beliefs["observer"] == "RUS"]
    last = beliefs[beliefs["step"] == beliefs["step"].max()]
    for row in last.itertuples():
        name = scenario.states[row.subject].name
        assert (
            f'<td>{name}</td><td class="num">{row.believed:.2f}</td>'
            f'<td class="num">{row.true:.2f}</td>'
        ) in panel
    assert "in Belarus at the border of Ukraine" in panel
    events = tables.events
    assert len(events[(events["actor"] == "RUS") & (events["action"] == "deploy")])
    assert "Russia deploys" in panel
    assert panel_html(scenario, tables.steps, tables.events, tables.beliefs, "XXX", 4) == ""


def test_a_troop_circle_and_its_state_say_where_the_troops_stand_in_one_wording(scenario, run):
    """Issue 27: a circle said "in Russia near Ukraine" while Russia's block said "106k in
    Ukraine"; both now say where the troops stand in the same words."""
    tables = run.tables()
    drawn = step_map(scenario, tables.steps, tables.events, tables.step)
    import re

    tips = re.findall(r'class="troops"[^>]*data-code="RUS" data-tip="([^"]*)"', drawn.layer)
    assert tips, "Russia's troops are drawn"
    for tip in tips:
        place = tip.split(" troops ", 1)[1]
        assert place in drawn.info["RUS"]["forces"], (place, drawn.info["RUS"]["forces"])
    assert "in Ukraine" not in drawn.info["RUS"]["forces"].replace("border of Ukraine", "")


@pytest.mark.parametrize("spec", list(PARAMETERS.values()), ids=lambda spec: spec.name)
def test_slider_grid_holds_the_default(spec, scenario):
    """A slider snaps its value to ``low + k × step``: the default and the scenario's value
    must lie on that grid, or opening the slider would change them (issue 15)."""
    if spec.optional:
        return
    value = getattr(scenario_params(scenario), spec.name)
    step = slider_step(spec, value)
    for number in (spec.default, value):
        position = (number - spec.low) / step
        assert position == pytest.approx(round(position), abs=1e-6)
    if not spec.integer:
        assert (spec.high - spec.low) / step >= 100


def test_slider_step_of_planning_days_keeps_30():
    # The old 1/200 step was 2: a grid of 1, 3, …, 29, 31 that turned 30 into 31.
    spec = PARAMETERS["planning_days"]
    assert (30 - spec.low) / slider_step(spec) == round((30 - spec.low) / slider_step(spec))


def test_every_parameter_has_a_control():
    shown = {spec.name for specs in slider_groups().values() for spec in specs}
    assert shown == {name for name, spec in PARAMETERS.items() if not spec.optional}


def _frames(tables):
    return [frame.reset_index(drop=True) for frame in (tables.steps, tables.events, tables.beliefs)]


def test_pause_shows_an_earlier_day_and_step_then_shows_the_same_run(scenario):
    params = scenario_params(scenario)
    ahead = LiveRun(scenario, params, seed=2)
    for _ in range(5):
        ahead.step()
    ahead.show_until(3)  # the page showed day 3 when Pause was pressed
    steady = LiveRun(scenario, params, seed=2)
    for _ in range(3):
        steady.step()
    assert ahead.tables().step == 3
    for mine, theirs in zip(_frames(ahead.tables()), _frames(steady.tables()), strict=True):
        pd.testing.assert_frame_equal(mine, theirs)
    done = ahead.model.steps_done
    ahead.step()
    steady.step()
    assert ahead.model.steps_done == done  # shown, not stepped again
    for mine, theirs in zip(_frames(ahead.tables()), _frames(steady.tables()), strict=True):
        pd.testing.assert_frame_equal(mine, theirs)


def test_the_empty_log_says_how_far_the_run_is():
    assert "press Step or Play" in log_html([])
    text = log_html([], "day 5")
    assert "Nothing has happened by day 5" in text


@pytest.mark.parametrize("name", sorted(bundled_scenarios()))
def test_every_bundled_scenario_draws(name):
    scenario = load_scenario(name)
    live = LiveRun(scenario, scenario_params(scenario), seed=3)
    for _ in range(3):
        live.step()
    tables = live.tables()
    drawn = step_map(scenario, tables.steps, tables.events, tables.step)
    _svg(base_svg(scenario), drawn.layer, drawn.labels)
    assert set(drawn.info) == set(scenario.states)
    labelled = {g.get("data-code") for g in _svg(drawn.labels) if g.get("data-code")}
    assert set(scenario.states) <= labelled | {entry["code"] for entry in off_map(scenario)}
    for code in scenario.states:
        panel_html(scenario, tables.steps, tables.events, tables.beliefs, code, tables.step)


# -- the war on the map (issue 15, item 2) ------------------------------------------------------


@pytest.fixture(scope="module")
def war_run(scenario):
    """Seed 17's run with a war over Ukraine's neutrality forced on day 1 (as test_war_model
    forces wars), then stepped by the model itself: the rows a live view or a run reads."""
    live = LiveRun(scenario, scenario_params(scenario), seed=17)
    live.step()
    live.model._begin_war(live.model.disputes["ukraine_neutrality"], detail="forced by the test")
    for _ in range(8):
        live.step()
    return live


def _war_parts(layer: str) -> dict[str, list[dict[str, str]]]:
    root = _svg(layer)
    found: dict[str, list[dict[str, str]]] = {"war-front": [], "side-forces": [], "aid": []}
    for element in root.iter():
        for name in element.get("class", "").split():
            if name in found:
                found[name].append(dict(element.attrib))
    return found


def test_a_day_of_war_draws_the_front_forces_by_side_and_aid_from_the_fronts_rows(
    scenario, war_run
):
    tables = war_run.tables()
    fronts = tables.fronts
    assert set(fronts["step"]) >= {4, 8}
    drawn = {}
    for step in (4, 8):
        rows = {name: frame[frame["step"] <= step] for name, frame in vars(tables).items()
                if isinstance(frame, pd.DataFrame)}  # fmt: skip
        drawn[step] = step_map(scenario, rows["steps"], rows["events"], step, fronts=rows["fronts"])
        parts = _war_parts(drawn[step].layer)
        row = fronts[fronts["step"] == step].iloc[0]
        (front,) = parts["war-front"]
        assert front["data-dispute"] == "ukraine_neutrality"
        assert float(front["data-control"]) == pytest.approx(row["control"], abs=1e-4)
        assert float(front["data-day"]) == row["day"]
        troops = {f["class"].split()[1]: float(f["data-troops"]) for f in parts["side-forces"]}
        assert troops["side-challenger"] == pytest.approx(row["forces_challenger"], abs=1e-3)
        assert troops["side-target"] == pytest.approx(row["forces_target"], abs=1e-3)
        # an arrow from each main donor to the side it helps, named in the fronts row
        donors = row["aid_donors"].split("|")[1]
        assert parts["aid"], "aid flows to Ukraine from the scenario's donors"
        for arrow in parts["aid"]:
            assert arrow["data-recipient"] in ("UKR", "RUS")
            side = donors if arrow["data-recipient"] == "UKR" else row["aid_donors"].split("|")[0]
            assert f"{arrow['data-donor']}:" in side
        assert f"aid to Ukraine ×{row['aid_target']:.2f}" in drawn[step].labels
    # the war moves on: its numbers differ between the two days
    assert _war_parts(drawn[4].layer)["side-forces"] != _war_parts(drawn[8].layer)["side-forces"]
    assert drawn[4].labels != drawn[8].labels
    # before the war and without fronts rows nothing of it is drawn
    assert not _war_parts(step_map(scenario, tables.steps, tables.events, 1).layer)["war-front"]


def test_the_hatched_part_of_the_theatre_has_the_share_the_challenger_holds(scenario):
    """The front is placed so that the challenger holds the share ``control`` of the theatre's
    area on the map, and it moves as control changes."""
    from brink.viz.svgparts import projection
    from brink.viz.warmap import front_position, held_share, war_ground

    ground = war_ground(scenario, projection(scenario), "UKR", "RUS")
    assert ground is not None and len(ground.depth) > 1000
    lines = []
    for control in (0.0, 0.1, 0.35, 0.8, 1.0):
        offset, _middle = front_position(ground, control)
        assert held_share(ground, offset) == pytest.approx(control, abs=0.01)
        lines.append(offset)
    assert lines == sorted(lines) and len(set(lines)) == len(lines)
    # Russia comes from the north-east: the axis points from Moscow towards Ukraine
    assert ground.axis[0] < 0 and ground.axis[1] > 0


def test_a_front_row_from_a_file_draws_the_same_layer(scenario, war_run, tmp_path):
    """Replay reads the same rows back from a run directory's fronts table."""
    tables = war_run.tables()
    path = tmp_path / "fronts.parquet"
    tables.fronts.to_parquet(path)
    again = pd.read_parquet(path)
    live = step_map(scenario, tables.steps, tables.events, tables.step, fronts=tables.fronts)
    read = step_map(scenario, tables.steps, tables.events, tables.step, fronts=again, run=0)
    assert live.layer == read.layer and live.labels == read.labels


def test_the_legend_names_the_war_layers_in_words(scenario):
    texts = [entry["text"] for entry in legend(scenario)]
    for words in ("held by the challenger in a war", "front line", "aid (donor → side it helps)"):
        assert words in texts


@pytest.mark.parametrize(
    ("name", "code", "units"),
    [
        ("history/july_1914", "AUH", ("AUT", "HUN", "CZE", "HRV", "BIH")),
        ("history/cuban_missile_1962", "SUN", ("RUS", "UKR", "KAZ", "EST")),
        ("history/munich_1938", "CSK", ("CZE", "SVK")),
    ],
)
def test_a_state_of_its_time_is_one_shape_from_the_historical_table(name, code, units):
    """Issue 27: July 1914 had no shape for Austria-Hungary, the Soviet Union was today's
    Russia. Each is one path of today's outlines on its territory, inner borders in its fill."""
    from brink.viz.map_projection import outline_owners, world
    from brink.viz.svgparts import projection, svg_path

    scenario = load_scenario(name)
    base = base_svg(scenario)
    shapes = re.findall(
        rf'<path class="state s-{code} h-{code}" data-code="{code}" d="([^"]+)"', base
    )
    assert len(shapes) == 1
    proj = projection(scenario)
    for unit in units:
        assert outline_owners(scenario)[unit] == code
        assert svg_path(world()[unit].rings[:1], proj) in shapes[0]
    drawn = step_map(scenario, None, None, 0)
    fill = re.search(rf"path\.s-{code}{{fill:([^}}]+)}}", drawn.layer).group(1)
    assert f".brink-map path.h-{code}{{stroke:{fill}}}" in drawn.layer


def test_the_two_germanys_are_drawn_from_1949_to_1990_only():
    from brink.viz.map_projection import map_rings, world
    from brink.viz.svgparts import projection

    cuba = load_scenario("history/cuban_missile_1962")
    rings = map_rings(cuba, projection(cuba).extent)
    assert [code for code, _ in rings][-1] == "GDR"  # drawn over Germany
    east = world()["GDR"].rings[0]
    # East of the inner border (Berlin, Dresden, Rostock inside; Hamburg, Munich outside).
    from matplotlib.path import Path

    path = Path(east)
    for lon, lat in ((13.40, 52.52), (13.74, 51.05), (12.10, 54.09)):
        assert path.contains_point((lon, lat))
    for lon, lat in ((9.99, 53.55), (11.58, 48.14), (6.96, 50.94)):
        assert not path.contains_point((lon, lat))
    today = load_scenario("black_sea_2022")
    assert "GDR" not in [code for code, _ in map_rings(today, projection(today).extent)]
