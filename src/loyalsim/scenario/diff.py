"""What a scenario file changes relative to the scenario it extends.

``changes(base, new)`` lists dotted paths with old -> new values, items appended to lists,
and lists replaced; ``loyalsim check FILE`` prints it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from loyalsim.scenario.errors import ScenarioError
from loyalsim.scenario.sources import merge_layers, model_of, read_chain, schema_for

MAX_SHOWN = 120


def show(value: Any) -> str:
    """A value in TOML-like notation, cut to one readable line."""
    if isinstance(value, dict):
        text = "{" + ", ".join(f"{k} = {show(v)}" for k, v in value.items()) + "}"
    elif isinstance(value, list):
        text = "[" + ", ".join(show(v) for v in value) + "]"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _items(n: int) -> str:
    return f"{n} item" if n == 1 else f"{n} items"


def changes(base: Any, new: Any, path: str = "") -> list[str]:
    """One line per difference between two plain scenario dicts (base first)."""
    if isinstance(base, dict) and isinstance(new, dict):
        out: list[str] = []
        for key in new:
            here = f"{path}.{key}" if path else str(key)
            if key not in base:
                out.append(f"{here}: (not set) -> {show(new[key])}")
            else:
                out += changes(base[key], new[key], here)
        prefix = f"{path}." if path else ""
        out += [f"{prefix}{k}: {show(base[k])} -> (not set)" for k in base if k not in new]
        return out
    if isinstance(base, list) and isinstance(new, list) and base != new:
        return _list_changes(base, new, path)
    if base != new:
        return [f"{path}: {show(base)} -> {show(new)}"]
    return []


def _list_changes(base: list[Any], new: list[Any], path: str) -> list[str]:
    """Lists of tables item by item (then items appended or removed); others whole."""
    if not all(isinstance(v, dict) for v in (*base, *new)):
        return [f"{path}: {show(base)} -> {show(new)}"]
    n_old, n_new = len(base), len(new)
    out: list[str] = []
    for i in range(min(n_old, n_new)):
        out += changes(base[i], new[i], f"{path}.{i}")
    if n_new > n_old:
        out.append(f"{path}: {_items(n_new - n_old)} appended ({n_old} -> {n_new})")
        out += [f"  + {path}.{i} = {show(new[i])}" for i in range(n_old, n_new)]
    elif n_new < n_old:
        out.append(f"{path}: {_items(n_old - n_new)} removed ({n_old} -> {n_new})")
        out += [f"  - {path}.{i} = {show(base[i])}" for i in range(n_new, n_old)]
    return out


@dataclass(frozen=True)
class Changes:
    """The differences of a scenario from its base, and what that base is."""

    base: str
    lines: list[str]


def _dump(config: BaseModel) -> dict[str, Any]:
    return config.model_dump(mode="python", exclude_none=True)


def describe_changes(source: str | Path, new: BaseModel) -> Changes:
    """What ``new`` (``source`` loaded, perhaps with overrides) changes relative to its base.

    The base is what the file's ``extends`` names; a file that extends nothing is compared
    with the model's built-in defaults.
    """
    from loyalsim.scenario.io import validate

    layers = read_chain(source)
    schema = schema_for(model_of(layers))
    if schema is None:
        raise ScenarioError(f"{layers[-1].label}: unknown model {model_of(layers)!r}")
    if len(layers) == 1:
        base, label = _dump(schema()), "the model's defaults (the file extends nothing)"
    else:
        label = f"{layers[-2].label} (extends = {layers[-1].extends!r})"
        try:
            base = _dump(validate(merge_layers(layers[:-1])))
        except ScenarioError:
            base, label = _dump(schema()), "the model's defaults (its base alone is not valid)"
    return Changes(label, changes(base, _dump(new)))
