"""What ABC-SMC evaluates: a particle's parameters -> runs -> target statistics -> distance.

The distance is the largest deviation of any target from its observed value, in units of
its tolerance (half the width of its range): a particle at distance 1 or less meets every
target, so a tolerance (epsilon) schedule reaching 1 means the posterior is the set of
parameter values consistent with all the reported facts at the stated tolerances.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyabc.epsilon import QuantileEpsilon

from loyalsim.calibrate.priors import Prior
from loyalsim.calibrate.summary import ResolvedTarget, evaluate
from loyalsim.models import get_model
from loyalsim.scenario.io import ScenarioError, apply_overrides, validate

# A run whose statistics are undefined (no rows, a zero denominator) or a parameter vector
# the scenario refuses gets this distance: finite, so pyabc's quantiles stay defined, and far
# beyond any tolerance, so it is never accepted once the schedule has started.
UNDEFINED_DISTANCE = 1e9
MAX_SEED = 2**62


@dataclass(frozen=True)
class ParticleModel:
    """Runs the base scenario at a particle's parameter values (picklable, for workers)."""

    base: dict[str, Any]
    priors: tuple[Prior, ...]
    targets: tuple[ResolvedTarget, ...]
    replicates: int = 1

    def values(self, theta: Mapping[str, float]) -> dict[str, float | int]:
        """Parameter values by dotted path for the ABC variables ``theta``."""
        return {p.path: p.value(theta[p.key]) for p in self.priors}

    def statistics(self, theta: Mapping[str, float], seeds: list[int]) -> dict[str, float]:
        """Each target's statistic, averaged over one run per seed (NaN if undefined)."""
        try:
            config = validate(apply_overrides(self.base, self.values(theta)))
        except ScenarioError:  # e.g. two fitted parameters that must stay ordered
            return {t.key: math.nan for t in self.targets}
        model = get_model(str(getattr(config, "model", "loyalty")))
        runs = [
            evaluate(model.simulate(config, seed, f"abc-{seed}", None), self.targets)
            for seed in seeds
        ]
        return {t.key: float(np.mean([r[t.key] for r in runs])) for t in self.targets}

    def __call__(self, theta: Mapping[str, float]) -> dict[str, float]:
        """pyabc's model: run seeds drawn from the particle's own seeded stream."""
        draws = np.random.randint(0, MAX_SEED, size=self.replicates, dtype=np.int64)  # noqa: NPY002
        return self.statistics(theta, [int(s) for s in draws])


@dataclass(frozen=True)
class TargetDistance:
    """Largest deviation of any target from its centre, in units of its half-width."""

    keys: tuple[str, ...]
    centres: tuple[float, ...]
    half_widths: tuple[float, ...]

    @classmethod
    def of(cls, targets: tuple[ResolvedTarget, ...]) -> TargetDistance:
        return cls(
            tuple(t.key for t in targets),
            tuple(t.centre for t in targets),
            tuple(t.half_width for t in targets),
        )

    def per_target(self, stats: Mapping[str, float]) -> list[float]:
        out = []
        for key, centre, half in zip(self.keys, self.centres, self.half_widths, strict=True):
            value = float(stats[key])
            out.append(abs(value - centre) / half if math.isfinite(value) else UNDEFINED_DISTANCE)
        return out

    def __call__(self, x: Mapping[str, float], x_0: Mapping[str, float]) -> float:
        """pyabc's distance function (the observed values are in the targets already)."""
        return min(max(self.per_target(x)), UNDEFINED_DISTANCE)


class ScheduledEpsilon(QuantileEpsilon):
    """Tolerance schedule: infinite for generation 0 (a sample of the prior), then the
    weighted quantile of the previous generation's distances, but not below ``floor``.

    pyabc's QuantileEpsilon with a numeric initial value would, after a restart, reuse that
    value for the resumed generation; this class always computes a later generation's
    tolerance from the stored history, so a resumed calibration continues exactly where an
    uninterrupted one would.
    """

    def __init__(self, alpha: float, floor: float = 0.0) -> None:
        super().__init__(initial_epsilon=math.inf, alpha=alpha, weighted=True)
        self.floor = floor  # never below the final tolerance: the last step lands on it

    def requires_calibration(self) -> bool:
        return False

    def initialize(
        self,
        t: int,
        get_weighted_distances: Any,
        get_all_records: Any,
        max_nr_populations: int,
        acceptor_config: dict[str, Any],
    ) -> None:
        if t == 0:
            self._look_up = {0: math.inf}
        else:
            self._update(t, get_weighted_distances())
            self._look_up[t] = max(self._look_up[t], self.floor)
