"""Priors of the parameters to fit, checked against the scenario schema's bounds.

A uniform prior on ``[low, high]`` is sampled as is; a log-uniform one as a uniform prior on
``[log10 low, log10 high]`` (so the ABC proposal kernels also work on the log scale, where
such parameters vary), and mapped back to the parameter's value before each run.
"""

from __future__ import annotations

import math
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from loyalsim.scenario.fields import param_info
from loyalsim.scenario.io import ScenarioError, apply_overrides, known_paths, validate

PriorKind = Literal["uniform", "log-uniform"]


@dataclass(frozen=True)
class Prior:
    """One fitted parameter: dotted path, prior family and interval, integer or not."""

    path: str
    kind: PriorKind
    low: float
    high: float
    is_int: bool = False

    @property
    def key(self) -> str:
        """The name of the ABC variable (the log10 of the value for log-uniform priors)."""
        return f"log10:{self.path}" if self.kind == "log-uniform" else self.path

    @property
    def sampled_low(self) -> float:
        return math.log10(self.low) if self.kind == "log-uniform" else self.low

    @property
    def sampled_high(self) -> float:
        return math.log10(self.high) if self.kind == "log-uniform" else self.high

    def value(self, sampled: float) -> float | int:
        """The parameter value for an ABC variable's value."""
        x = 10.0 ** float(sampled) if self.kind == "log-uniform" else float(sampled)
        x = min(max(x, self.low), self.high)  # 10 ** log10(x) may round just outside
        return round(x) if self.is_int else x


def _field(config_type: type[BaseModel], path: str) -> tuple[type[BaseModel], str, Any]:
    """The model class, field name and annotation that a dotted path ends on."""
    owner: Any = config_type
    parts = path.split(".")
    i = 0
    while True:
        name = parts[i]
        annotation = owner.model_fields[name].annotation
        i += 1
        if i == len(parts):
            return owner, name, annotation
        while True:  # Optional[...] and list[...] (a list index is the next part)
            origin = typing.get_origin(annotation)
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if origin in (typing.Union, types.UnionType) and len(args) == 1:
                annotation = args[0]
            elif origin is list and parts[i].isdigit():
                annotation, i = args[0], i + 1
            else:
                break
        owner = annotation


def _bounds_text(info: dict[str, Any]) -> str:
    low = f"{info['ge']} <= " if "ge" in info else f"{info['gt']} < " if "gt" in info else ""
    high = f" <= {info['le']}" if "le" in info else f" < {info['lt']}" if "lt" in info else ""
    return f"{low}value{high}" if low or high else "any number"


def _inside(value: float, info: dict[str, Any]) -> bool:
    return not (
        ("ge" in info and value < info["ge"])
        or ("gt" in info and value <= info["gt"])
        or ("le" in info and value > info["le"])
        or ("lt" in info and value >= info["lt"])
    )


def resolve_prior(
    index: int,
    path: str,
    kind: PriorKind,
    bounds: tuple[float, float],
    base: dict[str, Any],
    config: BaseModel,
) -> Prior:
    """Check one ``[[parameters]]`` entry against the base scenario; ScenarioError if bad.

    ``base`` is the raw base scenario and ``config`` the same validated."""
    where = f"parameters.{index}"
    low, high = bounds
    model = str(getattr(config, "model", "loyalty"))
    if path not in known_paths(config):
        raise ScenarioError(
            f"{where}.path = {path!r}: unknown parameter of model {model!r} "
            "(name one parameter by its dotted path, e.g. lapses.base_logit)"
        )
    owner, name, annotation = _field(type(config), path)
    if annotation not in (int, float):
        raise ScenarioError(
            f"{where}.path = {path!r}: not a numeric parameter ({annotation}); "
            "only numbers can be fitted"
        )
    if not low < high:
        raise ScenarioError(f"{where}: low = {low} must be below high = {high}")
    info = param_info(owner, name)
    for key, value in (("low", low), ("high", high)):
        if not _inside(value, info):
            raise ScenarioError(
                f"{where}.{key} = {value}: outside the schema's bounds of {path}; "
                f"allowed: {_bounds_text(info)}"
            )
    if kind == "log-uniform" and low <= 0:
        raise ScenarioError(
            f"{where}.low = {low}: a log-uniform prior needs low > 0; use prior = 'uniform'"
        )
    prior = Prior(path, kind, float(low), float(high), annotation is int)
    if prior.is_int and math.floor(high) < math.ceil(low):
        raise ScenarioError(f"{where}: no integer lies between low = {low} and high = {high}")
    for key, sampled in (("low", prior.sampled_low), ("high", prior.sampled_high)):
        value = prior.value(sampled)
        try:
            validate(apply_overrides(base, {path: value}))
        except ScenarioError as exc:
            raise ScenarioError(
                f"{where}.{key} = {value} is refused by the scenario: {exc}"
            ) from exc
    return prior
