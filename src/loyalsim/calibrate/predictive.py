"""Posterior predictive checks: fresh runs at parameter values drawn from the posterior.

Draw ``i`` picks a posterior particle by weight and runs it with new seeds, both from the
stream seeded for draw ``i``; draws run on the same mappers as the ABC candidates, so the
table is the same whichever executor made it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import Any

import cloudpickle
import numpy as np
import pyarrow as pa

from loyalsim.calibrate.model import ParticleModel
from loyalsim.calibrate.parallel import Batch, Mapper
from loyalsim.calibrate.sampler import candidate_seed

# The "generation" whose candidate seeds the predictive draws use (far from real ones).
PREDICTIVE_GENERATION = 1_000_000


@dataclass(frozen=True)
class PredictiveDraw:
    """Called under a seeded global stream: pick a particle, run it, return its statistics."""

    model: ParticleModel
    thetas: tuple[dict[str, float], ...]
    weights: tuple[float, ...]

    def __call__(self) -> dict[str, Any]:
        p = np.asarray(self.weights) / np.sum(self.weights)
        index = int(np.random.choice(len(p), p=p))  # noqa: NPY002
        theta = self.thetas[index]
        return {"particle": index, "stats": self.model(theta)}


def run_predictive(
    model: ParticleModel,
    thetas: list[dict[str, float]],
    weights: list[float],
    n_draws: int,
    root_seed: int,
    mapper: Mapper,
) -> list[dict[str, Any]]:
    """``n_draws`` posterior predictive draws: particle index and target statistics."""
    payload = cloudpickle.dumps(PredictiveDraw(model, tuple(thetas), tuple(weights)))

    def batches() -> Iterator[Batch]:
        for j in range(n_draws):
            yield [candidate_seed(root_seed, PREDICTIVE_GENERATION, j)]

    out: list[dict[str, Any]] = []
    with closing(mapper.imap(payload, batches())) as results:
        for batch in results:
            out.extend(batch)
    return out


def predictive_table(
    draws: list[dict[str, Any]], model: ParticleModel, thetas: list[dict[str, float]]
) -> pa.Table:
    """One row per draw: its particle, parameter values and every target's statistic."""
    columns: dict[str, list[Any]] = {"draw": list(range(len(draws)))}
    columns["particle"] = [d["particle"] for d in draws]
    for prior in model.priors:
        columns[prior.path] = [float(prior.value(thetas[d["particle"]][prior.key])) for d in draws]
    for target in model.targets:
        columns[f"stat:{target.key}"] = [float(d["stats"][target.key]) for d in draws]
    types = {"draw": pa.int64(), "particle": pa.int64()}
    return pa.table({k: pa.array(v, types.get(k, pa.float64())) for k, v in columns.items()})
