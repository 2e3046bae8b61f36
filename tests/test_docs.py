"""The documentation site: it builds with no warning, its generated pages hold what the code
says, and every reference to a page in the code's docstrings and comments points to a page and
section that exist."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

#: The design documents the code was first written against, and the page of the site that holds
#: each now (the same mapping as the one-off rewrite of the references; see CHANGELOG).
DESIGN_PAGES = {
    "MODEL.md": "docs/model.md",
    "CLASSICS.md": "docs/classics.md",
    "STYLE.md": "docs/style.md",
    "HOUSE.md": "docs/style.md",
    "TOOLCHAIN.md": "docs/style.md",
}
#: Folders that hold no source of the project (environments, outputs, caches).
NOT_SOURCE = {".venv", ".git", "out", "site", "sweeps", "build", "dist", "node_modules"}
SOURCE_SUFFIXES = {".py", ".yaml", ".yml", ".md", ".toml"}

PAGE = r"(?P<page>docs/[\w/.-]+?\.md|(?<![\w/])(?:MODEL|CLASSICS|STYLE|HOUSE|TOOLCHAIN)\.md)"
#: "docs/model.md §4.2", "MODEL.md §2–§8", "MODEL.md §4–6", "MODEL.md §3, §4.4".
SECTIONS = re.compile(PAGE + r"(?P<sections>(?:(?:,\s*|–|-|\s+)§?\d+(?:\.\d+)?(?![\w]))*)")
#: "docs/style.md, Errors", "STYLE.md, One place for each fact" (a capitalised name).
NAMED_SECTION = re.compile(PAGE + r",\s+(?P<name>[A-Z][A-Za-z ]+?)\)")


def source_files() -> list[Path]:
    files = []
    for folder, subfolders, names in os.walk(ROOT):
        subfolders[:] = [
            name for name in subfolders if name not in NOT_SOURCE and not name.endswith("_cache")
        ]
        files += [Path(folder, name) for name in names if Path(name).suffix in SOURCE_SUFFIXES]
    return files


def page_path(reference: str) -> Path:
    return ROOT / DESIGN_PAGES.get(reference, reference)


def headings(page: Path) -> list[str]:
    return [
        line.lstrip("#").strip()
        for line in page.read_text(encoding="utf-8").splitlines()
        if re.match(r"#{1,6} ", line)
    ]


def has_numbered_section(page: Path, number: str) -> bool:
    """A heading "§4.2 …" (or "4. …", as docs/war.md numbers its sections)."""
    pattern = re.compile(rf"(?:§{re.escape(number)}|{re.escape(number)}\.)(?![\d.])")
    return any(pattern.match(heading) for heading in headings(page))


def has_named_section(page: Path, name: str) -> bool:
    return any(
        re.sub(r"\s*\{#[^}]*\}$", "", heading).lower() == name.lower() for heading in headings(page)
    )


def references() -> list[tuple[str, str, str]]:
    """(where, page, section: a number, a name, or "") for every reference in the sources."""
    found = []
    for path in source_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in SECTIONS.finditer(text):
            where = f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}"
            numbers = re.findall(r"\d+(?:\.\d+)?", match["sections"])
            for number in numbers or [""]:
                found.append((where, match["page"], number))
        for match in NAMED_SECTION.finditer(text):
            where = f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}"
            found.append((where, match["page"], match["name"]))
    return found


def test_the_reference_finder_reads_every_form():
    text = (
        "(MODEL.md §2–§8) (MODEL.md §4–6) (MODEL.md §3, §4.4) docs/model.md §10: "
        "(STYLE.md, Errors) (docs/war.md) (MODEL.md §8, one row)"
    )
    numbers = [
        (m["page"], re.findall(r"\d+(?:\.\d+)?", m["sections"])) for m in SECTIONS.finditer(text)
    ]
    assert numbers == [
        ("MODEL.md", ["2", "8"]),
        ("MODEL.md", ["4", "6"]),
        ("MODEL.md", ["3", "4.4"]),
        ("docs/model.md", ["10"]),
        ("STYLE.md", []),
        ("docs/war.md", []),
        ("MODEL.md", ["8"]),
    ]
    assert [m["name"] for m in NAMED_SECTION.finditer(text)] == ["Errors"]


def test_every_reference_points_to_a_page_and_a_section_that_exist():
    found = references()
    # The code cites the model's sections dozens of times; finding none means the finder broke.
    assert sum(1 for _, page, number in found if "model.md" in page.lower() and number) >= 40
    missing = []
    for where, reference, section in found:
        page = page_path(reference)
        if not page.is_file():
            missing.append(f"{where}: {reference}: no page {page.relative_to(ROOT)}")
        elif section and section[0].isdigit() and not has_numbered_section(page, section):
            missing.append(f"{where}: {reference} §{section}: no such section")
        elif section and not section[0].isdigit() and not has_named_section(page, section):
            missing.append(f"{where}: {reference}, {section}: no such section")
    assert not missing, "\n".join(missing)


def test_a_missing_section_is_found(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n## §4 One step {#s4}\n\n### §4.2 Joining {#s4-2}\n\n## Errors\n")
    assert has_numbered_section(page, "4") and has_numbered_section(page, "4.2")
    assert not has_numbered_section(page, "4.3") and not has_numbered_section(page, "2")
    assert has_named_section(page, "Errors") and not has_named_section(page, "Randomness")


def load_hook():
    spec = importlib.util.spec_from_file_location("brink_docs_hook", DOCS / "hooks/brink_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_has_every_command_and_flag():
    from brink.cli import build_parser

    hook = load_hook()
    page = hook.cli_reference()
    parser = build_parser()
    commands = [name for name, _, _ in hook._subcommands(parser)]
    assert {"run", "sweep", "validate", "classic"} <= set(commands)
    for name in commands:
        assert f"## `brink {name}`" in page
    assert "### `brink classic tribute`" in page
    assert "--set NAME=VALUE" in page and "--scheduler" in page


def test_an_include_of_a_missing_file_stops_the_build():
    from mkdocs.exceptions import PluginError

    hook = load_hook()

    class Page:
        class file:
            src_path = "x.md"

    markdown = "<!-- brink:include scenarios/REFERENCE.md -->"
    assert hook.on_page_markdown(markdown, Page, None, None).startswith("# Scenario reference")
    expected = re.escape("x.md: brink:include no/such.md: no such file")
    with pytest.raises(PluginError, match=expected):
        hook.on_page_markdown("<!-- brink:include no/such.md -->", Page, None, None)
    with pytest.raises(PluginError, match="no such file"):
        hook.on_page_markdown("<!-- brink:include ../etc/passwd -->", Page, None, None)


@pytest.mark.slow
def test_site_builds_with_no_warning(tmp_path):
    site = tmp_path / "site"
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    result = subprocess.run(
        [*command, "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "WARNING" not in result.stderr
    # The generated pages hold what the code says, not a marker or an empty page.
    scenarios = (site / "scenarios.html").read_text(encoding="utf-8")
    assert "brink:include" not in scenarios and 'id="arms-race"' in scenarios
    assert "risk_tolerance" in scenarios and "spiral_hazard" in scenarios
    cli = (site / "cli.html").read_text(encoding="utf-8")
    assert 'id="brink-run"' in cli and "usage: brink run" in cli
    api = (site / "api.html").read_text(encoding="utf-8")
    assert 'id="brink.sim.model.CrisisModel"' in api and "load_scenario" in api
    model = (site / "model.html").read_text(encoding="utf-8")
    for section in ("s1", "s4-2", "s4-5", "s10"):
        assert f'id="{section}"' in model
