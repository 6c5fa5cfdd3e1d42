"""The explorer's JSON API, without a browser: validation matches the CLI's."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from loyalsim.explore.server import scenario_from_form, serve_in_thread
from loyalsim.scenario.io import ScenarioError


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    server, address = serve_in_thread()
    yield address
    server.shutdown()
    server.server_close()
    server.jobs.close()  # type: ignore[attr-defined]


def _post(url: str, path: str, body: Any) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url.rstrip("/") + path, json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_check_accepts_a_good_form_and_refuses_a_bad_value(url: str) -> None:
    form = {"preset": "default", "population": "2000", "seed": "1", "params": {}}
    assert _post(url, "/api/check", form) == (200, {"ok": True})
    form["params"] = {"lapses.detect_base": "-0.5"}
    code, data = _post(url, "/api/check", form)
    assert code == 400
    assert data["error"] == "lapses.detect_base = -0.5: Input should be greater than or equal to 0"


def test_check_refuses_malformed_requests(url: str) -> None:
    assert _post(url, "/api/check", [1, 2])[0] == 400
    assert _post(url, "/api/check", {"population": "2000", "params": ["x"]})[0] == 400
    code, data = _post(url, "/api/check", {"preset": "nope", "population": "2000"})
    assert code == 400 and "nope" in data["error"]


def test_params_come_with_unit_bounds_and_source(url: str) -> None:
    with urllib.request.urlopen(url + "api/params?preset=default", timeout=30) as response:
        info = json.loads(response.read())
    assert info["population"]["path"] == "population.n_people"
    assert info["population"]["min"] == 100
    detect = next(p for p in info["params"] if p["path"] == "lapses.detect_base")
    assert detect["unit"] == "probability" and (detect["min"], detect["max"]) == (0, 1)
    assert detect["description"] and detect["provenance"]


def test_form_validation_uses_the_cli_messages() -> None:
    with pytest.raises(ScenarioError, match=r"population.n_people = 5: .*greater than or equal"):
        scenario_from_form({"preset": "default", "population": "5"})
    with pytest.raises(ScenarioError, match="seed = -1"):
        scenario_from_form({"preset": "default", "population": "2000", "seed": "-1"})
    config, seed = scenario_from_form(
        {"preset": "no-campaign", "population": "2000", "seed": "4", "params": {"time.n_steps": 9}}
    )
    assert (config.population.n_people, config.time.n_steps, seed) == (2000, 9, 4)
