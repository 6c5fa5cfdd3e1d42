"""Reading and writing scenarios: TOML files, shipped presets, dotted overrides, clear errors.

A scenario or preset file is TOML. A top-level ``model`` key names the model (default
``loyalty``); ``extends = "PRESET"`` (or a ``.toml`` path relative to the file) starts from
another scenario and overlays the file (see ``loyalsim.scenario.sources`` for the rules).
Every error is raised as ``ScenarioError`` whose message names the field by its dotted path,
the offending value and what is allowed.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ValidationError

from loyalsim.scenario.errors import (
    ScenarioError,
    format_validation_error,
    show_value,
    unknown_key,
)
from loyalsim.scenario.limits import MAX_NESTING, MAX_OVERRIDE_CHARS
from loyalsim.scenario.paths import default_at, keys_of
from loyalsim.scenario.reading import check_nesting, too_deep
from loyalsim.scenario.schemas import MODEL_NAMES, root_schema
from loyalsim.scenario.sources import (
    preset_names,
    preset_text,
    raw_source,
    resolve_source,
    schema_for,
)

__all__ = [
    "ScenarioError",
    "apply_overrides",
    "format_validation_error",
    "known_paths",
    "load",
    "parse_value",
    "preset_names",
    "preset_text",
    "raw_source",
    "resolve_source",
    "scenario_hash",
    "to_toml",
    "validate",
]


def _control_character(text: str) -> str | None:
    return next((c for c in text if unicodedata.category(c) == "Cc"), None)


def parse_value(text: str, key: str = "value") -> Any:
    """Read the value of a ``--set key=value`` as TOML (numbers, booleans, lists, dates).

    A bare word is a string. A value must be one line: a newline or other control character
    would let the rest of the text be read as further TOML keys, so it is refused.
    """
    bad = _control_character(text)
    if bad is not None:
        raise ScenarioError(
            f"{key} = {show_value(text)}: contains the control character {bad!r}; "
            'allowed: one line of TOML (a number, true/false, "text", a date or a list)'
        )
    if len(text) > MAX_OVERRIDE_CHARS:
        raise ScenarioError(
            f"{key}: a value of {len(text)} characters; allowed: at most {MAX_OVERRIDE_CHARS}"
        )
    if too_deep(f"v = {text}") is not None:
        raise ScenarioError(
            f"{key}: the value nests more than {MAX_NESTING} lists or tables; "
            "no scenario field needs that"
        )
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text  # a bare word is a string


def apply_overrides(data: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Set dotted paths (``lapses.base_logit``; list items by index, ``orders.0.start``).

    A list that the scenario does not set is taken from the schema's default first, so
    ``population.provinces.0.share`` works on any scenario.
    """
    out = copy.deepcopy(data)
    schema = schema_for(str(out.get("model", "loyalty")))
    for path, value in overrides.items():
        parts = str(path).split(".")
        if not all(parts) or _control_character(str(path)):
            raise ScenarioError(
                f"{show_value(path)}: not a dotted path; allowed: keys joined by dots, "
                "e.g. lapses.base_logit or enforcement.orders.0.start"
            )
        node: Any = out
        for i in range(len(parts) - 1):
            node = _child(node, parts[: i + 1], schema)
        if isinstance(node, list):
            node[_index(node, parts)] = value
        elif isinstance(node, dict):
            node[parts[-1]] = value
        else:
            raise ScenarioError(f"{path}: {'.'.join(parts[:-1])} is a value, not a table or list")
    return out


def _index(node: list[Any], parts: list[str]) -> int:
    part, path = parts[-1], ".".join(parts)
    if not part.isdigit() or int(part) >= len(node):
        allowed = f"0 to {len(node) - 1}" if node else "none (the list is empty)"
        raise ScenarioError(f"{path}: no list item {part!r}; allowed: {allowed}")
    return int(part)


def _child(node: Any, parts: list[str], schema: type[BaseModel] | None) -> Any:
    """The table or list at ``parts``, made from the schema's default if not set."""
    if isinstance(node, list):
        return node[_index(node, parts)]
    if not isinstance(node, dict):
        raise ScenarioError(
            f"{'.'.join(parts)}: {'.'.join(parts[:-1])} is a value, not a table or list"
        )
    part = parts[-1]
    if part not in node:
        default = default_at(schema, parts) if schema is not None else None
        node[part] = default if isinstance(default, dict | list) else {}
    return node[part]


def validate(data: dict[str, Any]) -> BaseModel:
    """Validate a raw dict against its model's schema; ScenarioError on any problem."""
    check_nesting(data)
    model_name = data.get("model", "loyalty")
    if not isinstance(model_name, str) or model_name not in MODEL_NAMES:
        raise ScenarioError(
            f"model = {show_value(model_name)}: unknown model; allowed: {', '.join(MODEL_NAMES)}"
        )
    schema = root_schema(model_name)
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(exc, data, schema)) from exc


def known_paths(config: BaseModel) -> set[str]:
    """Every dotted parameter path of a validated config (list items by index)."""
    paths: set[str] = set()

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{prefix}.{k}" if prefix else k)
        elif isinstance(node, list) and node and isinstance(node[0], dict):
            for i, v in enumerate(node):
                walk(v, f"{prefix}.{i}")
        else:
            paths.add(prefix)

    walk(config.model_dump(mode="python"), "")
    return paths


def load(
    source: str | Path = "default",
    overrides: dict[str, Any] | None = None,
    population: int | None = None,
) -> BaseModel:
    """Load a preset or TOML file, apply dotted overrides and a population size, validate."""
    data = raw_source(source)
    if overrides:
        data = apply_overrides(data, overrides)
    if population is not None:
        if data.get("model", "loyalty") != "loyalty":
            raise ScenarioError("--population applies to the enforced-loyalty model only")
        data = apply_overrides(data, {"population.n_people": population})
    config = validate(data)
    if overrides:
        _check_override_paths(config, list(overrides))
    return config


def _check_override_paths(config: BaseModel, paths: list[str]) -> None:
    """Refuse an override that validated but names no parameter (e.g. a whole list item)."""
    allowed = known_paths(config)
    for path in paths:
        parts = path.split(".")
        while len(parts) > 1 and parts[-1].isdigit():  # an item of a list of values
            parts = parts[:-1]
        stem = ".".join(parts)
        if stem in allowed or any(p.startswith(path + ".") for p in allowed):
            continue
        valid = keys_of(type(config), parts[:-1])
        if valid and parts[-1] not in valid:
            raise ScenarioError(unknown_key(parts, valid))
        close = difflib.get_close_matches(path, sorted(allowed), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ScenarioError(f"{path}: unknown parameter{hint}")


def to_toml(config: BaseModel) -> str:
    """The fully resolved scenario as TOML (None values are left out)."""
    return tomli_w.dumps(config.model_dump(mode="python", exclude_none=True))


def scenario_hash(config: BaseModel) -> str:
    """SHA-256 of the resolved scenario's canonical JSON: equal scenarios, equal hashes."""
    canonical = json.dumps(config.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
