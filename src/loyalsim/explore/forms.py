"""The explorer's run form: read strictly, then validated exactly as the CLI validates ``--set``.

A form is a JSON object::

    {"preset": "default", "population": "20000", "seed": "1",
     "params": {"lapses.detect_base": "0.05"},
     "orders": [{"name": "...", "start": "2026-02-02", "provinces": ["South Hamgyong"],
                 "age_groups": ["16-30"], "organisations": ["*"], "regime": "struggle", ...}]}

``params`` values are the text typed in the page, read like ``--set key=value`` (numbers
may also be sent as JSON numbers). ``orders``, when present, replaces the preset's campaign
orders. The preset is a name from the shipped list, never a path. Every problem is a
``ScenarioError`` whose message names the field by its dotted path, the value and what is
allowed.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

from loyalsim.scenario.io import ScenarioError, load, parse_value, preset_names, raw_source

FORM_KEYS = ("preset", "population", "seed", "params", "orders")
ORDER_KEYS = (
    "name",
    "start",
    "end",
    "provinces",
    "age_groups",
    "organisations",
    "regime",
    "intensity",
    "detection_multiplier",
    "checks_attentiveness",
)
ORDER_LISTS = ("provinces", "age_groups", "organisations")
ORDER_DATES = ("start", "end")
ORDERS_PATH = "enforcement.orders"
# Bounds on what a form may hold: far above what the page sends, far below what could hurt.
MAX_PARAMS = 100
MAX_ORDERS = 20
MAX_LIST = 50
MAX_TEXT = 200
MAX_SEED = 2**63 - 1
WHOLE = re.compile(r"\s*[+-]?\d{1,19}\s*")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*")


def _shown(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def loyalty_presets() -> list[dict[str, str]]:
    """Name and description of each shipped preset of the enforced-loyalty model."""
    out = []
    for name in preset_names():
        data = raw_source(name)
        if data.get("model", "loyalty") == "loyalty":
            out.append({"name": name, "description": str(data.get("description", ""))})
    return out


def preset_name(value: Any) -> str:
    """A shipped preset of the enforced-loyalty model, by name only (never a path)."""
    names = [p["name"] for p in loyalty_presets()]
    if not isinstance(value, str) or value not in names:
        raise ScenarioError(
            f"preset = {_shown(value)}: unknown preset; allowed: {', '.join(names)}"
        )
    return value


def whole_number(field: str, value: Any, low: int | None = None, high: int | None = None) -> int:
    """An integer given as a JSON number or as digits (booleans and fractions are refused).

    Bounds left as None are the schema's to check, with its own message.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and WHOLE.fullmatch(value):
        number = int(value)
    else:
        raise ScenarioError(f"{field} = {_shown(value)}: must be a whole number")
    if (low is not None and number < low) or (high is not None and number > high):
        raise ScenarioError(f"{field} = {number}: must be from {low} to {high}")
    return number


def _text(field: str, value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT or not value.isprintable():
        raise ScenarioError(
            f"{field} = {_shown(value)}: must be one line of text of at most {MAX_TEXT} characters"
        )
    return value


def param_value(path: str, value: Any) -> Any:
    """A parameter value: typed text read like ``--set``, or a JSON number or boolean."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ScenarioError(f"{path} = {value}: must be a finite number")
        return value
    if isinstance(value, str):
        return parse_value(_text(path, value).strip())
    raise ScenarioError(f"{path} = {_shown(value)}: must be text, a number or true/false")


def _params(params: Any) -> dict[str, Any]:
    if not isinstance(params, dict):
        raise ScenarioError("params: must map dotted parameter paths to values")
    if len(params) > MAX_PARAMS:
        raise ScenarioError(f"params: {len(params)} parameters; allowed: at most {MAX_PARAMS}")
    out = {}
    for path, value in params.items():
        if len(path) > MAX_TEXT or not PATH.fullmatch(path):
            raise ScenarioError(f"params: {_shown(path)} is not a dotted parameter path")
        if path.split(".")[0] in ("model", "extends") or path.startswith(ORDERS_PATH):
            where = "orders" if path.startswith(ORDERS_PATH) else "the preset"
            raise ScenarioError(f"params: {path} is set through {where}, not as a parameter")
        out[path] = param_value(path, value)
    return out


def _order(i: int, order: Any) -> dict[str, Any]:
    where = f"{ORDERS_PATH}.{i}"
    if not isinstance(order, dict):
        raise ScenarioError(f"{where}: must be an object with keys {', '.join(ORDER_KEYS)}")
    out: dict[str, Any] = {}
    for key, value in order.items():
        field = f"{where}.{key}"
        if key not in ORDER_KEYS:
            raise ScenarioError(f"{field}: unknown key; allowed: {', '.join(ORDER_KEYS)}")
        if key in ORDER_DATES:
            if value is None and key == "end":
                continue
            if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
                raise ScenarioError(f"{field} = {_shown(value)}: must be a date YYYY-MM-DD")
            try:
                out[key] = dt.date.fromisoformat(value)
            except ValueError as exc:
                raise ScenarioError(f"{field} = {_shown(value)}: {exc}") from None
        elif key in ORDER_LISTS:
            if not isinstance(value, list) or not value or len(value) > MAX_LIST:
                raise ScenarioError(
                    f"{field} = {_shown(value)}: must be a list of 1 to {MAX_LIST} names "
                    "(['*'] for all)"
                )
            out[key] = [_text(f"{field}.{k}", v) for k, v in enumerate(value)]
        elif key in ("name", "regime"):
            out[key] = _text(field, value)
        else:
            out[key] = param_value(field, value)
    return out


def _orders(orders: Any) -> list[dict[str, Any]]:
    if not isinstance(orders, list) or len(orders) > MAX_ORDERS:
        raise ScenarioError(f"orders: must be a list of at most {MAX_ORDERS} campaign orders")
    return [_order(i, order) for i, order in enumerate(orders)]


def scenario_from_form(form: Any) -> tuple[Any, int]:
    """The validated scenario and seed of a run form (``ScenarioError`` on any problem)."""
    if not isinstance(form, dict):
        raise ScenarioError("the request must be a JSON object")
    unknown = [k for k in form if k not in FORM_KEYS]
    if unknown:
        raise ScenarioError(f"{_shown(unknown[0])}: unknown key; allowed: {', '.join(FORM_KEYS)}")
    preset = preset_name(form.get("preset", "default"))
    overrides: dict[str, Any] = {}
    if "orders" in form:
        overrides[ORDERS_PATH] = _orders(form["orders"])
    overrides.update(_params(form.get("params") or {}))
    population = whole_number("population.n_people", form.get("population"))
    seed = whole_number("seed", form.get("seed", 1), 0, MAX_SEED)
    config = load(preset, overrides, population)
    if getattr(config, "model", None) != "loyalty":
        raise ScenarioError("model: the explorer runs the enforced-loyalty model only")
    return config, seed
