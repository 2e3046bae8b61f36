"""MkDocs hook: pages whose text the build writes from the code, so the site cannot drift from it.

Two markers, each alone on a line of a page under ``docs/``:

- ``<!-- brink:include PATH -->`` is replaced by the file PATH (relative to the repository
  root), e.g. the scenario reference ``scenarios/REFERENCE.md``, which ``brink schema --format
  markdown`` generates from the loader's key table;
- ``<!-- brink:cli -->`` is replaced by the ``--help`` text of every ``brink`` command, taken
  from the argparse parsers that ``brink.cli.build_parser`` assembles.

A marker naming a file that does not exist stops the build (a :class:`PluginError`).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

from markdown.extensions.toc import slugify as markdown_slugify
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

REPOSITORY = Path(__file__).resolve().parents[2]
INCLUDE = re.compile(r"^<!-- brink:include (?P<path>\S+) -->$", re.MULTILINE)
CLI = re.compile(r"^<!-- brink:cli -->$", re.MULTILINE)
#: Width of the rendered help: argparse wraps to the terminal, so fix it for a stable page.
HELP_COLUMNS = "100"
#: The temporary folder holding the link ``brink`` to the repository (see :func:`on_config`).
_package_folder: Path | None = None


@event_priority(100)  # before mkdocstrings copies sys.path into its search path
def on_config(config):
    """Let the API reference find the package.

    griffe (mkdocstrings' reader) finds a package by the name of its folder, but Brink's folder
    is the repository root, whatever the clone is called (pyproject.toml: package-dir =
    {"brink" = "."}). So the build reads it through a link named ``brink`` in a temporary
    folder put first on ``sys.path``. The folder of the ``brink`` console script (.venv/bin,
    first on ``sys.path`` when run as ``mkdocs``) is taken off, or griffe would read the script
    as the package.
    """
    global _package_folder
    if _package_folder is None:
        _package_folder = Path(tempfile.mkdtemp(prefix="brink-docs-"))
        (_package_folder / "brink").symlink_to(REPOSITORY, target_is_directory=True)
    sys.path[:] = [entry for entry in sys.path if not (Path(entry or ".") / "brink").is_file()]
    if str(_package_folder) not in sys.path:
        sys.path.insert(0, str(_package_folder))
    # The scenario reference links to its record types as `#arms-race` (an underscore read as a
    # hyphen, `scenarios/reference.py`); give the site's headings the same ids.
    config.mdx_configs.setdefault("toc", {})["slugify"] = slugify
    return config


def slugify(value: str, separator: str) -> str:
    """Markdown's heading ids, with ``_`` turned into the separator like spaces are."""
    return markdown_slugify(value.replace("_", " "), separator)


def on_shutdown() -> None:
    """Remove the link and its folder (the link only: the repository stays untouched)."""
    global _package_folder
    if _package_folder is not None:
        (_package_folder / "brink").unlink(missing_ok=True)
        _package_folder.rmdir()
        if str(_package_folder) in sys.path:
            sys.path.remove(str(_package_folder))
        _package_folder = None


def on_page_markdown(markdown: str, page, config, files) -> str:
    markdown = INCLUDE.sub(lambda match: _included(match["path"], page), markdown)
    if CLI.search(markdown):
        markdown = CLI.sub(lambda _match: cli_reference(), markdown)
    return markdown


def on_serve(server, config, builder):
    """Rebuild while serving when an included file or a command's parser changes."""
    server.watch(str(REPOSITORY / "scenarios" / "REFERENCE.md"))
    return server


def _included(relative: str, page) -> str:
    path = (REPOSITORY / relative).resolve()
    if REPOSITORY not in path.parents or not path.is_file():
        raise PluginError(f"{page.file.src_path}: brink:include {relative}: no such file")
    return path.read_text(encoding="utf-8")


def cli_reference() -> str:
    """Markdown with one section per command: its one-line summary and its ``--help``."""
    from brink.cli import build_parser

    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_COLUMNS
    try:
        parser = build_parser()
        parts = ["```text", parser.format_help().rstrip(), "```", ""]
        for name, summary, command in _subcommands(parser):
            parts += _command_section(["brink", name], summary, command, level=2)
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous
    return "\n".join(parts)


def _subcommands(parser: argparse.ArgumentParser):
    """(name, one-line help, parser) of each subcommand, in the order they were added."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            summaries = {choice.dest: choice.help or "" for choice in action._choices_actions}
            seen = set()
            for name, command in action.choices.items():
                if id(command) in seen:  # an alias of a command already listed
                    continue
                seen.add(id(command))
                yield name, summaries.get(name, ""), command


def _command_section(words: list[str], summary: str, command, level: int) -> list[str]:
    title = " ".join(words)
    lines = [f"{'#' * level} `{title}`", ""]
    if summary:
        lines += [summary[0].upper() + summary[1:].rstrip(".") + ".", ""]
    lines += ["```text", command.format_help().rstrip(), "```", ""]
    for name, sub_summary, sub_command in _subcommands(command):
        lines += _command_section([*words, name], sub_summary, sub_command, level + 1)
    return lines
