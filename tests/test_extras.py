"""Commands that need an optional part say what to install when it is missing.

The missing import is simulated by hiding the module (``sys.modules[name] = None``, which makes
``import name`` fail and ``importlib.util.find_spec`` find nothing), as in an environment where
only the core was installed (``pip install brink``); ``scripts/check_package.sh`` checks the
same message in a real one.
"""

from __future__ import annotations

import sys

import pytest

from brink.cli import main
from brink.errors import EXIT_FAILURE
from brink.extras import EXTRAS, MissingExtra, missing_modules, require


def hide(monkeypatch, *modules: str) -> None:
    for name in modules:
        monkeypatch.setitem(sys.modules, name, None)


def test_nothing_is_missing_where_the_extras_are_installed():
    assert missing_modules("view") == [] and missing_modules("cluster") == []
    require("view", "brink view")  # no error


def test_view_without_solara_says_what_to_install_and_starts_nothing(monkeypatch, capsys):
    hide(monkeypatch, "solara", "ipyvuetify")
    assert main(["view", "black_sea_2022", "--port", "1"]) == EXIT_FAILURE
    said = capsys.readouterr()
    assert said.err == (
        "brink: brink view needs solara, ipyvuetify, which are not installed; install Brink's "
        "view extra: pip install 'brink[view]'\n"
    )
    assert said.out == ""  # no "serving at" line: the server was not started


def test_animate_without_the_view_extra_says_what_to_install(monkeypatch, capsys, tmp_path):
    hide(monkeypatch, *EXTRAS["view"])
    code = main(["animate", str(tmp_path), "--out", str(tmp_path / "run.gif")])
    assert code == EXIT_FAILURE
    assert "brink animate needs solara, ipyvue, ipyvuetify" in capsys.readouterr().err
    assert not (tmp_path / "run.gif").exists()


@pytest.mark.parametrize(
    ("option", "flag"),
    [
        (["--scheduler", "tcp://127.0.0.1:9"], "--scheduler"),
        (["--local-cluster", "2"], "--local-cluster"),
    ],
)
def test_sweep_on_a_cluster_without_dask_says_what_to_install(
    monkeypatch, capsys, tmp_path, option, flag
):
    hide(monkeypatch, "distributed")
    out = tmp_path / "sweep"
    assert main(["sweep", "tripwire", "--out", str(out), *option, "--no-progress"]) == EXIT_FAILURE
    assert capsys.readouterr().err == (
        f"brink: {flag} needs distributed, which is not installed; install Brink's cluster "
        "extra: pip install 'brink[cluster]'\n"
    )
    assert not out.exists()  # refused before any work


def test_retrodict_on_a_cluster_without_dask_says_what_to_install(monkeypatch, capsys, tmp_path):
    hide(monkeypatch, "distributed")
    out = tmp_path / "retro"
    code = main(["retrodict", "mids.csv", "--scheduler", "tcp://127.0.0.1:9", "--out", str(out)])
    assert code == EXIT_FAILURE
    assert "--scheduler needs distributed" in capsys.readouterr().err
    assert not out.exists()


def test_the_error_is_a_run_error_not_a_users_mistake(monkeypatch):
    hide(monkeypatch, "dask")
    with pytest.raises(MissingExtra, match=r"needs dask, which is not installed"):
        require("cluster", "--scheduler")
