"""The target file: what to fit, to which reported facts, and how (typed, validated TOML).

A target file names a base scenario, the parameters to fit with their priors, and the
targets: each a statistic of one metric in one group over a time window, with the observed
value and a tolerance (or a range) and its source. Example::

    name = "c6-accusations"
    extends = "default"               # optional: a shipped target file or a path to start from
    base = "default"                  # a preset name or a scenario .toml (relative to this file)
    seed = 1

    [set]                             # fixed overrides of the base, by dotted path
    "population.n_people" = 20000

    [abc]                             # ABC-SMC settings (all optional)
    population = 100                  # accepted particles per generation
    generations = 8                   # at most
    final_epsilon = 1.0               # stop once every target is within its tolerance

    [[parameters]]
    path = "lapses.detect_base"
    prior = "log-uniform"             # or "uniform"
    low = 0.005
    high = 0.2

    [[targets]]
    name = "accused_per_unit_month"
    metric = "accused"
    group = "province:South Hamgyong"
    window = { start = 2026-02-02 }   # dates, or steps: { first = 56, last = 103 }
    statistic = "per_work_unit"       # see STATISTICS
    rate = "month"                    # sums per week, month or year of the window
    value = 2.0
    tolerance = 1.5                   # or range = [0.5, 5.0]
    source = "C6"                     # a claim ID, a published figure, or "assumption"

Every problem is raised as ``ScenarioError`` naming the dotted field (``targets.0.metric``),
the value and what is allowed, before anything runs; ``resolve`` checks metrics, groups,
windows and priors against the base scenario and the metric catalogue.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from loyalsim.scenario.io import ScenarioError, format_validation_error

AGGREGATES = ("mean", "sum", "first", "last", "min", "max")
STATISTICS = (*AGGREGATES, "share", "per_1000_people", "per_work_unit", "ratio")
RATES = ("window", "week", "month", "year")

Aggregate = Literal["mean", "sum", "first", "last", "min", "max"]
Statistic = Literal[
    "mean",
    "sum",
    "first",
    "last",
    "min",
    "max",
    "share",
    "per_1000_people",
    "per_work_unit",
    "ratio",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Window(_Strict):
    """Steps a statistic reads: dates (``start``, ``end``) or steps (``first``, ``last``).

    Both ends are inclusive; an end left out is the run's first or last step."""

    start: dt.date | None = None
    end: dt.date | None = None
    first: int | None = Field(None, ge=0)
    last: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _one_kind(self) -> Window:
        dates = self.start is not None or self.end is not None
        steps = self.first is not None or self.last is not None
        if dates and steps:
            raise ValueError("give dates (start, end) or steps (first, last), not both")
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        if self.first is not None and self.last is not None and self.last < self.first:
            raise ValueError(f"last {self.last} is before first {self.first}")
        return self


class Denominator(_Strict):
    """The divisor of a ``ratio`` target: a statistic of another metric."""

    metric: str = Field(..., min_length=1)
    group: str | None = Field(None, description="Default: the target's group.")
    statistic: Aggregate = "sum"
    window: Window | None = Field(None, description="Default: the target's window.")


class TargetSpec(_Strict):
    """One reported fact, as written in the file."""

    name: str | None = Field(None, min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_.:-]+$")
    metric: str = Field(..., min_length=1)
    group: str = "all"
    window: Window = Field(default_factory=lambda: Window.model_validate({}))
    statistic: Statistic = "mean"
    rate: Literal["window", "week", "month", "year"] = "window"
    denominator: Denominator | None = None
    value: float | None = None
    tolerance: float | None = Field(None, gt=0)
    range: tuple[float, float] | None = None
    source: str = Field(..., min_length=1)
    note: str = ""

    @model_validator(mode="after")
    def _observed(self) -> TargetSpec:
        if (self.tolerance is None) == (self.range is None):
            raise ValueError("give either tolerance (with value) or range = [low, high]")
        if self.tolerance is not None and self.value is None:
            raise ValueError("a tolerance needs the observed value")
        if self.range is not None:
            low, high = self.range
            if not low < high:
                raise ValueError(f"range = [{low}, {high}]: low must be below high")
            if self.value is not None and not low <= self.value <= high:
                raise ValueError(f"value {self.value} lies outside range [{low}, {high}]")
        if (self.statistic == "ratio") != (self.denominator is not None):
            raise ValueError("statistic 'ratio' needs a denominator, and only it takes one")
        return self


