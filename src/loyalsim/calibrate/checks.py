"""Check targets against the metric catalogue and the base scenario, before anything runs.

Each check raises ``ScenarioError`` naming the target's dotted field (``targets.2.group``),
the value given and what is allowed (the valid metrics or groups, with the nearest first).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from pydantic import BaseModel

from loyalsim import catalogue
from loyalsim.calibrate.summary import ResolvedTarget, SeriesRef
from loyalsim.calibrate.targets import TargetSpec, Window
from loyalsim.scenario.io import ScenarioError

NORMALISED = ("share", "per_1000_people", "per_work_unit")


def model_groups(config: BaseModel) -> list[str]:
    """The groups a run of this scenario records."""
    model = str(getattr(config, "model", "loyalty"))
    if model != "loyalty":
        return list(catalogue.CLASSIC_GROUPS.get(model, ("all",)))
    provinces = [p.name for p in config.population.provinces]  # type: ignore[attr-defined]
    return catalogue.loyalty_groups(provinces, bool(config.amnesty.enabled))  # type: ignore[attr-defined]


def _metric(where: str, name: str, model: str) -> catalogue.Metric:
    allowed = catalogue.names(model)
    if name not in allowed:
        raise ScenarioError(
            f"{where} = {name!r}: {catalogue.unknown_message('metric', name, allowed)}"
        )
    return catalogue.METRICS[name]


def _group(where: str, group: str, groups: list[str]) -> str:
    if group not in groups:
        raise ScenarioError(
            f"{where} = {group!r}: {catalogue.unknown_message('group', group, groups)}"
        )
    return group


def _steps(where: str, window: Window, config: BaseModel) -> tuple[int | None, int | None]:
    """Inclusive steps of a window; dates need the weekly calendar of the loyalty model."""
    model = str(getattr(config, "model", "loyalty"))
    dated = window.start is not None or window.end is not None
    if model != "loyalty":
        if dated:
            raise ScenarioError(
                f"{where}: model {model!r} has no calendar; give steps (first, last) instead"
            )
        return window.first, window.last
    time: Any = config.time  # type: ignore[attr-defined]
    n_steps = int(time.n_steps)
    t0: dt.date = time.start
    span = f"the scenario runs from {t0} to {t0 + dt.timedelta(weeks=n_steps - 1)}"
    if dated:
        first = 0 if window.start is None else math.ceil((window.start - t0).days / 7)
        last = n_steps - 1 if window.end is None else (window.end - t0).days // 7
        given = f"{window.start or '(start)'} to {window.end or '(end)'}"
        if first > n_steps - 1 or last < 0 or first > last:
            raise ScenarioError(f"{where} = {given}: covers no step; {span} (weekly steps)")
        return max(first, 0), min(last, n_steps - 1)
    for key, step in (("first", window.first), ("last", window.last)):
        if step is not None and step > n_steps - 1:
            raise ScenarioError(
                f"{where}.{key} = {step}: after the last step; allowed: 0 to {n_steps - 1} ({span})"
            )
    return window.first, window.last


def _check_statistic(where: str, spec: TargetSpec, metric: catalogue.Metric, model: str) -> None:
    stat = spec.statistic
    if stat == "sum" and not metric.summable:
        raise ScenarioError(
            f"{where}.statistic = 'sum': adds weeks, which only event counts allow; "
            f"{metric.name!r} is of kind {metric.kind!r}: use mean, first, last, min or max"
        )
    if stat in NORMALISED:
        if metric.kind not in ("count", "level"):
            raise ScenarioError(
                f"{where}.statistic = {stat!r}: divides counts or levels by the group's size; "
                f"{metric.name!r} is already a {metric.kind}: use mean"
            )
        if model != "loyalty":
            raise ScenarioError(
                f"{where}.statistic = {stat!r}: needs the head counts of the loyalty model; "
                f"model {model!r}: use a ratio with a denominator instead"
            )
    if stat == "per_work_unit" and not (spec.group == "all" or spec.group.startswith("province:")):
        raise ScenarioError(
            f"{where}.group = {spec.group!r}: work units are counted for 'all' and the "
            "provinces only (statistic 'per_work_unit')"
        )
    if spec.rate != "window":
        sums = stat in ("sum", *NORMALISED) and metric.summable
        if not sums or model != "loyalty":
            raise ScenarioError(
                f"{where}.rate = {spec.rate!r}: a rate divides a total of weekly event "
                "counts by the window's length (statistic sum, share, per_1000_people or "
                "per_work_unit of a count metric, weekly models); use rate = 'window'"
            )


def _domain(stat: str, metric: catalogue.Metric) -> tuple[float, float]:
    """Values the statistic can take (conservative: only what the catalogue guarantees)."""
    low = 0.0 if metric.kind in ("count", "level", "share", "ratio") else -math.inf
    high = math.inf
    if stat in ("mean", "first", "last", "min", "max") and metric.kind == "share":
        high = 1.0
    if stat == "share" and metric.kind == "level":
        high = 1.0
    return low, high


def _interval(where: str, spec: TargetSpec) -> tuple[float, float, float]:
    """(observed, low, high) of the accepted interval; every number must be finite."""
    for key in ("value", "tolerance"):
        number = getattr(spec, key)
        if number is not None and not math.isfinite(number):
            raise ScenarioError(f"{where}.{key} = {number}: must be a finite number")
    if spec.range is not None:
        low, high = spec.range
        if not (math.isfinite(low) and math.isfinite(high)):
            raise ScenarioError(f"{where}.range = [{low}, {high}]: must be finite numbers")
        observed = spec.value if spec.value is not None else (low + high) / 2
        return observed, low, high
    assert spec.value is not None and spec.tolerance is not None  # checked by the schema
    return spec.value, spec.value - spec.tolerance, spec.value + spec.tolerance


def resolve_target(index: int, spec: TargetSpec, config: BaseModel) -> ResolvedTarget:
    """Check one target against the catalogue and the base scenario."""
    where = f"targets.{index}"
    model = str(getattr(config, "model", "loyalty"))
    groups = model_groups(config)
    metric = _metric(f"{where}.metric", spec.metric, model)
    group = _group(f"{where}.group", spec.group, groups)
    first, last = _steps(f"{where}.window", spec.window, config)
    _check_statistic(where, spec, metric, model)
    denominator = None
    den_stat = "sum"
    if spec.denominator is not None:
        den = spec.denominator
        den_metric = _metric(f"{where}.denominator.metric", den.metric, model)
        den_group = _group(f"{where}.denominator.group", den.group or group, groups)
        den_first, den_last = (
            (first, last)
            if den.window is None
            else _steps(f"{where}.denominator.window", den.window, config)
        )
        if den.statistic == "sum" and not den_metric.summable:
            raise ScenarioError(
                f"{where}.denominator.statistic = 'sum': {den_metric.name!r} is of kind "
                f"{den_metric.kind!r}; use mean, first, last, min or max"
            )
        denominator = SeriesRef(den_metric.name, den_group, den_first, den_last)
        den_stat = den.statistic
    observed, low, high = _interval(where, spec)
    dom_low, dom_high = _domain(spec.statistic, metric)
    if high < dom_low or low > dom_high:
        raise ScenarioError(
            f"{where}: the accepted values [{low:g}, {high:g}] are impossible: statistic "
            f"{spec.statistic!r} of {metric.name!r} ({metric.kind}) lies in "
            f"[{dom_low:g}, {dom_high:g}]"
        )
    return ResolvedTarget(
        key=spec.name or f"{metric.name}[{group}].{spec.statistic}",
        series=SeriesRef(metric.name, group, first, last),
        statistic=spec.statistic,
        rate=spec.rate,
        summable=metric.summable,
        denominator=denominator,
        denominator_statistic=den_stat,
        observed=observed,
        low=low,
        high=high,
        source=spec.source,
    )


def resolve_targets(specs: list[TargetSpec], config: BaseModel) -> tuple[ResolvedTarget, ...]:
    """Every target checked; names must be unique (unnamed ones are named after the metric)."""
    out = [resolve_target(i, spec, config) for i, spec in enumerate(specs)]
    seen: dict[str, int] = {}
    for i, target in enumerate(out):
        if target.key in seen:
            raise ScenarioError(
                f"targets.{i}.name = {target.key!r}: same name as targets.{seen[target.key]}; "
                "give each target a distinct name"
            )
        seen[target.key] = i
    return tuple(out)
