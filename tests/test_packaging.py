"""Packaging: one version, developer tools out of the published extras."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import metadata, version
from pathlib import Path

import brink

ROOT = Path(__file__).resolve().parents[1]


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_version_is_written_once_and_read_everywhere():
    project = pyproject()
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    attr = project["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "brink.version.__version__"
    assert brink.__version__ == brink.version.__version__  # the root re-exports it
    assert version("brink") == brink.__version__  # the installed metadata, built from it
    # CITATION.cff is read by citation tools, not by Python: it must agree, not be the source.
    cited = re.search(r"^version: (\S+)$", (ROOT / "CITATION.cff").read_text(), re.MULTILINE)
    assert cited and cited.group(1) == brink.__version__


def test_the_package_ships_its_types():
    """PEP 561: py.typed at the package's root goes into the wheel (scripts/check_package.sh
    checks the built wheel), and mypy is configured with the stubs it needs in the dev group."""
    project = pyproject()
    assert (ROOT / "py.typed").is_file()
    assert "py.typed" in project["tool"]["setuptools"]["package-data"]["brink"]
    assert "Typing :: Typed" in project["project"]["classifiers"]
    assert project["tool"]["mypy"]["check_untyped_defs"] is True
    tools = {re.split(r"[<>=\[ ;]", line)[0] for line in project["dependency-groups"]["dev"]}
    assert {"mypy", "pandas-stubs", "scipy-stubs", "types-PyYAML"} <= tools


def test_ci_runs_mypy_on_the_package():
    """.ci/test runs mypy with the project's config on a `brink` symlink to the checkout (CI's
    clone has another folder name), after the lint and before the tests (in the background,
    beside scripts/check_package.sh, its output kept for after)."""
    script = (ROOT / ".ci" / "test").read_text()
    mypy = r"^\(cd .*-m mypy --config-file brink/pyproject\.toml brink\)( >\S+ 2>&1 &)?$"
    run = re.search(mypy, script, re.M)
    assert run, ".ci/test does not run mypy on the package"
    assert re.search(r'^ln -s "\$root" "\$mypy_dir/brink"$', script, re.M)
    assert re.search(r"^trap .*rm -rf", script, re.M)
    lines = script.splitlines()
    mypy_line = lines.index(run.group(0))
    assert lines.index(".venv/bin/codespell") < mypy_line
    assert mypy_line < next(i for i, line in enumerate(lines) if line.startswith("pytest="))


def test_developer_tools_are_a_dependency_group_not_an_extra():
    project = pyproject()
    extras = project["project"]["optional-dependencies"]
    assert set(extras) == {"view", "cluster", "completion"}
    tools = {re.split(r"[<>=\[ ;]", line)[0] for line in project["dependency-groups"]["dev"]}
    assert {"pytest", "pytest-xdist", "ruff", "codespell", "playwright"} <= tools
    published = metadata("brink")
    assert "dev" not in (published.get_all("Provides-Extra") or [])
    requires = {re.split(r"[<>=\[ ;]", line)[0] for line in published.get_all("Requires-Dist")}
    assert not tools & requires  # a user installing brink, with any extra, gets none of them
