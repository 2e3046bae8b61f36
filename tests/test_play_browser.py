"""A person at the table, through the page in headless Chromium (``brink view --play``):
Russia played to the end of ``black_sea_2022`` with "what if" asked, the written game replayed,
and a second browser joining as the United States."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from brink.viz.app import ENV_ENSEMBLE, ENV_PLAY, ENV_RUN_DIR, ENV_SCENARIO
from brink.viz.harness import MAP, close_page, open_browser, open_page, serve
from brink.viz.play_page import ENV_GAMES
from brink.viz.playback import ENV_PLAY_INTERVAL

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT = 120_000  # ms; the machine may be busy, and "what if" runs 20 continuations × option
expect.set_options(timeout=TIMEOUT)


@pytest.fixture(scope="module")
def browser():
    with open_browser() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def games(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("games")


@pytest.fixture(scope="module")
def url(games):
    played = {
        ENV_SCENARIO: "black_sea_2022",
        ENV_PLAY: "RUS",
        ENV_GAMES: str(games),
        ENV_ENSEMBLE: "0",
        ENV_PLAY_INTERVAL: "0.05",
    }
    with serve(played) as (started,):
        yield started


def _open(browser, address: str):
    page, watch = open_page(browser, (1400, 1000), TIMEOUT)
    page.goto(address)
    page.wait_for_selector(MAP)
    return page, watch


_close = close_page


def _choose(page, words: str) -> None:
    """Choose the option that begins with ``words``; wait until the card has moved on."""
    asked = page.locator(".brink-asked").get_attribute("data-key")
    page.locator(".brink-decision").get_by_role("button", name=re.compile("^" + words)).click()
    page.wait_for_function(
        """(asked) => { const p = document.querySelector('.brink-asked');
                       return !p || p.dataset.key !== asked; }""",
        arg=asked,
    )


def _wait_for_turn(page) -> str:
    """Wait until the card puts a decision to this seat, says it waits, or the game is over."""
    card = page.locator(".brink-decision")
    buttons = card.get_by_role("button", name=re.compile("^Hold"))
    over = page.locator(".brink-game-over")
    waiting = page.locator(".brink-waiting")
    expect(buttons.or_(over).or_(waiting).first).to_be_visible()
    if over.count():
        return "over"
    if waiting.count():
        return "waiting"
    return "decide"


def test_russia_played_to_the_end_with_what_if_and_replayed(browser, url, games):
    page, watch = _open(browser, url)
    expect(page.locator(".brink-decision")).to_contain_text("You play Russia")
    page.get_by_role("button", name="Play", exact=True).click()
    assert _wait_for_turn(page) == "decide"
    page.get_by_role("button", name="What if…").click()
    table = page.locator("table.brink-whatif")
    expect(table).to_be_visible()
    rows = table.locator("tr[data-option]")
    options = [rows.nth(i).get_attribute("data-option") for i in range(rows.count())]
    assert options[:2] == ["hold", "press"] and "back_down" in options
    # Each option's shares of the endings add up to 100 % (of 20 continuations).
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td").all_inner_texts()
        assert sum(int(cell.rstrip("%")) for cell in cells) in (99, 100, 101)
    expect(page.locator(".brink-reasons")).to_contain_text("would choose")
    choices = 0
    for _ in range(40):
        turn = _wait_for_turn(page)
        if turn == "over":
            break
        assert turn == "decide"  # Russia is the only seat
        _choose(page, "Back down")
        choices += 1
    else:
        raise AssertionError("the game did not end")
    folder = Path(page.locator(".brink-written").inner_text())
    assert folder.parent == games
    _close(page, watch)

    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    human = {"state": "RUS", "module": "brink.viz.play", "name": "human", "from_day": 1}
    assert manifest["rules"][-1] == human
    assert manifest["rules"][0]["name"] == "ScreeningRule"  # what the model played
    assert manifest["human_choices"] == choices

    with serve({ENV_RUN_DIR: str(folder), ENV_ENSEMBLE: "0"}) as (replay,):
        page, watch = _open(browser, replay)
        page.get_by_role("button", name="Play", exact=True).click()
        expect(page.locator(".brink-log")).to_contain_text("Russia's player chooses to back down")
        expect(page.locator(".brink-log")).to_contain_text("Russia backs down")
        _close(page, watch)


def test_a_second_browser_joins_as_the_united_states(browser, url):
    first, first_watch = _open(browser, url)
    join = first.locator(".brink-join")
    expect(join).to_contain_text("seat=USA")
    address = url.rstrip("/") + join.inner_text()
    second, second_watch = _open(browser, address)
    expect(second.locator(".brink-decision")).to_contain_text("You play United States")
    first.get_by_role("button", name="Play", exact=True).click()
    # Day 1, in the order the model asks: Russia then the United States over NATO's posture,
    # then Russia over Ukraine.
    assert _wait_for_turn(first) == "decide"
    expect(first.locator(".brink-asked")).to_contain_text("dispute with United States")
    expect(second.locator(".brink-waiting")).to_contain_text("Waiting for Russia")
    _choose(first, "Hold")
    expect(first.locator(".brink-waiting")).to_contain_text("Waiting for United States")
    # The second page learns of the move made in the first (it looks every 0.3 s).
    expect(second.locator(".brink-asked")).to_contain_text("dispute with Russia")
    _choose(second, "Resist")
    expect(first.locator(".brink-asked")).to_contain_text("dispute with Ukraine")
    _choose(first, "Hold")
    # The day is played: both pages move past day 0.
    expect(first.locator(".brink-day")).not_to_contain_text("Day 0")
    expect(second.locator(".brink-day")).not_to_contain_text("Day 0")
    _close(second, second_watch)
    _close(first, first_watch)


def test_play_as_in_the_live_page_opens_a_game(browser):
    with serve({ENV_SCENARIO: "black_sea_2022", ENV_ENSEMBLE: "0"}) as (live,):
        page, watch = _open(browser, live)
        page.locator(".v-input", has_text="Play as").locator(".v-select__slot").click()
        page.locator(".menuable__content__active .v-list-item", has_text="RUS").click()
        expect(page.locator(".brink-decision")).to_contain_text("You play Russia")
        assert "seat=RUS" in page.url and "game=" in page.url
        _close(page, watch)
