"""The one YAML reader: every file kind gets the same bounds, and each value keeps its place."""

from __future__ import annotations

import pytest

from brink.errors import BrinkInputError
from brink.scenarios.located_yaml import MAX_BYTES, MAX_DEPTH, MAX_NODES, load_located
from brink.scenarios.params_file import load_params_file

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + k)}: &{chr(98 + k)} [" + ", ".join([f"*{chr(97 + k)}"] * 8) + "]\n"
    for k in range(8)
)


def params_error(tmp_path, content: str | bytes) -> BrinkInputError:
    path = tmp_path / "params.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(BrinkInputError) as caught:
        load_params_file(path)
    assert caught.value.location.file == str(path)
    return caught.value


def test_an_over_large_params_file_is_refused_before_it_is_read(tmp_path):
    error = params_error(tmp_path, b"values: {}\n# " + b"x" * MAX_BYTES + b"\n")
    assert f"a parameters file may have at most {MAX_BYTES:,}" in str(error)


def test_deep_nesting_in_a_params_file_is_located(tmp_path):
    error = params_error(tmp_path, "values:\n  deep: " + "[" * 100 + "]" * 100 + "\n")
    assert f"nested more than {MAX_DEPTH} levels" in str(error)
    # two mappings enclose the list, so bracket MAX_DEPTH - 1 (after "  deep: ") is too deep
    assert (error.location.line, error.location.column) == (2, len("  deep: ") + MAX_DEPTH - 1)


def test_an_alias_bomb_and_an_unsafe_tag_in_a_params_file_are_located(tmp_path):
    error = params_error(tmp_path, "values: {}\n" + ALIAS_BOMB)
    assert f"expands to more than {MAX_NODES:,} values" in str(error)
    assert "a parameters file needs far fewer" in str(error) and error.location.line
    error = params_error(tmp_path, "values: !!python/object:os.system {}\n")
    assert "is not allowed; a parameters file holds plain data" in str(error)
    assert (error.location.line, error.location.column) == (1, 9)


def test_values_keep_their_places_and_a_repeated_key_is_an_error(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("top:\n  list: [1, two]\n  when: 2022-01-21\n", encoding="utf-8")
    document = load_located(path)
    assert document.data["top"]["list"] == [1, "two"]
    assert str(document.data["top"]["when"]) == "2022-01-21"
    two, when_key = document.where("top", "list", 1), document.where_key("top", "when")
    assert (two.line, two.column, when_key.line, when_key.column) == (2, 13, 3, 3)
    assert document.where("top", "missing").line == 2  # the enclosing mapping, from line 2
    path.write_text("a: 1\nb: 2\na: 3\n", encoding="utf-8")
    with pytest.raises(BrinkInputError) as caught:
        load_located(path)
    assert "given twice" in str(caught.value) and caught.value.location.line == 3
