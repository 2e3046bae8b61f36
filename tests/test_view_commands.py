"""``brink view`` argument checks and ``brink animate`` on a small recorded run."""

from __future__ import annotations

import argparse
import shutil

import pytest
from PIL import Image

from brink.cli import main
from brink.errors import BrinkInputError
from brink.viz import app
from brink.viz.animate import frame_steps
from brink.viz.commands import server_command, view_environment
from brink.viz.viewruns import Recorded


def _args(scenario=None, run_dir=None, port=8765):
    return argparse.Namespace(scenario=scenario, run_dir=run_dir, host="127.0.0.1", port=port)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("view") / "run"
    code = main(
        ["run", "black_sea_2022", "--runs", "2", "--seed", "11", "--horizon", "4",
         "--out", str(out), "--no-progress"]
    )  # fmt: skip
    assert code == 0
    return out


def test_view_checks_its_inputs_before_starting_a_server(tmp_path):
    with pytest.raises(BrinkInputError, match="black_sea_2022"):
        view_environment(_args("black_sea_2020"))  # a typo names the nearest scenario
    with pytest.raises(BrinkInputError, match="no manifest"):
        view_environment(_args(run_dir=str(tmp_path)))
    with pytest.raises(BrinkInputError, match="not both"):
        view_environment(_args("black_sea_2022", run_dir=str(tmp_path)))
    with pytest.raises(BrinkInputError, match="outside 0–65535"):
        view_environment(_args("black_sea_2022", port=70000))
    assert main(["view", "black_sea_2020"]) == 2


def test_view_takes_a_params_file_under_the_scenario(tmp_path, monkeypatch):
    from brink.viz import app

    good = tmp_path / "p.yaml"
    good.write_text("values: {spiral_hazard: 0.3}\n")
    args = _args("black_sea_2022")
    args.params_file = str(good)
    environment = view_environment(args)
    assert environment[app.ENV_PARAMS] == str(good.resolve())
    monkeypatch.setenv(app.ENV_PARAMS, environment[app.ENV_PARAMS])
    assert app.view_base().spiral_hazard == 0.3
    bad = tmp_path / "bad.yaml"
    bad.write_text("values: {spiral_hazard: 3}\n")
    args.params_file = str(bad)
    with pytest.raises(BrinkInputError, match=r"bad\.yaml:1:25: values\.spiral_hazard: 3 is above"):
        view_environment(args)


def test_view_passes_the_scenario_or_run_by_environment(run_dir):
    assert view_environment(_args())[app.ENV_SCENARIO] == "black_sea_2022"
    replay = view_environment(_args(run_dir=str(run_dir)))
    assert replay[app.ENV_RUN_DIR] == str(run_dir.resolve())
    assert replay[app.ENV_SCENARIO] == ""


def test_the_server_runs_in_production_mode_on_the_given_address():
    command = server_command("127.0.0.1", 8777)
    assert command[1:6] == ["-P", "-m", "solara", "run", "brink.viz.app"]
    assert "--production" in command and "--no-check-version" in command
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--port") + 1] == "8777"


def test_frames_cover_every_step_or_a_sample_of_a_long_run():
    assert frame_steps(5) == [0, 1, 2, 3, 4, 5]
    sample = frame_steps(1000, max_frames=50)
    assert len(sample) == 50 and sample[0] == 0 and sample[-1] == 1000


@pytest.mark.slow
def test_animate_writes_one_frame_per_step(run_dir, tmp_path):
    recorded = Recorded.read(run_dir)
    last = recorded.last_step(1)
    out = tmp_path / "crisis.gif"
    assert main(["animate", str(run_dir), "--out", str(out), "--run", "1", "--fps", "5"]) == 0
    with Image.open(out) as gif:
        assert gif.n_frames == last + 1
        assert gif.size == (960, 512)
        assert gif.info["duration"] == 200
    # Mistakes are located one-line errors (exit 2), not tracebacks.
    assert main(["animate", str(run_dir), "--out", str(tmp_path / "x.gif"), "--run", "7"]) == 2
    assert main(["animate", str(run_dir), "--out", str(tmp_path / "x.avi")]) == 2
    mp4 = main(["animate", str(run_dir), "--out", str(tmp_path / "x.mp4"), "--run", "0"])
    assert mp4 == (0 if shutil.which("ffmpeg") else 2)
