"""A sweep plan: the validated sweep file, its design matrix and the stream of run specs.

Run ``k`` in design order (point ``k // replicates``, replicate ``k % replicates``) gets the
seed of child ``k`` of ``SeedSequence(root)`` (what ``SeedSequence(root).spawn(n)[k]`` gives,
computed directly so that no list of n children is ever held). Its id hashes the resolved
scenario, that seed and the replicate number (``run_id_for``), so identical points in one
design (Morris trajectories often revisit a point) still get distinct runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

from loyalsim.experiment.design import Axis, resolve_axes, salib_problem, sample
from loyalsim.experiment.keep import Recordable
from loyalsim.experiment.single import run_id_for
from loyalsim.experiment.sweepfile import (
    SweepFile,
    canonical_hash,
    load_sweep_dict,
    parse_sweep,
    read_sweep_text,
    resolve_base,
)
from loyalsim.experiment.work import RunSpec
from loyalsim.scenario.io import (
    ScenarioError,
    apply_overrides,
    load,
    raw_source,
    scenario_hash,
    validate,
)


def spawn_seed(root: int, index: int) -> int:
    """Seed of run ``index``: child ``index`` of ``SeedSequence(root)``, as 63 bits."""
    child = np.random.SeedSequence(entropy=root, spawn_key=(index,))
    return int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))


@dataclass
class SweepPlan:
    """A checked sweep: base scenario, axes, design matrix; yields run specs lazily."""

    sweep: SweepFile
    text: str
    sweep_hash: str
    base: dict[str, Any]
    base_config: BaseModel
    axes: list[Axis]
    samples: np.ndarray

    @property
    def n_points(self) -> int:
        return int(self.samples.shape[0])

    @property
    def n_runs(self) -> int:
        return self.n_points * self.sweep.replicates

    @property
    def model(self) -> str:
        return str(getattr(self.base_config, "model", "loyalty"))

    def point_values(self, point: int) -> dict[str, Any]:
        """Parameter values of design point ``point``, by dotted path."""
        return {a.path: a.apply(x) for a, x in zip(self.axes, self.samples[point], strict=True)}

    def point_config(self, point: int) -> BaseModel:
        """The resolved scenario of a design point."""
        return validate(apply_overrides(self.base, self.point_values(point)))

    def specs(self, done: np.ndarray | None = None) -> Iterator[RunSpec]:
        """Run specs in design order, one point at a time, leaving out the run indices
        where the boolean mask ``done`` is true (a point whose runs are all done is not
        even resolved)."""
        keep = self.sweep.keep
        metrics = tuple(keep.metrics) if keep.metrics else None
        groups = tuple(keep.groups) if keep.groups else None
        reps = self.sweep.replicates
        for point in range(self.n_points):
            if done is not None and done[point * reps : (point + 1) * reps].all():
                continue
            values = self.point_values(point)
            config = validate(apply_overrides(self.base, values))
            point_id = scenario_hash(config)[:16]
            stored = tuple((a.path, a.stored(values[a.path])) for a in self.axes)
            for rep in range(reps):
                index = point * reps + rep
                if done is not None and done[index]:
                    continue
                seed = spawn_seed(self.sweep.seed, index)
                run_id = run_id_for(config, seed, rep)
                yield RunSpec(
                    index, run_id, point, point_id, rep, seed, stored, config, metrics, groups
                )

    def metadata(self) -> dict[str, Any]:
        """What the sweep directory records about the plan (``sweep.json``)."""
        return {
            "name": self.sweep.name,
            "sweep_hash": self.sweep_hash,
            "model": self.model,
            "base": self.sweep.base,
            "base_scenario_hash": scenario_hash(self.base_config),
            "design": self.sweep.design.model_dump(),
            "axes": [
                {"path": a.path, "numeric": a.numeric, "values": a.values, "bounds": a.bounds()}
                for a in self.axes
            ],
            "problem": salib_problem(self.axes),
            "replicates": self.sweep.replicates,
            "seed": self.sweep.seed,
            "n_points": self.n_points,
            "n_runs": self.n_runs,
            "keep": self.sweep.keep.model_dump(),
        }


def plan_from_text(text: str, origin: str, sweep_path: Path | None = None) -> SweepPlan:
    """Parse, validate and sample a sweep; ScenarioError on any problem."""
    sweep, raw_axes = parse_sweep(load_sweep_dict(text, origin))
    base_source = resolve_base(sweep.base, sweep_path)
    try:
        base = raw_source(base_source)
    except ScenarioError as exc:
        raise ScenarioError(f"base = {sweep.base!r}: {exc}") from exc
    try:
        load(base_source, overrides=sweep.set or None)  # checks the [set] paths exist
    except ScenarioError as exc:
        raise ScenarioError(f"set: {exc}") from exc
    if sweep.set:
        base = apply_overrides(base, sweep.set)
    base_config = validate(base)
    recordable = Recordable()
    recordable.add(base_config)
    axes = resolve_axes(base, base_config, raw_axes, recordable.add)
    recordable.check(sweep.keep)
    samples = sample(sweep.design, axes, sweep.seed)
    payload = {"sweep": sweep.model_dump(mode="json"), "base": scenario_hash(base_config)}
    return SweepPlan(sweep, text, canonical_hash(payload), base, base_config, axes, samples)


def plan_from_file(path: Path) -> SweepPlan:
    """A sweep plan from a sweep TOML file."""
    return plan_from_text(read_sweep_text(path), str(path), Path(path))
