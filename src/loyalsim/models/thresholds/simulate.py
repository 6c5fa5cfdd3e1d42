"""Run a threshold model and record its tidy table.

Granovetter (``run.kind = "granovetter"``), one step:

1. every actor who has not joined compares the (friend-weighted) number of others who
   acted last step with its threshold and joins if it is reached (synchronous);
2. record the share and number acting.

Kuran (``run.kind = "kuran"``), one step:

1. revolutionary thresholds follow the punishment in force at this step;
2. everyone takes their public stance from last step's share of open opposers
   (synchronous; stances are not sticky, so harsher punishment can silence people again);
3. record public and private opposition and the share falsifying their preference.

Step 0 is the start: nobody acts or opposes openly.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from loyalsim.engine.rng import Streams
from loyalsim.models.thresholds import granovetter, kuran
from loyalsim.scenario.schemas.thresholds import ThresholdsConfig
from loyalsim.store.tidy import to_table

GRANOVETTER_METRICS = ("acting", "n_acting")
KURAN_GROUPS = ("all", "private:opposed", "private:supporter")
KURAN_METRICS = (
    "public_opposition",  # share opposing openly
    "private_opposition",  # mean private opposition x
    "privately_opposed",  # share with x > 0.5
    "falsifying",  # share with x > 0.5 who do not oppose openly
    "punishment",  # punishment in force (group "all" only)
)


def run_granovetter(
    config: ThresholdsConfig, seed: int, progress: Callable[[int, int], None] | None = None
) -> np.ndarray:
    """values[step, group, metric] of a Granovetter crowd (group "all")."""
    streams = Streams(seed)
    thresholds = granovetter.crowd_thresholds(config.crowd, streams.get("thresholds"))
    n = thresholds.shape[0]
    indptr, indices = granovetter.friendship_graph(
        n, config.friendship.mean_degree, streams.get("friendship")
    )
    acting = np.zeros(n, dtype=np.bool_)
    n_steps = config.run.steps
    values = np.zeros((n_steps + 1, 1, len(GRANOVETTER_METRICS)))
    for t in range(1, n_steps + 1):
        granovetter.join_step(thresholds, acting, indptr, indices, config.friendship.weight)
        n_acting = float(acting.sum())
        values[t, 0] = (n_acting / n, n_acting)
        if progress is not None:
            progress(t, n_steps)
    return values


def _kuran_measure(opposing: np.ndarray, opposition: np.ndarray, punishment: float) -> np.ndarray:
    out = np.full((len(KURAN_GROUPS), len(KURAN_METRICS)), np.nan)
    is_opposed = opposition > 0.5
    for g, mask in enumerate((np.ones_like(is_opposed), is_opposed, ~is_opposed)):
        size = int(mask.sum())
        if size == 0:
            continue
        out[g, 0] = (opposing & mask).sum() / size
        out[g, 1] = opposition[mask].mean()
        out[g, 2] = (is_opposed & mask).sum() / size
        out[g, 3] = (is_opposed & ~opposing & mask).sum() / size
    out[0, 4] = punishment
    return out


def run_kuran(
    config: ThresholdsConfig, seed: int, progress: Callable[[int, int], None] | None = None
) -> np.ndarray:
    """values[step, group, metric] of the Kuran model."""
    streams = Streams(seed)
    section = config.kuran
    opposition = kuran.private_opposition(section, streams.get("private_preference"))
    is_zealot = kuran.zealots(section, streams.get("zealots"))
    opposing = np.zeros(section.size, dtype=np.bool_)
    n_steps = config.run.steps
    values = np.empty((n_steps + 1, len(KURAN_GROUPS), len(KURAN_METRICS)))
    values[0] = _kuran_measure(opposing, opposition, kuran.punishment_at(section, 0))
    for t in range(1, n_steps + 1):
        punishment = kuran.punishment_at(section, t)
        thresholds = kuran.revolutionary_thresholds(
            opposition, is_zealot, punishment, section.sensitivity
        )
        opposing = kuran.public_stance(thresholds, float(opposing.mean()))
        values[t] = _kuran_measure(opposing, opposition, punishment)
        if progress is not None:
            progress(t, n_steps)
    return values


def simulate(
    config: ThresholdsConfig,
    seed: int,
    run_id: str,
    progress: Callable[[int, int], None] | None = None,
) -> pa.Table:
    """The tidy table of one run of the configured threshold model."""
    metrics: tuple[str, ...]
    groups: tuple[str, ...]
    if config.run.kind == "granovetter":
        values = run_granovetter(config, seed, progress)
        metrics, groups = GRANOVETTER_METRICS, ("all",)
    else:
        values = run_kuran(config, seed, progress)
        metrics, groups = KURAN_METRICS, KURAN_GROUPS
    return to_table(run_id, np.arange(values.shape[0]), None, metrics, groups, values)


def person_steps(config: ThresholdsConfig) -> int:
    """Agent-decisions a run performs."""
    size = config.crowd.size if config.run.kind == "granovetter" else config.kuran.size
    return size * config.run.steps
