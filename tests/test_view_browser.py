"""The browser view in headless Chromium (Debian's), with no network beyond this machine.

Two servers run for the module: a live view of the 2022 scenario and a replay of a small
recorded run. Every test ends by checking that no request failed and none left 127.0.0.1.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from brink.cli import main
from brink.viz.app import ENV_ENSEMBLE, ENV_PLAY_INTERVAL, ENV_RUN_DIR, ENV_SCENARIO
from brink.viz.harness import (
    MAP,
    RequestWatch,
    day_number,
    day_text,
    map_source,
    open_browser,
    serve,
    wait_for_new_map,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT = 60_000  # ms; the machine may be busy
expect.set_options(timeout=TIMEOUT)


@pytest.fixture(scope="module")
def browser():
    with open_browser() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("replay") / "run"
    code = main(
        ["run", "black_sea_2022", "--runs", "2", "--seed", "5", "--horizon", "6",
         "--out", str(out), "--no-progress"]
    )  # fmt: skip
    assert code == 0
    return out


@pytest.fixture(scope="module")
def urls(run_dir):
    """A live view of the 2022 scenario and a replay of ``run_dir``, started together."""
    # A slow play interval lets the test press Pause between two steps.
    live = {ENV_SCENARIO: "black_sea_2022", ENV_ENSEMBLE: "6", ENV_PLAY_INTERVAL: "1.5"}
    replay = {ENV_RUN_DIR: str(run_dir), ENV_ENSEMBLE: "0"}
    with serve(live, replay) as started:
        yield dict(zip(("live", "replay"), started, strict=True))


@pytest.fixture()
def page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(TIMEOUT)
    watch = RequestWatch()
    watch.attach(page)
    yield page
    page.close()
    assert watch.failed == [], f"requests failed: {watch.failed}"
    assert watch.external == [], f"requests left this machine: {watch.external}"


def _button(page, name):
    return page.get_by_role("button", name=name, exact=True)


def _log_lines(page) -> int:
    return page.locator(".brink-log-line").count()


def _step(page) -> None:
    old = map_source(page)
    _button(page, "Step").click()
    wait_for_new_map(page, old, TIMEOUT)


def test_live_view_renders_steps_plays_and_pauses(page, urls):
    page.goto(urls["live"])
    expect(page.locator(MAP)).to_be_visible()
    expect(page.locator("img.brink-panels")).to_be_visible()
    expect(page.locator(".brink-day")).to_contain_text("Day 0 · 17 January 2022")
    assert page.locator(MAP).evaluate("img => img.naturalWidth") > 500

    _step(page)
    expect(page.locator(".brink-day")).to_contain_text("Day 1 · 18 January 2022")
    assert _log_lines(page) >= 1
    first = _log_lines(page)
    _step(page)
    expect(page.locator(".brink-day")).to_contain_text("Day 2")
    assert _log_lines(page) > first
    assert page.locator(".brink-log-line").first.inner_text().startswith("Day 2 — ")

    # Play from a fresh run: the day advances by itself; Pause stops it.
    _button(page, "Reset").click()
    expect(page.locator(".brink-day")).to_contain_text("Day 0")
    _button(page, "Play").click()
    page.wait_for_function("() => !document.querySelector('.brink-day').innerText"
                           ".startsWith('Day 0')")  # fmt: skip
    _button(page, "Pause").click()
    expect(_button(page, "Play")).to_be_visible()
    paused_at = day_text(page)
    page.wait_for_timeout(3000)  # two play intervals
    assert day_text(page) == paused_at
    assert day_number(page) >= 1


def test_a_slider_change_takes_effect_on_reset(page, urls):
    page.goto(urls["live"])
    expect(page.locator(MAP)).to_be_visible()
    page.get_by_text("time", exact=True).click()
    slider = page.get_by_role("slider", name="horizon (steps)")
    expect(slider).to_have_attribute("aria-valuenow", "180")  # the scenario's horizon
    slider.focus()
    page.keyboard.press("Home")
    expect(slider).to_have_attribute("aria-valuenow", "1")
    # Nothing changes until Reset ...
    expect(page.locator("body")).not_to_contain_text("horizon = 1")
    _button(page, "Reset").click()
    expect(page.locator("body")).to_contain_text("changed: horizon = 1")
    # ... and then the run lasts one step.
    _step(page)
    expect(page.locator(".brink-day")).to_contain_text("Day 1 · 18 January 2022 — the run is over")
    expect(_button(page, "Step")).to_be_disabled()


def test_replay_scrubs_back_and_forth(page, urls):
    page.goto(urls["replay"])
    expect(page.locator(MAP)).to_be_visible()
    expect(page.locator(".brink-day")).to_contain_text("Day 0")
    expect(page.locator("body")).to_contain_text("replay of run 0 of 2")
    old = map_source(page)
    _button(page, "Forward").click()
    wait_for_new_map(page, old, TIMEOUT)
    expect(page.locator(".brink-day")).to_contain_text("Day 1")
    slider = page.get_by_role("slider", name="Day")
    slider.focus()
    page.keyboard.press("End")
    last = int(slider.get_attribute("aria-valuemax"))
    expect(page.locator(".brink-day")).to_contain_text(f"Day {last}")
    assert _log_lines(page) >= 1
    old = map_source(page)
    _button(page, "Back").click()
    wait_for_new_map(page, old, TIMEOUT)
    expect(page.locator(".brink-day")).to_contain_text(f"Day {last - 1}")
    slider.focus()
    page.keyboard.press("Home")
    expect(page.locator(".brink-day")).to_contain_text("Day 0")
