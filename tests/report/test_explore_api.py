"""The explorer's JSON API, without a browser: validation matches the CLI's."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from types import ModuleType, SimpleNamespace

import pytest

from loyalsim.explore.forms import scenario_from_form
from loyalsim.explore.series import catalogue_entries, metric_info
from loyalsim.explore.server import ExplorerServer
from loyalsim.scenario.io import ScenarioError, load
from tests.report.explorer_http import explorer, request

FORM = {"preset": "default", "population": "2000", "seed": "1", "params": {}}


@pytest.fixture(scope="module")
def server() -> Iterator[ExplorerServer]:
    with explorer() as running:
        yield running


def test_check_accepts_a_good_form_and_refuses_a_bad_value(server: ExplorerServer) -> None:
    answer = request(server, "POST", "/api/check", FORM)
    assert (answer.status, answer.json()) == (200, {"ok": True})
    answer = request(
        server, "POST", "/api/check", FORM | {"params": {"lapses.detect_base": "-0.5"}}
    )
    assert answer.status == 400
    assert answer.json() == {
        "error": "lapses.detect_base = -0.5: Input should be greater than or equal to 0"
    }


def test_check_refuses_malformed_forms_naming_the_field(server: ExplorerServer) -> None:
    cases = {
        "the request must be a JSON object": [1, 2],
        "params: must map dotted parameter paths to values": FORM | {"params": ["x"]},
        "unknown preset; allowed: amnesty-merit-only": FORM | {"preset": "nope"},
        '"colour": unknown key; allowed: preset, population': FORM | {"colour": "red"},
        "population.n_people = true: must be a whole number": FORM | {"population": True},
        'population.n_people = "2e3": must be a whole number': FORM | {"population": "2e3"},
        "seed = 9223372036854775808: must be from 0 to": FORM | {"seed": 2**63},
        'lapses.detect_base = "0.1\\nx = 1": must be one line': FORM
        | {"params": {"lapses.detect_base": "0.1\nx = 1"}},
        "params: model is set through the preset": FORM | {"params": {"model": "thresholds"}},
        "params: enforcement.orders.0.start is set through orders": FORM
        | {"params": {"enforcement.orders.0.start": "2025-03-03"}},
        "orders: must be a list": FORM | {"orders": {"start": "2025-01-06"}},
        'enforcement.orders.0.start = "2026-02-30": day is out of range': FORM
        | {"orders": [{"start": "2026-02-30", "provinces": ["*"]}]},
        'enforcement.orders.0.start = "2 Feb 2026": must be a date YYYY-MM-DD': FORM
        | {"orders": [{"start": "2 Feb 2026"}]},
        "enforcement.orders.0.provinces = []: must be a list of 1 to 50 names": FORM
        | {"orders": [{"start": "2026-02-02", "provinces": []}]},
        "enforcement.orders.0.colour: unknown key": FORM
        | {"orders": [{"start": "2026-02-02", "colour": "red"}]},
        "enforcement.orders.0.provinces = ['Atlantis']: unknown province 'Atlantis'": FORM
        | {"orders": [{"start": "2026-02-02", "provinces": ["Atlantis"]}]},
        'enforcement.orders.0.regime = "harsh"': FORM
        | {"orders": [{"start": "2026-02-02", "regime": "harsh"}]},
    }
    for expected, form in cases.items():
        answer = request(server, "POST", "/api/check", form)
        assert answer.status == 400, (expected, answer.json())
        assert expected in answer.json()["error"], (expected, answer.json())


def test_params_come_with_label_unit_bounds_and_source(server: ExplorerServer) -> None:
    info = request(server, "GET", "/api/params?preset=default").json()
    assert info["population"]["path"] == "population.n_people"
    assert info["population"]["min"] == 100
    detect = next(p for p in info["params"] if p["path"] == "lapses.detect_base")
    assert detect["unit"] == "probability" and (detect["min"], detect["max"]) == (0, 1)
    assert detect["label"] == detect["description"].rstrip(".")
    assert detect["description"] and detect["provenance"]
    assert [f["key"] for f in info["order_fields"]] == [
        "name",
        "start",
        "provinces",
        "age_groups",
        "organisations",
        "regime",
    ]
    start = next(f for f in info["order_fields"] if f["key"] == "start")
    assert start["unit"] == "date" and start["provenance"] == "C4"


def test_params_list_the_presets_orders_and_what_they_may_target(server: ExplorerServer) -> None:
    info = request(server, "GET", "/api/params?preset=default").json()
    preset = load("default")
    assert len(info["orders"]) == len(preset.enforcement.orders)  # type: ignore[attr-defined]
    second = info["orders"][1]
    assert (second["start"], second["regime"], second["provinces"]) == (
        "2026-02-02",
        "struggle",
        ["South Hamgyong"],
    )
    assert info["choices"]["provinces"][0] == "*"
    assert "South Hamgyong" in info["choices"]["provinces"]
    assert info["choices"]["age_groups"] == ["*", "16-30", "31-45", "46-60", "61+"]
    assert info["choices"]["regime"] == ["none", "warning", "struggle"]
    assert info["new_order"]["start"] == "2025-01-06"  # the run's first day
    # Sending the preset's own orders back changes nothing.
    same, _ = scenario_from_form(FORM | {"orders": info["orders"]})
    assert same == load("default", population=2000)


def test_edited_orders_replace_the_presets_and_keep_unedited_fields() -> None:
    info_orders = [
        {
            "name": "Order in North Hamgyong",
            "start": "2025-06-02",
            "provinces": ["North Hamgyong"],
            "age_groups": ["31-45", "46-60"],
            "organisations": ["trade_union"],
            "regime": "struggle",
            "intensity": 0.7,
        }
    ]
    config, seed = scenario_from_form(FORM | {"seed": 5, "orders": info_orders})
    (order,) = config.enforcement.orders
    assert order.start == dt.date(2025, 6, 2)
    assert order.provinces == ["North Hamgyong"]
    assert order.age_groups == ["31-45", "46-60"]
    assert order.organisations == ["trade_union"]
    assert (order.regime, order.intensity, seed) == ("struggle", 0.7, 5)
    assert order.detection_multiplier == 1.0  # the schema's default where nothing is sent


def test_form_validation_uses_the_cli_messages() -> None:
    with pytest.raises(ScenarioError, match=r"population.n_people = 5: .*greater than or equal"):
        scenario_from_form({"preset": "default", "population": "5"})
    with pytest.raises(ScenarioError, match="seed = -1"):
        scenario_from_form({"preset": "default", "population": "2000", "seed": "-1"})
    config, seed = scenario_from_form(
        {"preset": "no-campaign", "population": "2000", "seed": "4", "params": {"time.n_steps": 9}}
    )
    assert (config.population.n_people, config.time.n_steps, seed) == (2000, 9, 4)
    typed, _ = scenario_from_form(FORM | {"params": {"lapses.detect_base": "0.05"}})
    assert typed == load("default", {"lapses.detect_base": 0.05}, 2000)


def test_unknown_addresses_and_jobs_are_json_404(server: ExplorerServer) -> None:
    for path in ("/nothing", "/api/nothing", "/api/job/0123456789abcdef", "/api/job/../../x"):
        answer = request(server, "GET", path)
        assert answer.status == 404 and "error" in answer.json(), path
    answer = request(server, "POST", "/api/job/0123456789abcdef/cancel", {})
    assert answer.status == 404 and answer.json()["error"].startswith("no job")


def test_metric_labels_and_units_come_from_the_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = SimpleNamespace(
        label="Display-belief gap", unit="score difference", kind="mean", description="Gap."
    )
    fake = ModuleType("loyalsim.catalogue")
    fake.METRICS = {"display_gap": entry}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "loyalsim.catalogue", fake)
    catalogue_entries.cache_clear()
    try:
        assert metric_info("display_gap") == {
            "name": "display_gap",
            "label": "Display-belief gap",
            "unit": "score difference",
            "kind": "mean",
            "description": "Gap.",
        }
        # A metric the catalogue lacks still gets a readable label, and no invented unit.
        assert metric_info("hidden_dissent") == {
            "name": "hidden_dissent",
            "label": "Hidden dissent",
            "unit": "",
            "kind": "",
            "description": "",
        }
    finally:
        catalogue_entries.cache_clear()  # the real catalogue (or none) for later tests
