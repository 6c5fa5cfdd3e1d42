"""Reading and writing scenarios: TOML files, shipped presets, dotted overrides, clear errors.

A scenario or preset file is TOML. A top-level ``model`` key names the model (default
``loyalty``); ``extends = "PRESET"`` starts from a shipped preset and overlays the file.
Every error is raised as ``ScenarioError`` whose message names the field by its dotted path,
the offending value and what is allowed.
"""

from __future__ import annotations

import copy
import hashlib
import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ValidationError

from loyalsim.scenario.schemas import MODEL_NAMES, root_schema


class ScenarioError(ValueError):
    """A scenario, preset, override or sweep file that cannot be accepted."""


def preset_names() -> list[str]:
    """Names of the presets shipped inside the package."""
    folder = resources.files("loyalsim.scenario") / "presets"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def preset_text(name: str) -> str:
    """TOML text of a shipped preset."""
    if name not in preset_names():
        raise ScenarioError(
            f"unknown preset {name!r}; allowed: {', '.join(preset_names())} "
            "(or a path to a .toml file)"
        )
    return (resources.files("loyalsim.scenario") / "presets" / f"{name}.toml").read_text("utf-8")


def _parse(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{origin}: not valid TOML: {exc}") from exc


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Deep merge: tables merge key by key; anything else (lists included) replaces."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def raw_source(source: str | Path, _seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """The merged raw dict of a preset name or TOML path, ``extends`` resolved."""
    path = Path(source)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise ScenarioError(f"scenario file {str(path)!r} does not exist")
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ScenarioError(f"cannot read scenario file {str(path)!r}: {exc}") from exc
        data = _parse(text, str(path))
    else:
        data = _parse(preset_text(str(source)), f"preset {source}")
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(f"extends = {parent!r}: must be the name of a preset")
    if parent in _seen:
        raise ScenarioError(f"extends: cycle through preset {parent!r}")
    return _merge(raw_source(parent, (*_seen, parent)), data)


def parse_value(text: str) -> Any:
    """Read the value of a ``--set key=value`` as TOML (numbers, booleans, lists, dates)."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text  # a bare word is a string


def apply_overrides(data: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Set dotted paths (``lapses.base_logit``; list items by index, ``orders.0.start``)."""
    out = copy.deepcopy(data)
    for dotted, value in overrides.items():
        parts = dotted.split(".")
        node: Any = out
        for i, part in enumerate(parts[:-1]):
            nxt = _child(node, part, ".".join(parts[: i + 1]), create=True)
            node = nxt
        last = parts[-1]
        if isinstance(node, list):
            node[_index(node, last, dotted)] = value
        elif isinstance(node, dict):
            node[last] = value
        else:
            raise ScenarioError(f"{dotted}: {'.'.join(parts[:-1])} is not a table")
    return out


def _index(node: list[Any], part: str, path: str) -> int:
    if not part.isdigit() or int(part) >= len(node):
        raise ScenarioError(f"{path}: no list item {part!r}; allowed: 0 to {len(node) - 1}")
    return int(part)


def _child(node: Any, part: str, path: str, create: bool) -> Any:
    if isinstance(node, list):
        return node[_index(node, part, path)]
    if not isinstance(node, dict):
        raise ScenarioError(f"{path}: parent is not a table")
    if part not in node and create:
        node[part] = {}
    return node[part]


def _loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc)


def format_validation_error(exc: ValidationError, data: dict[str, Any]) -> str:
    """One line per problem: dotted path, the value given, and what is allowed."""
    lines = []
    for err in exc.errors():
        path = _loc(err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            parent = _loc(err["loc"][:-1])
            lines.append(f"{path}: unknown key{f' in {parent}' if parent else ''}")
            continue
        value = err.get("input")
        shown = json.dumps(value, default=str) if not isinstance(value, dict) else "{...}"
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        lines.append(f"{path} = {shown}: {msg}")
    return "\n".join(lines)


def validate(data: dict[str, Any]) -> BaseModel:
    """Validate a raw dict against its model's schema; ScenarioError on any problem."""
    model_name = data.get("model", "loyalty")
    if model_name not in MODEL_NAMES:
        raise ScenarioError(
            f"model = {model_name!r}: unknown model; allowed: {', '.join(MODEL_NAMES)}"
        )
    try:
        return root_schema(model_name).model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(exc, data)) from exc


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
        allowed = known_paths(config)
        for dotted in overrides:
            if dotted not in allowed and not any(p.startswith(dotted + ".") for p in allowed):
                raise ScenarioError(f"{dotted}: unknown parameter")
    return config


def to_toml(config: BaseModel) -> str:
    """The fully resolved scenario as TOML (None values are left out)."""
    return tomli_w.dumps(config.model_dump(mode="python", exclude_none=True))


def scenario_hash(config: BaseModel) -> str:
    """SHA-256 of the resolved scenario's canonical JSON: equal scenarios, equal hashes."""
    canonical = json.dumps(config.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
