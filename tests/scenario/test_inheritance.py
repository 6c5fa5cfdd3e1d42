"""``extends``: what it may name, how files merge (append included), what check reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from loyalsim.scenario.diff import describe_changes
from loyalsim.scenario.io import ScenarioError, load, resolve_source
from loyalsim.scenario.limits import MAX_EXTENDS_CHAIN

ORDER = 'name = "Ryanggang order"\nstart = 2026-03-02\nprovinces = ["Ryanggang"]\n'


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def _error(source: Path | str) -> str:
    with pytest.raises(ScenarioError) as info:
        load(source)
    return str(info.value)


def test_lists_replace_by_default(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.toml", f'extends = "default"\n[[enforcement.orders]]\n{ORDER}')
    assert [o.name for o in load(path).enforcement.orders] == ["Ryanggang order"]  # type: ignore[attr-defined]


def test_append_keeps_the_base_items_and_adds_new_ones(tmp_path: Path) -> None:
    # issue 13 item 5: adding one order used to drop the default's three silently
    base = load("default").enforcement.orders  # type: ignore[attr-defined]
    path = _write(
        tmp_path / "s.toml",
        f'extends = "default"\n[[enforcement.orders.append]]\n{ORDER}\n'
        '[calendar]\nevents.append = [{ name = "Founding day", date = 2026-10-10 }]\n',
    )
    config = load(path)
    orders = config.enforcement.orders  # type: ignore[attr-defined]
    assert orders[: len(base)] == base and len(orders) == len(base) + 1
    assert orders[-1].provinces == ["Ryanggang"]
    events = config.calendar.events  # type: ignore[attr-defined]
    assert events[-1].name == "Founding day" and events[-1].date == dt.date(2026, 10, 10)
    assert events[:-1] == load("default").calendar.events  # type: ignore[attr-defined]


def test_append_through_a_chain_accumulates(tmp_path: Path) -> None:
    _write(tmp_path / "a.toml", f'extends = "default"\n[[enforcement.orders.append]]\n{ORDER}')
    b = _write(
        tmp_path / "b.toml",
        'extends = "a.toml"\n[[enforcement.orders.append]]\nname = "second"\nstart = 2026-04-06\n',
    )
    names = [o.name for o in load(b).enforcement.orders]  # type: ignore[attr-defined]
    assert names[-2:] == ["Ryanggang order", "second"] and len(names) == 5


def test_append_without_extends_extends_the_schema_default(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.toml", "[population]\nvenue_shares.append = []\n")
    assert load(path).population.venue_shares == [0.7, 0.2, 0.1]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[lapses]\ndetect_base.append = [1]\n", "lapses.detect_base.append: lapses.detect_base"),
        ("[enforcement.orders]\nappend = []\nother = 1\n", "can hold nothing else (found other)"),
        ("[enforcement.orders]\nappend = 3\n", "enforcement.orders.append = 3: must be a list"),
    ],
)
def test_append_misuse_is_refused(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path / "s.toml", f'extends = "default"\n{text}')
    assert expected in _error(path)


def test_extends_a_file_relative_to_the_naming_file(tmp_path: Path) -> None:
    _write(tmp_path / "common" / "base.toml", 'extends = "default"\n[lapses]\nbase_logit = -3.0\n')
    child = _write(tmp_path / "child.toml", 'extends = "common/base.toml"\nname = "c"\n')
    config = load(child)
    assert config.lapses.base_logit == -3.0 and config.name == "c"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("extends", "expected"),
    [
        ("/etc/passwd", "absolute paths are not allowed"),
        ("/etc/hosts.toml", "absolute paths are not allowed"),
        ("../outside.toml", "'..' may not lead out"),
        ("sub/../../outside.toml", "'..' may not lead out"),
        ("notes.txt", "unknown preset"),
        ("sub/notes.txt", "not a .toml file"),
        ("nope", "unknown preset"),
        ("missing.toml", "no such file"),
        ("", "must be a preset name or a .toml path"),
    ],
)
def test_bad_extends_is_refused_naming_extends(tmp_path: Path, extends: str, expected: str) -> None:
    # issue 14 items 2 and 10: extends read any file, and its errors did not name extends
    _write(tmp_path / "outside.toml", 'name = "secret"\n')
    _write(tmp_path / "sub" / "notes.txt", "x = 1\n")
    folder = tmp_path / "work"
    child = _write(folder / "child.toml", f'extends = "{extends}"\n')
    message = _error(child)
    assert f"extends = {extends!r}".replace("'", '"') in message, message
    assert expected in message
    assert "not valid TOML" not in message  # the named file was never parsed


def test_extends_must_be_text(tmp_path: Path) -> None:
    child = _write(tmp_path / "child.toml", "extends = 3\n")
    assert "extends = 3: must be a preset name" in _error(child)


def test_a_link_leading_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "secret.toml", 'name = "secret"\n')
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "link.toml").symlink_to(tmp_path / "secret.toml")
    child = _write(folder / "child.toml", 'extends = "link.toml"\n')
    assert "leads out of the file's folder" in _error(child)


def test_cycles_are_refused(tmp_path: Path) -> None:
    _write(tmp_path / "a.toml", 'extends = "b.toml"\n')
    b = _write(tmp_path / "b.toml", 'extends = "a.toml"\n')
    message = _error(b)
    assert "extends: a cycle" in message and "a.toml" in message
    itself = _write(tmp_path / "self.toml", 'extends = "self.toml"\n')
    assert "extends: a cycle" in _error(itself)


def test_long_chains_are_refused(tmp_path: Path) -> None:
    # issue 14 item 7: a 1,500-deep chain ended in RecursionError
    _write(tmp_path / "f0.toml", 'extends = "default"\n')
    for i in range(1, 1500):
        _write(tmp_path / f"f{i}.toml", f'extends = "f{i - 1}.toml"\n')
    message = _error(tmp_path / "f1499.toml")
    assert f"extends: a chain of more than {MAX_EXTENDS_CHAIN} files" in message
    ok = tmp_path / f"f{MAX_EXTENDS_CHAIN - 2}.toml"  # with "default": exactly the limit
    assert load(ok).name == "default"  # type: ignore[attr-defined]


def test_presets_may_extend_presets_only() -> None:
    with pytest.raises(ScenarioError, match="only allowed in a scenario file"):
        resolve_source("base.toml", None)
    assert resolve_source("default", None) == "default"


def test_resolve_source_names_the_field_it_checks(tmp_path: Path) -> None:
    _write(tmp_path / "base.toml", "")
    assert resolve_source("base.toml", tmp_path, field="base") == (tmp_path / "base.toml").resolve()
    with pytest.raises(ScenarioError, match=r'^base = "/etc/passwd": absolute'):
        resolve_source("/etc/passwd", tmp_path, field="base")


def test_changes_against_the_base_are_listed(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "s.toml",
        f'extends = "default"\nname = "mine"\n[lapses]\nbase_logit = -3.0\n'
        f"[[enforcement.orders.append]]\n{ORDER}",
    )
    diff = describe_changes(path, load(path))
    assert diff.base == "preset default (extends = 'default')"
    assert diff.lines[:3] == [
        'name: "default" -> "mine"',
        "lapses.base_logit: -2.2 -> -3.0",
        "enforcement.orders: 1 item appended (3 -> 4)",
    ]
    assert diff.lines[3].startswith('  + enforcement.orders.3 = {name = "Ryanggang order"')
    assert len(diff.lines) == 4


def test_changes_of_a_replaced_or_shortened_list(tmp_path: Path) -> None:
    diff = describe_changes("no-campaign", load("no-campaign"))
    assert "enforcement.orders: 3 items removed (3 -> 0)" in diff.lines
    assert sum(line.startswith("  - enforcement.orders.") for line in diff.lines) == 3
    defaults = describe_changes("default", load("default"))
    assert defaults.base == "the model's defaults (the file extends nothing)"
    assert "enforcement.orders: 3 items appended (0 -> 3)" in defaults.lines
    path = _write(tmp_path / "s.toml", 'extends = "default"\n')
    lines = describe_changes(path, load(path, {"enforcement.orders.1.intensity": 2.0})).lines
    assert lines == ["enforcement.orders.1.intensity: 1.0 -> 2.0"]
