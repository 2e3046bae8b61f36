"""The tutorial docs/howto/write-a-scenario.md: every command of its console blocks runs, in a
fresh folder and in order, and prints what the page shows.

``brink new`` must write the page's skeleton byte for byte; the finished file of step 3 is then
put in its place, as the reader fills it in. The model's figures (``brink run``,
``brink casebook``) are compared with their digits masked, so that a change of the crisis model
fails here only when it changes what the page says in words; the page says which model they
were measured on.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from brink.cli import main

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "howto" / "write-a-scenario.md"
SKELETON = ROOT / "docs" / "howto" / "ussuri_1969_skeleton.yaml"
FINISHED = ROOT / "docs" / "howto" / "ussuri_1969.yaml"
CONSOLE = re.compile(r"^```console\n(.*?)^```$", re.MULTILINE | re.DOTALL)
MODEL_COMMANDS = ("run", "casebook")


def commands(page: str) -> list[tuple[str, list[str]]]:
    """(command, the lines shown after it) for every ``$ `` line of the console blocks."""
    found: list[tuple[str, list[str]]] = []
    for block in CONSOLE.findall(page):
        for line in block.splitlines():
            if line.startswith("$ "):
                found.append((line[2:], []))
            else:
                found[-1][1].append(line)
    return found


def masked(line: str) -> str:
    return re.sub(r"\d+", "#", line)


def matches(shown: list[str], printed: list[str]) -> bool:
    """Whether the printed lines are the shown ones; a shown ``…`` stands for any lines."""
    if not shown:
        return not printed
    if shown[0] == "…":
        rest = shown[1:]
        return any(matches(rest, printed[start:]) for start in range(len(printed) + 1))
    return bool(printed) and printed[0] == shown[0] and matches(shown[1:], printed[1:])


def test_the_page_has_the_steps():
    steps = [command.split()[:3] for command, _ in commands(PAGE.read_text(encoding="utf-8"))]
    assert ["brink", "new", "ussuri_1969"] in steps
    assert ["brink", "validate", "slip.yaml"] in steps
    assert ["brink", "casebook", "--case"] in steps


def test_a_shown_ellipsis_stands_for_any_lines():
    assert matches(["a", "…", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "…"], ["a"])
    assert not matches(["a", "…", "d"], ["a", "b", "c"])
    assert not matches(["a", "b"], ["a", "c"])


@pytest.mark.slow
def test_every_command_of_the_tutorial_prints_what_the_page_shows(tmp_path, monkeypatch, capsys):
    page = PAGE.read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for command, shown in commands(page):
        argv = shlex.split(command)
        assert argv[0] == "brink", command
        if argv[1] == "validate" and argv[2] == "slip.yaml":
            # "a copy with Moscow's two numbers swapped"
            text = Path("ussuri_1969.yaml").read_text(encoding="utf-8")
            assert "capital: [55.76, 37.62]" in text
            Path("slip.yaml").write_text(
                text.replace("capital: [55.76, 37.62]", "capital: [37.62, 55.76]"),
                encoding="utf-8",
            )
        main(argv[1:])
        out, err = capsys.readouterr()
        printed = (out if not out or out.endswith("\n") else out + "\n") + err
        lines = printed.splitlines()
        if argv[1] in MODEL_COMMANDS:
            assert matches([masked(s) for s in shown], [masked(p) for p in lines]), command
        else:
            assert lines == shown, command
        if argv[1] == "new":
            written = Path("ussuri_1969.yaml").read_text(encoding="utf-8")
            assert written == SKELETON.read_text(encoding="utf-8")
            shutil.copy(FINISHED, "ussuri_1969.yaml")  # step 3: the reader fills it in
    row = next(line for line in page.splitlines() if line.startswith("| ussuri_1969.yaml |"))
    report = Path("out/ussuri-book/casebook.md").read_text(encoding="utf-8")
    assert masked(row) in map(masked, report.splitlines())
