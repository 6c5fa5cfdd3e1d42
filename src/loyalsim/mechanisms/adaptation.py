"""Co-evolution of monitoring and concealment.

Implements: C13. People learn to hide lapses from their own lapses and from seeing others
punished:
    concealment <- concealment + (conceal_max - concealment)
                   * min(1, learn_lapse * lapses + learn_witness * struggles attended).
Monitors improve where the campaign is intense:
    skill[unit] <- skill + min(1, rate * intensity[province]) * max(0, skill_max - skill).
With ``monitor_learning_rate = 0`` detection per lapse falls over time as people adapt.
"""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(parallel=True, cache=True)
def apply_people(
    n_lapses: np.ndarray,
    n_struggles_attended: np.ndarray,
    concealment: np.ndarray,
    learn_lapse: float,
    learn_witness: float,
    conceal_max: float,
) -> None:
    """Concealment learning, in place."""
    for i in nb.prange(concealment.shape[0]):
        x = learn_lapse * n_lapses[i] + learn_witness * n_struggles_attended[i]
        if x > 0.0:
            c = concealment[i]
            concealment[i] = c + max(0.0, conceal_max - c) * min(1.0, x)


def apply_monitors(
    monitor_skill: np.ndarray,
    unit_province: np.ndarray,
    province_intensity: np.ndarray,
    rate: float,
    skill_max: float,
) -> None:
    """Monitor skill growth, in place (a few thousand units: numpy is enough)."""
    if rate <= 0.0:
        return
    growth = np.minimum(1.0, rate * province_intensity[unit_province])
    monitor_skill += (growth * np.maximum(0.0, skill_max - monitor_skill)).astype(np.float32)
