"""How fast the browser view shows a step, measured in headless Chromium with Playwright.

    .venv/bin/python benchmarks/bench_view.py [--steps 20] [--scenario black_sea_2022]
        [--screenshots DIR]

Starts ``brink view``'s server on a free port of 127.0.0.1, opens the page and clicks Step
``--steps`` times, timing each click until the map image has been replaced (the new PNG is in
the page); the next click waits until the panels under the map are redrawn too, so each step
starts from an idle server. When a run ends before that, Reset starts a new one (not timed).
Prints each time and the median (and, for comparison, the median time the server spends on a
step and its map without a browser); target: median at most 0.3 s; exits 1 if it is missed.

With ``--screenshots DIR`` it also saves PNG screenshots of the page at the start, after three
steps and at the end of a run (each under 300 KB).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from PIL import Image

from brink.viz.app import ENV_ENSEMBLE, ENV_PLAY_INTERVAL, ENV_SCENARIO
from brink.viz.harness import (
    MAP,
    RequestWatch,
    day_text,
    map_source,
    open_browser,
    serve,
    wait_for_new_map,
)

TARGET_S = 0.3
PANELS = "img.brink-panels"
TIMEOUT_MS = 60_000


def _button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def _reset(page) -> None:
    _button(page, "Reset").click()
    page.wait_for_function(
        "() => document.querySelector('.brink-day').innerText.startsWith('Day 0')",
        timeout=TIMEOUT_MS,
    )
    page.wait_for_function(
        "() => !document.querySelector('button[disabled]')"
        " || [...document.querySelectorAll('button')].some("
        "b => b.innerText.trim().toUpperCase() === 'STEP' && !b.disabled)",
        timeout=TIMEOUT_MS,
    )


def time_steps(page, steps: int) -> list[float]:
    """Seconds from each Step click until the map image is replaced."""
    times = []
    while len(times) < steps:
        if _button(page, "Step").is_disabled():
            _reset(page)
            page.wait_for_timeout(1000)
            continue
        old = map_source(page)
        old_panels = page.evaluate(f"document.querySelector('{PANELS}').src")
        started = time.perf_counter()
        _button(page, "Step").click()
        wait_for_new_map(page, old, TIMEOUT_MS)
        times.append(time.perf_counter() - started)
        # The panels under the map are drawn next, in the background; the next click waits
        # for them so that each step is timed from an idle server.
        page.wait_for_function(
            f"(old) => document.querySelector('{PANELS}').src !== old",
            arg=old_panels,
            timeout=TIMEOUT_MS,
        )
        page.wait_for_timeout(200)
    return times


MAX_SCREENSHOT_BYTES = 290_000


def server_side(scenario: str, steps: int) -> list[float]:
    """Seconds the server spends per step on the model step, its tables and the map PNG, in
    this process (no browser): the part of a step that does not depend on the network."""
    from brink.scenarios.loader import load_scenario
    from brink.sim.params import scenario_params
    from brink.viz.app import LiveRun
    from brink.viz.map import map_png

    crisis = load_scenario(scenario)
    params = scenario_params(crisis)
    run = LiveRun(crisis, params, seed=1)
    map_png(crisis, None, None, 0)  # the static layers are drawn once per scenario
    times = []
    while len(times) < steps:
        if not run.running:
            run = LiveRun(crisis, params, seed=len(times) + 2)
        started = time.perf_counter()
        run.step()
        tables = run.tables()
        map_png(crisis, tables.steps, tables.events, tables.step)
        times.append(time.perf_counter() - started)
    return times


def save_screenshot(page, path: Path) -> int:
    """A PNG of the page, in full colour when that stays under :data:`MAX_SCREENSHOT_BYTES`,
    else with 256 dithered colours; returns its size in bytes."""
    page.screenshot(path=str(path))
    with Image.open(path) as image:
        full = image.convert("RGB")
    full.save(path, optimize=True)
    if path.stat().st_size > MAX_SCREENSHOT_BYTES:
        full.quantize(colors=256, dither=Image.Dither.FLOYDSTEINBERG).save(path, optimize=True)
    return path.stat().st_size


def screenshots(page, directory: Path) -> list[Path]:
    """The page at the start, after three steps and at the end of a run."""
    directory.mkdir(parents=True, exist_ok=True)
    _reset(page)
    page.wait_for_timeout(4000)  # the outcome estimate and the panels
    saved = []

    def shoot(name: str) -> None:
        path = directory / name
        size = save_screenshot(page, path)
        print(f"screenshot {path} ({size / 1024:.0f} KB): {day_text(page)}")
        saved.append(path)

    shoot("view-day0.png")
    for _ in range(3):
        old = map_source(page)
        _button(page, "Step").click()
        wait_for_new_map(page, old, TIMEOUT_MS)
    page.wait_for_timeout(3000)
    shoot("view-day3.png")
    while not _button(page, "Step").is_disabled():
        old = map_source(page)
        _button(page, "Step").click()
        wait_for_new_map(page, old, TIMEOUT_MS)
    page.wait_for_timeout(3000)
    shoot("view-end.png")
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--scenario", default="black_sea_2022")
    parser.add_argument("--screenshots", type=Path, default=None, metavar="DIR")
    args = parser.parse_args(argv)
    environment = {ENV_SCENARIO: args.scenario, ENV_ENSEMBLE: "40", ENV_PLAY_INTERVAL: "0.25"}
    watch = RequestWatch()
    with serve(environment) as (url,), open_browser() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        watch.attach(page)
        page.goto(url)
        page.locator(MAP).wait_for()
        page.locator("img.brink-panels").wait_for()
        page.wait_for_timeout(3000)  # the outcome estimate finishes in the background
        times = time_steps(page, args.steps)
        if args.screenshots is not None:
            screenshots(page, args.screenshots)
        page.close()
    server = statistics.median(server_side(args.scenario, args.steps))
    print(f"server side (step + tables + map PNG, no browser): median {server:.3f} s")
    median = statistics.median(times)
    print("click to updated map (s): " + " ".join(f"{t:.3f}" for t in times))
    print(
        f"median {median:.3f} s over {len(times)} steps of {args.scenario} "
        f"(target <= {TARGET_S} s); min {min(times):.3f}, max {max(times):.3f}"
    )
    print(f"failed requests: {len(watch.failed)}; requests off this machine: {len(watch.external)}")
    ok = median <= TARGET_S and not watch.failed and not watch.external
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
