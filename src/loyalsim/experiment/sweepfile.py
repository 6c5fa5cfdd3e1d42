"""The sweep file: a typed, validated description of a parameter sweep.

A sweep file is TOML::

    name = "sweep-small"
    base = "default"            # a preset name or a scenario .toml (relative to this file)
    seed = 20260201             # root of the seed tree
    replicates = 3

    [set]                       # fixed overrides applied to the base, by dotted path
    "population.n_people" = 5000

    [axes]                      # one axis per dotted parameter path
    "lapses.base_logit" = { min = -3.0, max = -1.0, levels = 3 }
    "enforcement.case_prob" = [0.05, 0.2]

    [design]
    kind = "full_factorial"     # or latin_hypercube, sobol, morris, points
    samples = 16                # points (LHS), base samples N (Sobol), trajectories (Morris)

    [keep]
    metrics = ["display_gap"]   # omitted: every metric
    groups = ["all"]            # omitted: every group

Every problem is raised as ``ScenarioError`` naming the dotted field, the value and what is
allowed, before anything runs (the same rule as scenario files).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from loyalsim.scenario.io import ScenarioError, format_validation_error

DESIGNS = ("full_factorial", "latin_hypercube", "sobol", "morris", "points")
_RANGE_KEYS = {"min", "max", "levels"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RangeAxis(_Strict):
    """A continuous axis between ``min`` and ``max`` (``levels`` points for full factorial)."""

    min: float
    max: float
    levels: int | None = Field(None, ge=2, le=1000)


class Design(_Strict):
    """How points are chosen in the space spanned by the axes."""

    kind: Literal["full_factorial", "latin_hypercube", "sobol", "morris", "points"]
    samples: int | None = Field(
        None, ge=1, le=10_000_000, description="LHS points, Sobol base N, Morris trajectories."
    )
    levels: int = Field(4, ge=2, le=100, description="Morris grid levels (even numbers).")
    second_order: bool = Field(False, description="Sobol: also sample second-order indices.")


class Keep(_Strict):
    """Which observables to store (None keeps all)."""

    metrics: list[str] | None = Field(None, min_length=1)
    groups: list[str] | None = Field(None, min_length=1)


class SweepFile(_Strict):
    """The whole sweep file as written by the user (axes still raw)."""

    name: str = Field("sweep", min_length=1)
    description: str = ""
    base: str = Field("default", min_length=1)
    seed: int = Field(..., ge=0, le=2**63 - 1)
    replicates: int = Field(1, ge=1, le=100_000)
    set: dict[str, Any] = Field(default_factory=dict)
    axes: dict[str, Any] = Field(..., min_length=1)
    design: Design
    keep: Keep = Field(default_factory=lambda: Keep(metrics=None, groups=None))


def _flatten(node: dict[str, Any], prefix: str = "", stop_at_ranges: bool = False) -> dict:
    """Unquoted dotted TOML keys arrive nested; flatten them back to dotted paths."""
    out: dict[str, Any] = {}
    for key, value in node.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        is_range = stop_at_ranges and isinstance(value, dict) and ({"min", "max"} & set(value))
        if isinstance(value, dict) and not is_range:
            out.update(_flatten(value, path, stop_at_ranges))
        else:
            out[path] = value
    return out


def parse_sweep(data: dict[str, Any]) -> tuple[SweepFile, dict[str, RangeAxis | list[Any]]]:
    """Validate the shape of a sweep dict; returns the file and its axes by dotted path."""
    data = dict(data)
    if isinstance(data.get("set"), dict):
        data["set"] = _flatten(data["set"])
    if isinstance(data.get("axes"), dict):
        data["axes"] = _flatten(data["axes"], stop_at_ranges=True)
    try:
        sweep = SweepFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(exc, data)) from exc
    axes: dict[str, RangeAxis | list[Any]] = {}
    for path, spec in sweep.axes.items():
        where = f"axes.{path}"
        if isinstance(spec, list):
            if not spec:
                raise ScenarioError(f"{where} = []: a value list needs at least one value")
            axes[path] = list(spec)
        elif isinstance(spec, dict):
            unknown = set(spec) - _RANGE_KEYS
            if unknown:
                raise ScenarioError(
                    f"{where}.{sorted(unknown)[0]}: unknown key in a range; "
                    "allowed: min, max, levels"
                )
            try:
                rng = RangeAxis.model_validate(spec)
            except ValidationError as exc:
                lines = format_validation_error(exc, spec).splitlines()
                raise ScenarioError("\n".join(f"{where}.{line}" for line in lines)) from exc
            if not rng.min < rng.max:
                raise ScenarioError(
                    f"{where} = {{min = {rng.min}, max = {rng.max}}}: min must be below max"
                )
            axes[path] = rng
        else:
            raise ScenarioError(
                f"{where} = {json.dumps(spec, default=str)}: an axis is a list of values "
                "or a range {min, max}"
            )
    _check_design(sweep.design, axes)
    return sweep, axes


def _check_design(design: Design, axes: dict[str, RangeAxis | list[Any]]) -> None:
    kind = design.kind
    if kind == "points":  # point i takes the i-th value of every axis (e.g. posterior draws)
        lengths = {p: len(a) if isinstance(a, list) else None for p, a in axes.items()}
        if None in lengths.values() or len(set(lengths.values())) != 1:
            raise ScenarioError(
                "axes: design 'points' needs value lists of one length (point i takes the "
                f"i-th value of every axis); lengths: {lengths}"
            )
        return
    if kind == "full_factorial":
        for path, spec in axes.items():
            if isinstance(spec, RangeAxis) and spec.levels is None:
                raise ScenarioError(
                    f"axes.{path}.levels: missing; a range in a full_factorial design needs "
                    "levels (an integer >= 2), or give a list of values"
                )
        return
    if design.samples is None:
        raise ScenarioError(f"design.samples: missing; the {kind} design needs a sample size")
    if kind == "sobol":
        n = design.samples
        if n & (n - 1):
            raise ScenarioError(
                f"design.samples = {n}: Saltelli sampling needs a power of two "
                f"(e.g. {1 << (n.bit_length() - 1)} or {1 << n.bit_length()})"
            )
        if len(axes) < 2:
            raise ScenarioError("axes: Sobol indices need at least two axes")
    if kind == "morris" and design.levels % 2:
        raise ScenarioError(f"design.levels = {design.levels}: Morris needs an even number")


def read_sweep_text(path: Path) -> str:
    """The text of a sweep file; ScenarioError if unreadable."""
    try:
        return Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read sweep file {str(path)!r}: {exc}") from exc


def load_sweep_dict(text: str, origin: str) -> dict[str, Any]:
    """Parse sweep TOML text; ScenarioError on a syntax error."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{origin}: not valid TOML: {exc}") from exc


def resolve_base(base: str, sweep_path: Path | None) -> str:
    """A base given as a relative .toml path is read relative to the sweep file."""
    if sweep_path is not None and base.endswith(".toml") and not Path(base).is_absolute():
        candidate = Path(sweep_path).parent / base
        if candidate.exists():
            return str(candidate)
    return base


def canonical_hash(payload: dict[str, Any]) -> str:
    """SHA-256 of canonical JSON (sorted keys, no whitespace)."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
