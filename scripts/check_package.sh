#!/usr/bin/env bash
# Builds Brink's sdist and wheel as a release would and checks them the way a user meets them:
#   1. `twine check` on both files (metadata and README render on PyPI);
#   2. the wheel installed in a fresh virtual environment outside the checkout, with no extras:
#      `brink run black_sea_2022 --runs 2` and the Python API work, Solara and Dask are absent,
#      and `brink view` says what to install instead of failing in an import;
#   3. the sdist unpacked in a temporary folder and a smoke subset of its own tests (the API and
#      the map) run from there against the installed wheel (they import tests/view_scenario.py).
# Versions come from uv.lock (as constraints), so the check installs what CI tests.
# Usage: bash scripts/check_package.sh   (after bash .ci/setup; 35 s on two shared cores)
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$PWD
python=$PWD/.venv/bin/python
work=$(mktemp -d "${TMPDIR:-/tmp}/brink-package.XXXXXX")
trap 'rm -rf "$work"' EXIT

step() { printf "check_package: %s (%s s)\n" "$*" "$SECONDS" >&2; }

step "building the sdist, and the wheel from the sdist, into $work/dist"
"$python" -m build --outdir "$work/dist" . >"$work/build.log" 2>&1 ||
    { cat "$work/build.log" >&2; exit 1; }
"$python" -m twine check --strict "$work"/dist/*
wheel=$(ls "$work"/dist/*.whl)
sdist=$(ls "$work"/dist/*.tar.gz)
# PEP 561: the wheel says that the package is typed (the "Typing :: Typed" classifier)
if ! "$python" -c 'import sys, zipfile; sys.exit("brink/py.typed" not in zipfile.ZipFile(sys.argv[1]).namelist())' "$wheel"; then
    echo "check_package: the wheel has no brink/py.typed" >&2
    exit 1
fi

step "installing the wheel alone (no extras) in a fresh environment outside the checkout"
"$python" -m uv export --quiet --frozen --no-hashes --no-emit-project --all-extras \
    --format requirements-txt --output-file "$work/constraints.txt"
"$python" -m uv venv --quiet --python "$python" "$work/venv"
user="$work/venv/bin/python"
"$python" -m uv pip install --quiet --python "$user" --constraint "$work/constraints.txt" "$wheel"

mkdir "$work/elsewhere"
cd "$work/elsewhere"
for module in solara ipyvue dask distributed; do
    if "$user" -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('$module') is None)"; then
        echo "check_package: $module is installed without its extra" >&2
        exit 1
    fi
done
"$work/venv/bin/brink" run black_sea_2022 --runs 2 --seed 1 --jobs 1 --no-progress \
    --out "$work/elsewhere/run" >"$work/run.txt"
grep -q '^# black_sea_2022: 2 runs' "$work/run.txt"
"$user" - <<'PYTHON'
import brink

assert "site-packages" in brink.__file__, brink.__file__  # the wheel, not the checkout
result = brink.run("black_sea_2022", runs=2, seed=1)
assert len(result.runs) == 2 * result.runs["dispute"].nunique()
assert result.outcomes["count"].sum() == len(result.runs)
print("check_package: API ran", result.manifest["call"])
PYTHON
set +e
"$work/venv/bin/brink" view black_sea_2022 >"$work/view.txt" 2>&1
status=$?
set -e
if [ "$status" != 1 ] || ! grep -q "pip install 'brink\[view\]'" "$work/view.txt"; then
    echo "check_package: brink view without solara: exit $status, said:" >&2
    cat "$work/view.txt" >&2
    exit 1
fi
step "brink view without the view extra says: $(cat "$work/view.txt")"

step "running tests from the unpacked sdist against the installed wheel"
tar -xzf "$sdist" -C "$work"
"$python" -m uv pip install --quiet --python "$user" --constraint "$work/constraints.txt" \
    pytest hypothesis
cd "$work"/brink-*/
# A smoke subset: the API (which reads the bundled scenarios and data) and the map (which reads
# the packaged outlines), enough to show that the sdist carries its tests' helpers and the wheel
# its data. The model's own tests run against the checkout in .ci/test; running them here again
# only repeated them.
"$user" -m pytest -q -p no:cacheprovider -x tests/test_view_map.py tests/test_api.py \
    -k "not sweep and not retrodict"
cd "$checkout"
step "ok"
