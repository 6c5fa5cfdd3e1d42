"""Axes checked against the scenario schema, and the design matrix of a sweep.

A design is a float matrix ``samples[point, axis]`` in design order. For a range axis the
entry is the parameter value (rounded for integer parameters when applied); for a value-list
axis it is a position in the list (SALib samples the interval ``[0, len)`` and the position is
its floor), so every design treats lists as discrete levels.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from pydantic import BaseModel

from loyalsim.experiment.sweepfile import Design, RangeAxis
from loyalsim.scenario.fields import param_info
from loyalsim.scenario.io import ScenarioError, apply_overrides, known_paths, validate

# Entropy tag that keeps the design's own stream apart from the per-run seeds (which are
# children of SeedSequence(root) by run index), so sampling never reuses a run's seed.
_DESIGN_TAG = 0x5EED_DE51


@dataclass(frozen=True)
class Axis:
    """One swept parameter, resolved against the schema."""

    path: str
    values: tuple[Any, ...] | None  # a value list, or None for a range
    low: float = 0.0
    high: float = 0.0
    levels: int | None = None
    is_int: bool = False

    @property
    def numeric(self) -> bool:
        """Whether applied values are numbers (stored as a double column)."""
        if self.values is None:
            return True
        return all(isinstance(v, int | float) and not isinstance(v, bool) for v in self.values)

    def bounds(self) -> list[float]:
        """The interval SALib samples for this axis."""
        if self.values is None:
            return [self.low, self.high]
        return [0.0, float(len(self.values))]

    def apply(self, x: float) -> Any:
        """The parameter value for a design entry ``x``."""
        if self.values is not None:
            return self.values[min(int(np.floor(x)), len(self.values) - 1)]
        return round(float(x)) if self.is_int else float(x)

    def grid(self) -> list[float]:
        """Full-factorial entries of this axis."""
        if self.values is not None:
            return [float(i) for i in range(len(self.values))]
        return [float(v) for v in np.linspace(self.low, self.high, self.levels or 2)]

    def stored(self, value: Any) -> Any:
        """The value as kept in the manifest (non-numbers as JSON text)."""
        if self.numeric:
            return float(value)
        return value if isinstance(value, str) else json.dumps(value, default=str)

    def stored_column(self, x: np.ndarray) -> pa.Array:
        """``stored(apply(v))`` for every entry of ``x`` at once (design.parquet)."""
        if self.values is None:
            return pa.array(np.round(x) if self.is_int else x, pa.float64())
        position = np.minimum(np.floor(x).astype(np.int64), len(self.values) - 1)
        stored = [self.stored(v) for v in self.values]
        if self.numeric:
            return pa.array(np.asarray(stored, np.float64)[position], pa.float64())
        return pa.array(stored, pa.string()).take(pa.array(position))


def _annotation(config_type: type[BaseModel], path: str) -> tuple[type[BaseModel], str, Any]:
    """The model class, field name and annotation that a dotted path ends on."""
    owner: Any = config_type
    parts = path.split(".")
    i = 0
    while True:
        name = parts[i]
        ann = owner.model_fields[name].annotation
        i += 1
        if i == len(parts):
            return owner, name, ann
        while True:  # unwrap Optional / list[...] (a list index is the next part)
            origin = typing.get_origin(ann)
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            if origin in (typing.Union, types.UnionType) and len(args) == 1:
                ann = args[0]
            elif origin is list and parts[i].isdigit():
                ann, i = args[0], i + 1
            else:
                break
        owner = ann


def _numeric_kind(ann: Any) -> str | None:
    args = [a for a in typing.get_args(ann) if a is not type(None)]
    if args and typing.get_origin(ann) in (typing.Union, types.UnionType) and len(args) == 1:
        ann = args[0]
    if ann is int:
        return "int"
    if ann is float:
        return "float"
    return None


def _bound_text(info: dict[str, Any]) -> str:
    low = f"{info['ge']} <= " if "ge" in info else f"{info['gt']} < " if "gt" in info else ""
    high = f" <= {info['le']}" if "le" in info else f" < {info['lt']}" if "lt" in info else ""
    return f"{low}value{high}" if low or high else "any number"


def _check_range(path: str, rng: RangeAxis, info: dict[str, Any]) -> None:
    allowed = _bound_text(info)
    for key, value in (("min", rng.min), ("max", rng.max)):
        too_low = ("ge" in info and value < info["ge"]) or ("gt" in info and value <= info["gt"])
        too_high = ("le" in info and value > info["le"]) or ("lt" in info and value >= info["lt"])
        if too_low or too_high:
            raise ScenarioError(
                f"axes.{path}.{key} = {value}: outside the schema's bounds; allowed: {allowed}"
            )


def resolve_axes(
    base: dict[str, Any],
    base_config: BaseModel,
    raw_axes: dict[str, RangeAxis | list[Any]],
    on_config: Callable[[BaseModel], None] | None = None,
) -> list[Axis]:
    """Check every axis against the schema: the path exists, values validate, ranges fit.

    ``on_config`` sees each scenario validated on the way (the base with one axis at one of
    its values or range ends).
    """
    allowed = known_paths(base_config)
    config_type = type(base_config)
    model = str(getattr(base_config, "model", "loyalty"))
    axes: list[Axis] = []
    for path, spec in raw_axes.items():
        if path not in allowed:
            raise ScenarioError(
                f"axes.{path}: unknown parameter of model {model!r} "
                "(an axis names one parameter by its dotted path, e.g. lapses.base_logit)"
            )
        owner, name, ann = _annotation(config_type, path)
        if isinstance(spec, RangeAxis):
            kind = _numeric_kind(ann)
            if kind is None:
                raise ScenarioError(
                    f"axes.{path} = {{min = {spec.min}, max = {spec.max}}}: a range needs a "
                    "numeric parameter; give a list of values instead"
                )
            _check_range(path, spec, param_info(owner, name))
            axis = Axis(path, None, spec.min, spec.max, spec.levels, kind == "int")
            probes = [axis.apply(spec.min), axis.apply(spec.max)]
        else:
            axis = Axis(path, tuple(spec))
            probes = list(spec)
        for j, value in enumerate(probes):
            try:
                probe = validate(apply_overrides(base, {path: value}))
            except ScenarioError as exc:
                where = f"axes.{path}" + (f"[{j}]" if axis.values is not None else "")
                raise ScenarioError(
                    f"{where} = {value!r} is refused by the scenario: {exc}"
                ) from exc
            if on_config is not None:
                on_config(probe)
        axes.append(axis)
    return axes


def design_seed(root: int) -> int:
    """The seed of the design sampler (SALib), from its own branch of the root seed."""
    seq = np.random.SeedSequence(entropy=[root, _DESIGN_TAG])
    return int(seq.generate_state(1, np.uint32)[0])


def salib_problem(axes: list[Axis]) -> dict[str, Any]:
    """The SALib problem dict for the axes."""
    return {
        "num_vars": len(axes),
        "names": [a.path for a in axes],
        "bounds": [a.bounds() for a in axes],
    }


def sample(design: Design, axes: list[Axis], root: int) -> np.ndarray:
    """The design matrix ``[point, axis]`` in design order."""
    problem = salib_problem(axes)
    seed = design_seed(root)
    if design.kind == "points":  # lists of one length, taken together, not crossed
        n_points = len(axes[0].values or ())
        return np.tile(np.arange(n_points, dtype=np.float64)[:, None], (1, len(axes)))
    if design.kind == "full_factorial":
        # itertools.product order (last axis fastest), without a tuple per point.
        mesh = np.meshgrid(*(np.asarray(a.grid(), np.float64) for a in axes), indexing="ij")
        return np.stack([m.reshape(-1) for m in mesh], axis=1)
    assert design.samples is not None  # checked when the sweep file was parsed
    if design.kind == "latin_hypercube":
        from SALib.sample import latin

        return np.asarray(latin.sample(problem, design.samples, seed=seed))
    if design.kind == "sobol":
        from SALib.sample import sobol

        return np.asarray(
            sobol.sample(problem, design.samples, calc_second_order=design.second_order, seed=seed)
        )
    from SALib.sample import morris

    return np.asarray(morris.sample(problem, design.samples, num_levels=design.levels, seed=seed))
