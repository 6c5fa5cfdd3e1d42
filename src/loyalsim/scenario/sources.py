"""Where a scenario's text comes from: shipped presets, files, and ``extends`` chains.

``extends`` names a shipped preset, or a ``.toml`` file by a path relative to the folder of
the file that names it (presets can extend presets only). Absolute paths, paths with ``..``
or leading outside that folder (symbolic links included), other file types, cycles and
chains longer than ``MAX_EXTENDS_CHAIN`` are refused with an error that names ``extends``.

Layers merge base first: tables merge key by key, anything else (lists included) replaces,
and ``KEY.append = [...]`` (in TOML also ``[[KEY.append]]``) appends to the list the base
has at KEY (or to the schema's default list when no base sets it).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePath
from typing import Any

from pydantic import BaseModel

from loyalsim.scenario.errors import ScenarioError, dotted, show_value
from loyalsim.scenario.limits import MAX_EXTENDS_CHAIN
from loyalsim.scenario.paths import default_at
from loyalsim.scenario.reading import parse_toml, read_file
from loyalsim.scenario.schemas import MODEL_NAMES, root_schema

APPEND = "append"


@dataclass(frozen=True)
class Layer:
    """One file or preset of an ``extends`` chain, its ``extends`` key removed."""

    label: str  # "preset default" or the file's path
    data: dict[str, Any]
    extends: str | None


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


def _allowed_sources() -> str:
    return (
        f"allowed: a preset ({', '.join(preset_names())}) "
        "or a .toml path relative to the file's folder"
    )


def resolve_source(
    name_or_path: Any, relative_to: Path | None, field: str = "extends"
) -> str | Path:
    """A preset name, or the resolved path of a ``.toml`` file inside ``relative_to``.

    Used for ``extends`` in scenario files and ``base`` in sweep files (pass ``field``).
    ``relative_to`` is the folder of the file that names the source; ``None`` (a preset,
    an API call) allows preset names only. Raises ``ScenarioError`` naming ``field``.
    """
    given = f"{field} = {show_value(name_or_path)}"
    if not isinstance(name_or_path, str) or not name_or_path.strip():
        raise ScenarioError(f"{given}: must be a preset name or a .toml path; {_allowed_sources()}")
    if not any(c in name_or_path for c in "/\\") and not name_or_path.endswith(".toml"):
        if name_or_path not in preset_names():
            raise ScenarioError(f"{given}: unknown preset; {_allowed_sources()}")
        return name_or_path
    rel = PurePath(name_or_path)
    if rel.is_absolute() or name_or_path.startswith(("/", "\\")) or ":" in name_or_path:
        raise ScenarioError(f"{given}: absolute paths are not allowed; {_allowed_sources()}")
    if ".." in rel.parts or ".." in name_or_path.split("\\"):
        raise ScenarioError(
            f"{given}: '..' may not lead out of the file's folder; {_allowed_sources()}"
        )
    if rel.suffix != ".toml":
        raise ScenarioError(f"{given}: not a .toml file; {_allowed_sources()}")
    if relative_to is None:
        raise ScenarioError(
            f"{given}: a file path is only allowed in a scenario file, relative to its folder; "
            f"allowed here: a preset ({', '.join(preset_names())})"
        )
    folder = relative_to.resolve()
    target = (folder / rel).resolve()
    if not target.is_relative_to(folder):
        raise ScenarioError(
            f"{given}: leads out of the file's folder (a link?); {_allowed_sources()}"
        )
    if not target.is_file():
        raise ScenarioError(f"{given}: no such file in {str(folder)!r}")
    return target


def _top_source(source: str | Path) -> str | Path:
    """The scenario named on the command line or in ``load``: any .toml path, or a preset."""
    if isinstance(source, Path) or str(source).endswith(".toml"):
        return Path(source)
    return str(source)


def _read_layer(source: str | Path) -> tuple[Layer, Path | None]:
    if isinstance(source, Path):
        data = parse_toml(read_file(source), str(source))
        label, folder = str(source), source.parent
    else:
        label, folder = f"preset {source}", None
        data = parse_toml(preset_text(source), label)
    parent = data.pop("extends", None)
    if parent is not None and not isinstance(parent, str):
        raise ScenarioError(f"{label}: extends = {show_value(parent)}: must be a preset name")
    return Layer(label, data, parent), folder


def read_chain(source: str | Path) -> list[Layer]:
    """The layers of ``source`` and everything it extends, base first."""
    layers: list[Layer] = []
    seen: list[str | Path] = []
    current = _top_source(source)
    while True:
        key = current.resolve() if isinstance(current, Path) else current
        if key in seen:
            names = " -> ".join(layer.label for layer in layers)
            raise ScenarioError(f"{layers[-1].label}: extends: a cycle: {names} -> {current}")
        if len(layers) >= MAX_EXTENDS_CHAIN:
            raise ScenarioError(
                f"{layers[0].label}: extends: a chain of more than {MAX_EXTENDS_CHAIN} files; "
                f"allowed: at most {MAX_EXTENDS_CHAIN}"
            )
        seen.append(key)
        layer, folder = _read_layer(current)
        layers.append(layer)
        if layer.extends is None:
            return layers[::-1]
        try:
            current = resolve_source(layer.extends, folder)
        except ScenarioError as exc:
            raise ScenarioError(f"{layer.label}: {exc}") from None


def model_of(layers: list[Layer]) -> str:
    """The model a chain describes: the last layer that names one (default ``loyalty``)."""
    for layer in reversed(layers):
        if "model" in layer.data:
            return str(layer.data["model"])
    return "loyalty"


def merge(
    base: dict[str, Any],
    over: dict[str, Any],
    schema: type[BaseModel] | None,
    path: tuple[str, ...] = (),
) -> dict[str, Any]:
    """``over`` on top of ``base``: tables key by key, lists replaced or appended to."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        here = (*path, key)
        if isinstance(value, dict) and APPEND in value:
            out[key] = _appended(out.get(key), value, schema, here)
        elif isinstance(value, dict):  # into the base's table, or a new one
            below = out.get(key)
            out[key] = merge(below if isinstance(below, dict) else {}, value, schema, here)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _appended(
    current: Any, marker: dict[str, Any], schema: type[BaseModel] | None, here: tuple[str, ...]
) -> list[Any]:
    where = dotted(here)
    if set(marker) != {APPEND}:
        others = ", ".join(sorted(set(marker) - {APPEND}))
        raise ScenarioError(
            f"{where}: a table with 'append' can hold nothing else (found {others})"
        )
    items = marker[APPEND]
    if not isinstance(items, list):
        raise ScenarioError(f"{where}.append = {show_value(items)}: must be a list of items")
    if current is None and schema is not None:
        current = default_at(schema, here)
    if not isinstance(current, list):
        raise ScenarioError(
            f"{where}.append: {where} is not a list in the base scenario; "
            "append works on lists (e.g. enforcement.orders, calendar.events)"
        )
    return [*current, *copy.deepcopy(items)]


def schema_for(model: str) -> type[BaseModel] | None:
    """The root schema of a model name, or None if there is no such model."""
    return root_schema(model) if model in MODEL_NAMES else None


def merge_layers(layers: list[Layer]) -> dict[str, Any]:
    """The raw scenario dict of a chain."""
    schema = schema_for(model_of(layers))
    data: dict[str, Any] = {}
    for layer in layers:
        try:
            data = merge(data, layer.data, schema)
        except ScenarioError as exc:
            raise ScenarioError(f"{layer.label}: {exc}") from None
    return data


def raw_source(source: str | Path) -> dict[str, Any]:
    """The merged raw dict of a preset name or TOML path, ``extends`` resolved."""
    return merge_layers(read_chain(source))
