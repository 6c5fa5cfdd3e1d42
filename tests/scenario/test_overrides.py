"""Dotted overrides (``--set``): list indices, one-line values, and helpful error messages."""

from __future__ import annotations

import pytest

from loyalsim.scenario.io import ScenarioError, load, parse_value
from loyalsim.scenario.schemas.loyalty import Lapses


def _error(overrides: dict[str, object], source: str = "default") -> str:
    with pytest.raises(ScenarioError) as info:
        load(source, overrides)
    return str(info.value)


def test_list_index_reaches_lists_the_preset_leaves_at_their_default() -> None:
    # issue 14 item 10: population.provinces.0.share failed in --set (not set in the preset)
    base = load("default")
    config = load("default", {"population.provinces.0.share": 0.2})
    provinces = config.population.provinces  # type: ignore[attr-defined]
    assert provinces[0].share == 0.2
    assert provinces[1:] == base.population.provinces[1:]  # type: ignore[attr-defined]
    assert provinces[0].name == base.population.provinces[0].name  # type: ignore[attr-defined]


def test_list_index_inside_an_item_uses_the_item_default() -> None:
    config = load("default", {"enforcement.orders.0.age_groups.0": "16-30"})
    assert config.enforcement.orders[0].age_groups == ["16-30"]  # type: ignore[attr-defined]


def test_out_of_range_index_lists_the_allowed_ones() -> None:
    assert "population.provinces.11: no list item '11'; allowed: 0 to 10" in _error(
        {"population.provinces.11.share": 0.1}
    )
    assert "allowed: none (the list is empty)" in _error(
        {"enforcement.orders.0.intensity": 1.0}, "no-campaign"
    )


def test_unknown_key_suggests_the_nearest_and_lists_the_table() -> None:
    message = _error({"lapses.detect_bse": 0.1})
    assert message.startswith("lapses.detect_bse: unknown key 'detect_bse' in [lapses]")
    assert "did you mean 'detect_base'?" in message
    assert "valid keys: " + ", ".join(sorted(Lapses.model_fields)) in message


def test_unknown_section_and_item_keys_get_suggestions() -> None:
    assert "did you mean 'lapses'?" in _error({"lapse.detect_base": 0.1})
    message = _error({"enforcement.orders.0.strat": "2026-01-01"})
    assert message.startswith("enforcement.orders.0.strat: unknown key 'strat'")
    assert "did you mean 'start'?" in message
    assert "did you mean" not in _error({"lapses.zzzzzz": 1})


def test_unknown_province_in_an_order_is_one_clean_line() -> None:
    # issue 14 item 10: the message started with " = {...}:"
    message = _error({"enforcement.orders.0.provinces": ["Atlantis"]})
    assert "\n" not in message
    assert message.startswith("enforcement.orders.0.provinces = ['Atlantis']: unknown province")
    assert "'Atlantis'; allowed: '*', Chagang" in message


def test_a_value_of_a_value_is_refused() -> None:
    message = _error({"lapses.detect_base.x": 1})
    assert message == "lapses.detect_base.x: lapses.detect_base is a value, not a table or list"


@pytest.mark.parametrize("path", ["lapses..detect_base", ".x", "a\nb"])
def test_malformed_dotted_paths_are_refused(path: str) -> None:
    assert "not a dotted path" in _error({path: 1})


@pytest.mark.parametrize("text", ["0.05\nlapses.base_logit = 3", "1\r", "a\x00", "1\t# tab"])
def test_values_with_control_characters_are_refused(text: str) -> None:
    # issue 14 item 8: a newline silently dropped the rest of the value
    with pytest.raises(ScenarioError, match=r"^lapses\.detect_base = .*control character"):
        parse_value(text, "lapses.detect_base")


@pytest.mark.parametrize(
    ("text", "value"),
    [("0.05", 0.05), ("true", True), ("[1, 2]", [1, 2]), ("high", "high"), ('"x y"', "x y")],
)
def test_values_are_read_as_one_line_of_toml(text: str, value: object) -> None:
    assert parse_value(text) == value


def test_deeply_nested_values_are_refused_before_parsing() -> None:
    with pytest.raises(ScenarioError, match=r"^lapses\.venue_factor: the value nests more than"):
        parse_value("[" * 5000 + "]" * 5000, "lapses.venue_factor")