class ParameterSpec(_Strict):
    """One parameter to fit, by dotted path, with its prior."""

    path: str = Field(..., min_length=1)
    prior: Literal["uniform", "log-uniform"] = "uniform"
    low: float
    high: float


class AbcSettings(_Strict):
    """How the ABC-SMC sampler runs."""

    population: int = Field(100, ge=2, le=1_000_000, description="Particles per generation.")
    generations: int = Field(8, ge=1, le=1000, description="Generations at most.")
    final_epsilon: float = Field(
        1.0, ge=0.0, description="Stop once the tolerance is at or below this (1: all targets)."
    )
    quantile: float = Field(
        0.5, gt=0.0, lt=1.0, description="Next tolerance: this quantile of the last distances."
    )
    min_acceptance_rate: float = Field(
        0.0, ge=0.0, le=1.0, description="Stop when a generation accepts less than this."
    )
    replicates: int = Field(1, ge=1, le=1000, description="Runs per particle, averaged.")
    predictive: int = Field(50, ge=0, le=1_000_000, description="Posterior predictive runs.")


class TargetFile(_Strict):
    """The whole target file as written by the user."""

    name: str = Field("calibration", min_length=1)
    description: str = ""
    base: str = Field("default", min_length=1)
    seed: int = Field(..., ge=0, le=2**63 - 1)
    set: dict[str, Any] = Field(default_factory=dict)
    abc: AbcSettings = Field(default_factory=lambda: AbcSettings.model_validate({}))
    parameters: list[ParameterSpec] = Field(..., min_length=1)
    targets: list[TargetSpec] = Field(..., min_length=1)


def _flatten(node: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Unquoted dotted TOML keys arrive nested; flatten them back to dotted paths."""
    out: dict[str, Any] = {}
    for key, value in node.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            out.update(_flatten(value, path))
        else:
            out[path] = value
    return out


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; anything else (the parameter and target lists too) replaces."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def shipped_path(name: str) -> Path:
    """Where a target file shipped with loyalsim lives (``default``: the reported facts)."""
    from importlib import resources

    return Path(str(resources.files("loyalsim.calibrate") / "targets" / f"{name}.toml"))


def shipped_names() -> list[str]:
    folder = shipped_path("default").parent
    return sorted(p.stem for p in folder.glob("*.toml"))


def _load_dict(text: str, origin: str, path: Path | None, seen: tuple[str, ...] = ()) -> dict:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{origin}: not valid TOML: {exc}") from exc
    if isinstance(data.get("set"), dict):
        data["set"] = _flatten(data["set"])
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(f"extends = {parent!r}: a shipped target file's name or a path")
    if parent in seen:
        raise ScenarioError(f"extends: cycle through {parent!r}")
    if parent.endswith(".toml"):
        source = (
            Path(parent) if path is None or Path(parent).is_absolute() else path.parent / parent
        )
    elif parent in shipped_names():
        source = shipped_path(parent)
    else:
        raise ScenarioError(
            f"extends = {parent!r}: unknown target file; allowed: {', '.join(shipped_names())} "
            "(or a path to a .toml file)"
        )
    base = _load_dict(read_target_text(source), str(source), source, (*seen, parent))
    if isinstance(base.get("base"), str) and base["base"].endswith(".toml") and "base" not in data:
        base["base"] = str((source.parent / base["base"]).resolve())  # keep it relative to its file
    return _merge(base, data)


def parse_target_file(text: str, origin: str, path: Path | None = None) -> TargetFile:
    """Parse and validate the shape of a target file (``extends`` resolved); ScenarioError
    on any problem."""
    data = _load_dict(text, origin, path)
    try:
        return TargetFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(exc, data)) from exc


def read_target_text(path: Path) -> str:
    """The text of a target file; ScenarioError if it cannot be read."""
    try:
        return Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read target file {str(path)!r}: {exc}") from exc


def text_hash(text: str) -> str:
    """SHA-256 of a target file's text (guards a calibration directory on resume)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
