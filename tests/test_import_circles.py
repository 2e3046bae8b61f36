"""The structure drawn from the imports has no circle (issue 25): ``scripts/import_circles.py``
reads every module's imports with ``ast``, those inside functions too, and finds none in
the package: the last one ran through the package's own ``__init__.py`` (its ``__getattr__``
imports ``api.py`` on first use while modules below read ``brink.__version__``, now in
``version.py``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "import_circles.py"
_spec = importlib.util.spec_from_file_location("import_circles", SCRIPT)
import_circles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(import_circles)


def test_the_view_has_no_import_circle(capsys):
    assert import_circles.main(["--under", "viz"]) == 0
    assert "0 circle(s)" in capsys.readouterr().out


def test_the_package_has_no_import_circle():
    found = import_circles.modules(import_circles.ROOT)
    graph = {name: import_circles.imports(name, path, set(found)) for name, path in found.items()}
    assert graph["brink.viz.play_page"].isdisjoint({"brink.viz.app"})
    assert import_circles.circles(graph) == []


def test_imports_inside_functions_count_and_type_checking_ones_do_not(tmp_path):
    package = tmp_path / "viz"
    package.mkdir()
    (package / "a.py").write_text("def f():\n    from brink.viz import b\n")
    (package / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from brink.viz.a import f\n"
    )
    found = import_circles.modules(tmp_path)
    graph = {name: import_circles.imports(name, path, set(found)) for name, path in found.items()}
    assert graph["brink.viz.a"] == {"brink.viz.b"} and graph["brink.viz.b"] == set()
    (package / "b.py").write_text("import brink.viz.a\n")
    graph = {name: import_circles.imports(name, path, set(found)) for name, path in found.items()}
    assert import_circles.circles(graph) == [["brink.viz.a", "brink.viz.b"]]
