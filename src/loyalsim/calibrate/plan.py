"""A calibration plan: the checked target file with its base scenario, priors and targets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel

from loyalsim.calibrate.checks import resolve_targets
from loyalsim.calibrate.priors import Prior, resolve_prior
from loyalsim.calibrate.summary import ResolvedTarget
from loyalsim.calibrate.targets import (
    TargetFile,
    parse_target_file,
    read_target_text,
    text_hash,
)
from loyalsim.scenario.io import (
    ScenarioError,
    apply_overrides,
    load,
    raw_source,
    scenario_hash,
)


@dataclass(frozen=True)
class CalibrationPlan:
    """Everything a calibration needs, checked: nothing is run to build it."""

    spec: TargetFile
    text: str  # the resolved target file (TOML)
    file_hash: str
    base_source: str
    overrides: dict[str, Any]  # [set] and a --population, by dotted path
    base: dict[str, Any]  # the raw base scenario with the overrides applied
    config: BaseModel
    priors: tuple[Prior, ...]
    targets: tuple[ResolvedTarget, ...]

    @property
    def model(self) -> str:
        return str(getattr(self.config, "model", "loyalty"))

    def metadata(self) -> dict[str, Any]:
        """What ``calibration.json`` records about the plan."""
        return {
            "name": self.spec.name,
            "description": self.spec.description,
            "file_hash": self.file_hash,
            "model": self.model,
            "base": self.spec.base,
            "base_source": self.base_source,
            "set": self.overrides,
            "base_scenario_hash": scenario_hash(self.config),
            "seed": self.spec.seed,
            "abc": self.spec.abc.model_dump(),
            "parameters": [
                {"path": p.path, "prior": p.kind, "low": p.low, "high": p.high, "key": p.key}
                for p in self.priors
            ],
            "targets": [
                {
                    "key": t.key,
                    "metric": t.series.metric,
                    "group": t.series.group,
                    "first": t.series.first,
                    "last": t.series.last,
                    "statistic": t.statistic,
                    "rate": t.rate,
                    "observed": t.observed,
                    "low": t.low,
                    "high": t.high,
                    "source": t.source,
                }
                for t in self.targets
            ],
        }


def _resolve_base(base: str, origin: Path | None) -> str:
    """A base given as a relative .toml path is read relative to the target file."""
    if origin is not None and base.endswith(".toml") and not Path(base).is_absolute():
        candidate = Path(origin).parent / base
        if candidate.exists():
            return str(candidate)
    return base


def plan_from_text(
    text: str, origin: str, path: Path | None = None, population: int | None = None
) -> CalibrationPlan:
    """Parse and check a target file; ScenarioError on any problem. ``population`` scales
    the base scenario (as ``--population`` does) before anything is checked."""
    spec = parse_target_file(text, origin, path)
    base_source = _resolve_base(spec.base, path)
    overrides = dict(spec.set)
    if population is not None:
        overrides["population.n_people"] = population
    try:
        raw_source(base_source)
    except ScenarioError as exc:
        raise ScenarioError(f"base = {spec.base!r}: {exc}") from exc
    try:
        config = load(base_source, overrides=overrides or None)
    except ScenarioError as exc:
        raise ScenarioError(f"set: {exc}") from exc
    base = apply_overrides(raw_source(base_source), overrides)
    seen: dict[str, int] = {}
    priors = []
    for i, p in enumerate(spec.parameters):
        if p.path in seen:
            raise ScenarioError(
                f"parameters.{i}.path = {p.path!r}: already fitted by parameters.{seen[p.path]}"
            )
        if p.path in spec.set:
            raise ScenarioError(
                f"parameters.{i}.path = {p.path!r}: also fixed in [set]; fit it or fix it"
            )
        seen[p.path] = i
        priors.append(resolve_prior(i, p.path, p.prior, (p.low, p.high), base, config))
    targets = resolve_targets(spec.targets, config)
    # The resolved file (``extends`` applied) and the population size decide the results,
    # so a directory is resumed only by a calibration that matches both.
    resolved = resolved_text(spec, origin, population)
    digest = text_hash(resolved)
    return CalibrationPlan(
        spec, resolved, digest, base_source, overrides, base, config, tuple(priors), targets
    )


def resolved_text(spec: TargetFile, origin: str, population: int | None) -> str:
    """The target file as resolved (what a calibration directory keeps as targets.toml)."""
    head = f"# Resolved from {origin}" + (
        f" with --population {population}\n" if population is not None else "\n"
    )
    return head + tomli_w.dumps(spec.model_dump(mode="python", exclude_none=True))


def plan_from_file(path: Path, population: int | None = None) -> CalibrationPlan:
    """A calibration plan from a target file."""
    return plan_from_text(read_target_text(path), str(path), Path(path), population)
