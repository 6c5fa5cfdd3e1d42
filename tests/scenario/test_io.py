"""Scenario loading, presets, dotted overrides and error messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from loyalsim.scenario.io import (
    ScenarioError,
    apply_overrides,
    load,
    preset_names,
    raw_source,
    scenario_hash,
    to_toml,
)
from loyalsim.scenario.schemas.loyalty import Scenario


def test_core_presets_are_shipped_and_valid() -> None:
    names = preset_names()
    assert {"default", "no-campaign"} <= set(names)
    for name in ("default", "no-campaign"):
        config = load(name)
        assert isinstance(config, Scenario)
        assert config.name == name
        assert config.description


def test_default_preset_is_the_february_2026_situation() -> None:
    config = load("default")
    assert config.time.n_steps == 104 and config.time.start.year == 2025
    struggle = [o for o in config.enforcement.orders if o.regime == "struggle"]
    assert struggle and all(o.provinces == ["South Hamgyong"] for o in struggle)
    assert min(o.start for o in struggle).isoformat() == "2026-02-02"
    assert any("16-30" in o.age_groups for o in struggle)


def test_no_campaign_is_default_without_orders() -> None:
    base, counter = load("default"), load("no-campaign")
    assert counter.enforcement.orders == []
    assert counter.population == base.population
    assert counter.calendar == base.calendar


def test_resolved_toml_round_trips(tmp_path: Path) -> None:
    config = load("default", {"lapses.base_logit": -1.5}, population=1234)
    path = tmp_path / "s.toml"
    path.write_text(to_toml(config))
    again = load(path)
    assert again == config
    assert scenario_hash(again) == scenario_hash(config)


def test_overrides_set_nested_values_and_list_items() -> None:
    data = raw_source("default")
    out = apply_overrides(data, {"enforcement.orders.1.intensity": 2.5, "time.n_steps": 5})
    assert out["enforcement"]["orders"][1]["intensity"] == 2.5
    assert out["time"]["n_steps"] == 5
    assert data["time"]["n_steps"] == 104  # the input is not changed


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"lapses.detect_base": 1.5}, "lapses.detect_base = 1.5"),
        ({"lapses.detect_base": "high"}, 'lapses.detect_base = "high"'),
        ({"lapses.nonsense": 1}, "lapses.nonsense: unknown key"),
        ({"time.n_steps": 0}, "greater than or equal to 1"),
        ({"enforcement.orders.0.age_groups": ["teens"]}, "unknown age group 'teens'"),
        ({"enforcement.orders.0.provinces": ["Atlantis"]}, "unknown province 'Atlantis'"),
        ({"enforcement.orders.9.intensity": 1.0}, "no list item '9'"),
    ],
)
def test_bad_values_name_field_value_and_rule(overrides: dict[str, object], expected: str) -> None:
    with pytest.raises(ScenarioError) as info:
        load("default", overrides)
    assert expected in str(info.value)


def test_out_of_range_message_states_the_bound() -> None:
    with pytest.raises(ScenarioError, match=r"less than or equal to 1"):
        load("default", {"sessions.attendance": 1.2})


def test_malformed_toml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[time\nn_steps = 3")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load(path)


def test_unknown_preset_and_missing_file() -> None:
    with pytest.raises(ScenarioError, match="unknown preset 'nope'"):
        load("nope")
    with pytest.raises(ScenarioError, match="does not exist"):
        load("missing.toml")


def test_extends_merges_tables_and_replaces_lists(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('extends = "default"\nname = "mine"\n[lapses]\nbase_logit = -3.0\n')
    config = load(path)
    assert config.name == "mine"
    assert config.lapses.base_logit == -3.0
    assert config.lapses.fatigue_weight == load("default").lapses.fatigue_weight
    assert len(config.enforcement.orders) == 3
