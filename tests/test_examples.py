"""The example notebooks run from top to bottom, so they cannot rot."""

from __future__ import annotations

import base64
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.slow
def test_quickstart_notebook_runs_and_draws_the_outcome_figure(tmp_path):
    notebook = nbformat.read(EXAMPLES / "quickstart.ipynb", as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={
        "metadata": {"path": str(tmp_path)}}).execute()  # fmt: skip
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    errors = [out for cell in code for out in cell.outputs if out.output_type == "error"]
    assert not errors
    first = code[0]
    # the three lines draw a PNG figure, not a figure's name in text
    pngs = [out["data"]["image/png"] for out in first.outputs if "image/png" in out.get("data", {})]
    assert pngs and base64.b64decode(pngs[0]).startswith(b"\x89PNG")
    assert first.source.count("\n") == 3  # import, blank line, run, plot: three lines of code
    printed = "".join(out.get("text", "") for cell in code for out in cell.outputs)
    assert "brink.run('black_sea_2022', runs=20, seed=1, overrides={'spiral_hazard': 0.2})" in (
        printed
    )
    assert "# black_sea_2022: 20 runs" in printed
