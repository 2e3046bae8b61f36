"""Drive the browser view in headless Chromium: for the browser tests, the benchmark and the
README's screenshots.

:func:`serve` starts ``solara run`` on a free port of 127.0.0.1 and stops it afterwards;
:func:`open_browser` launches Debian's Chromium through Playwright (its own browser download
does not work on these machines, docs/style.md); :class:`RequestWatch` records every request
that failed or left this machine, which must be none for the view to work air-gapped.
Playwright is a development dependency, imported only here.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from brink.lifeline import terminate_group
from brink.viz.commands import start_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
)
MAP = ".brink-map svg"
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve(*environments: dict[str, str], timeout: float = 180.0) -> Iterator[list[str]]:
    """Run one server of the view per environment (added to this one), all at once; yield
    their URLs when every one answers; stop them all on exit."""
    servers = []
    try:
        for environment in environments:
            port = free_port()
            log = Path(tempfile.gettempdir()) / f"brink-view-{port}.log"
            folder = tempfile.mkdtemp(prefix="brink-view-")
            with open(log, "w") as output:
                process = start_server(
                    "127.0.0.1", port, environment, folder, stdout=output, stderr=subprocess.STDOUT
                )
            servers.append((process, f"http://127.0.0.1:{port}/", log))
        deadline = time.monotonic() + timeout
        for process, url, log in servers:
            _wait_ready(process, url, log, deadline)
        yield [url for _, url, _ in servers]
    finally:
        for process, _, _ in servers:
            terminate_group(process, timeout=15)


def _wait_ready(process: subprocess.Popen, url: str, log: Path, deadline: float) -> None:
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the view's server exited: {log.read_text()[-2000:]}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as answer:
            if answer.status == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the view's server at {url} did not answer in time ({log})")
        time.sleep(0.5)


@contextlib.contextmanager
def open_browser():
    """Headless Chromium (Debian's) under Playwright; yields the browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class RequestWatch:
    """Requests of a page that failed, answered with an error, or went off this machine; and
    errors the page logged or raised."""

    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda problem: self.errors.append(str(problem)))
        page.on("requestfailed", lambda request: self.failed.append(request.url))
        page.on(
            "response",
            lambda response: (
                self.failed.append(f"{response.status} {response.url}")
                if response.status >= 400
                else None
            ),
        )
        page.on(
            "request",
            lambda request: (
                None if request.url.startswith(LOCAL) else self.external.append(request.url)
            ),
        )


def open_page(browser, size: tuple[int, int], timeout: float):
    """A new page of ``size`` (width, height) with a default ``timeout`` (ms), watched."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.set_default_timeout(timeout)
    watch = RequestWatch()
    watch.attach(page)
    return page, watch


def close_page(page, watch: RequestWatch) -> None:
    """Close ``page`` and check that no request failed or left this machine and that the page
    logged no error."""
    page.close()
    assert watch.failed == [], f"requests failed: {watch.failed}"
    assert watch.external == [], f"requests left this machine: {watch.external}"
    assert watch.errors == [], f"the page logged errors: {watch.errors}"


def shown_step(page) -> int:
    """The step the map shows (its ``data-step``)."""
    return int(page.evaluate(f"document.querySelector('{MAP}').dataset.step"))


def label_overlaps(page) -> list[tuple[str, str]]:
    """Pairs of map labels shown on screen whose boxes intersect (none, if placement works)."""
    return page.evaluate(
        """() => {
            const boxes = [...document.querySelectorAll('.brink-map .brink-label')]
                .filter(g => getComputedStyle(g).display !== 'none')
                .map(g => [g.textContent, g.querySelector('rect').getBoundingClientRect()]);
            const pairs = [];
            boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
                if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom)
                    pairs.push([a, b]);
            }));
            return pairs;
        }"""
    )


def map_source(page) -> str:
    """The version of the map shown, with its labels placed (``data-placed``: new each time
    the map is redrawn)."""
    return page.evaluate(f"document.querySelector('{MAP}').dataset.placed")


def wait_for_new_map(page, old: str, timeout: float = 30_000) -> None:
    """Wait until the map shows a version other than ``old``, its labels placed."""
    page.wait_for_function(
        f"(old) => document.querySelector('{MAP}').dataset.placed !== old",
        arg=old,
        timeout=timeout,
    )


def day_text(page) -> str:
    """The heading above the map: ``Day 3 · 20 January 2022``."""
    return page.locator(".brink-day").inner_text()


def day_number(page) -> int:
    return int(day_text(page).split("·")[0].split()[1])


def hidden_essentials(page) -> list[str]:
    """The labels marked never to be hidden (principals, theatre, largest forces, the sides at
    war) that the page hid nonetheless: none, if placement works."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.brink-map .brink-label[data-essential="1"]')]
            .filter(g => getComputedStyle(g).display === 'none')
            .map(g => g.textContent)"""
    )


def visible_labels(page) -> dict[str, str]:
    """The text of each label shown on the map, by the state it names (``data-code``), and of
    the states listed in the strip beside the map."""
    return page.evaluate(
        """() => {
            const out = {};
            document.querySelectorAll('.brink-map .brink-label').forEach(g => {
                if (getComputedStyle(g).display !== 'none' && g.dataset.code
                    && !(g.dataset.code in out)) out[g.dataset.code] = g.textContent;
            });
            document.querySelectorAll('.brink-offmap-state').forEach(s => {
                const r = s.getBoundingClientRect();
                if (r.width > 0 && r.height > 0) out[s.dataset.code] = s.textContent;
            });
            return out;
        }"""
    )


def offmap_over_land(page) -> list[str]:
    """States named as off the map whose name lies over the map itself (none: they are in the
    strip beside it), and any "off map" label inside the map."""
    return page.evaluate(
        """() => {
            const map = document.querySelector('.brink-map svg').getBoundingClientRect();
            const over = [...document.querySelectorAll('.brink-offmap-state')].filter(s => {
                const r = s.getBoundingClientRect();
                return r.left < map.right && map.left < r.right
                    && r.top < map.bottom && map.top < r.bottom;
            }).map(s => s.textContent);
            const inside = [...document.querySelectorAll('.brink-map svg .brink-label')]
                .filter(g => g.textContent.includes('off map')).map(g => g.textContent);
            return [...over, ...inside];
        }"""
    )
