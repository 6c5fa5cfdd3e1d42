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
allowed, before anything runs (the same rule as scenario files). Types are strict (no
string-to-number or bool-to-number coercion), numbers must be finite, and sizes are bounded:
at most ``MAX_RUNS`` runs, ``MAX_DESIGN_CELLS`` design entries (points x axes) and
``MAX_LIST_VALUES`` values per axis, checked from the file alone before any design is drawn.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from loyalsim.scenario.io import ScenarioError

DESIGNS = ("full_factorial", "latin_hypercube", "sobol", "morris", "points")
_RANGE_KEYS = {"min", "max", "levels"}

# Size bounds, from what the coordinator holds in memory (docs/experiments.md, "Limits"):
# per run, 5 bytes of status while resuming, plus the manifest on disk (about 100 bytes a
# run); per design entry (points x axes), the float matrix, design.parquet's columns and
# the sampler's working copies: measured 16-25 bytes for full factorial, Sobol and Morris
# and up to 120 bytes for SALib's Latin hypercube. 10^7 runs and 10^7 entries keep the
# coordinator's bookkeeping near 1 GB at worst.
MAX_RUNS = 10_000_000
MAX_DESIGN_CELLS = 10_000_000
MAX_LIST_VALUES = 10_000  # each value is validated with the scenario before anything runs
MAX_DEPTH = 16  # nesting of tables and arrays in a sweep file


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


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

    metrics: list[str] | None = Field(None, min_length=1, max_length=10_000)
    groups: list[str] | None = Field(None, min_length=1, max_length=10_000)


class SweepFile(_Strict):
    """The whole sweep file as written by the user (axes still raw)."""

    name: str = Field("sweep", min_length=1, max_length=200)
    description: str = Field("", max_length=10_000)
    base: str = Field("default", min_length=1, max_length=4096)
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
    _check_values(data)
    data = dict(data)
    if isinstance(data.get("set"), dict):
        data["set"] = _flatten(data["set"])
    if isinstance(data.get("axes"), dict):
        data["axes"] = _flatten(data["axes"], stop_at_ranges=True)
    try:
        sweep = SweepFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_format(exc)) from exc
    axes: dict[str, RangeAxis | list[Any]] = {}
    for path, spec in sweep.axes.items():
        where = f"axes.{path}"
        if isinstance(spec, list):
            if not spec:
                raise ScenarioError(f"{where} = []: a value list needs at least one value")
            if len(spec) > MAX_LIST_VALUES:
                raise ScenarioError(
                    f"{where}: {len(spec)} values; at most {MAX_LIST_VALUES} per axis "
                    "(use a range {min, max} for a continuous parameter)"
                )
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
                lines = _format(exc).splitlines()
                raise ScenarioError("\n".join(f"{where}.{line}" for line in lines)) from exc
            if not rng.min < rng.max:
                raise ScenarioError(
                    f"{where} = {{min = {rng.min}, max = {rng.max}}}: min must be below max"
                )
            axes[path] = rng
        else:
            raise ScenarioError(
                f"{where} = {_shown(spec)}: an axis is a list of values or a range {{min, max}}"
            )
    _check_design(sweep.design, axes)
    _check_size(sweep, axes)
    return sweep, axes


def _shown(value: Any, limit: int = 80) -> str:
    """A value as TOML-ish text for a message, cut to ``limit`` characters."""
    if isinstance(value, float) and not math.isfinite(value):
        text = str(value)
    else:
        text = json.dumps(value, default=str) if not isinstance(value, dict) else "{...}"
    return text if len(text) <= limit else f"{text[: limit - 20]}... ({len(text)} characters)"


def _format(exc: ValidationError) -> str:
    """One line per problem: the dotted field, the value given (shortened), what is allowed."""
    lines = []
    for err in exc.errors():
        path = _dotted(err["loc"])
        if err["type"] == "extra_forbidden":
            parent = _dotted(err["loc"][:-1])
            lines.append(f"{path}: unknown key{f' in {parent}' if parent else ''}")
            continue
        lines.append(f"{path} = {_shown(err.get('input'))}: {err['msg']}")
    return "\n".join(lines)


def _dotted(loc: tuple[int | str, ...]) -> str:
    """``("keep", "metrics", 0)`` as ``keep.metrics[0]``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _check_values(data: dict[str, Any]) -> None:
    """Refuse non-finite numbers anywhere, and nesting deeper than ``MAX_DEPTH``."""
    stack: list[tuple[str, Any, int]] = [(str(k), v, 1) for k, v in data.items()]
    while stack:
        path, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ScenarioError(f"{path}: nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, float) and not math.isfinite(value):
            raise ScenarioError(f"{path} = {value}: not a finite number")
        if isinstance(value, dict):
            stack += [(f"{path}.{k}", v, depth + 1) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(f"{path}[{i}]", v, depth + 1) for i, v in enumerate(value)]


def count_points(design: Design, axes: dict[str, RangeAxis | list[Any]]) -> int:
    """Number of design points, computed from the file alone (exact, however large)."""
    n_axes = len(axes)
    if design.kind == "full_factorial":
        return math.prod(
            len(spec) if isinstance(spec, list) else (spec.levels or 2) for spec in axes.values()
        )
    samples = design.samples or 0
    if design.kind == "latin_hypercube":
        return samples
    if design.kind == "sobol":
        return samples * ((2 * n_axes + 2) if design.second_order else (n_axes + 2))
    return samples * (n_axes + 1)  # morris


def _check_size(sweep: SweepFile, axes: dict[str, RangeAxis | list[Any]]) -> None:
    """Refuse designs whose runs or design matrix exceed the documented bounds."""
    kind = sweep.design.kind
    points = count_points(sweep.design, axes)
    field = "axes" if kind == "full_factorial" else "design.samples"
    if kind == "full_factorial":
        levels = " x ".join(str(len(s) if isinstance(s, list) else s.levels) for s in axes.values())
        made = f"{len(axes)} axes of {levels} levels make {points:,} points"
    else:
        made = f"a {kind} design of {sweep.design.samples} samples has {points:,} points"
    if points > MAX_RUNS:
        raise ScenarioError(
            f"{field}: {made}; at most {MAX_RUNS:,} runs per sweep "
            "(split the study into several sweeps, or use fewer levels or samples)"
        )
    runs = points * sweep.replicates
    if runs > MAX_RUNS:
        raise ScenarioError(
            f"replicates = {sweep.replicates}: {points:,} points x {sweep.replicates} "
            f"replicates = {runs:,} runs; at most {MAX_RUNS:,} runs per sweep"
        )
    cells = points * len(axes)
    if cells > MAX_DESIGN_CELLS:
        raise ScenarioError(
            f"{field}: {made} on {len(axes)} axes = {cells:,} design entries; at most "
            f"{MAX_DESIGN_CELLS:,} (points x axes) per sweep"
        )


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
    except RecursionError:
        raise ScenarioError(
            f"{origin}: arrays or tables nested too deeply (at most {MAX_DEPTH} levels)"
        ) from None


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
