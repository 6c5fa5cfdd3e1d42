"""Hidden dissent and the cascade that would follow if enforcement stopped.

Implements: C11, C14 (Granovetter 1978 thresholds; Kuran 1991 preference falsification).
Private dissent is d = w_r resentment + (1 - w_r)(1 - loyalty). Without enforcement a person
would dissent openly alone when d exceeds their ``speak_threshold``; otherwise they join once
a share x of the population dissents openly, where
    x_free     = (speak_threshold - d) / social_sensitivity                (enforcement stopped)
    x_enforced = (speak_threshold + fear_weight * threat - d) / social_sensitivity.
The Granovetter fixed point of each threshold map gives the open-dissent share it supports:
``cascade_risk`` (enforcement stopped) and ``open_dissent`` (enforcement as now). The
threshold arithmetic is the classic model's (``loyalsim.models.thresholds.core``).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from loyalsim.mechanisms.threat import perceived_threat
from loyalsim.models.thresholds.core import fixed_point_share, threshold_bin

N_CHUNKS = 64  # fixed, so histograms do not depend on the number of threads


@nb.njit(parallel=True, cache=True)
def thresholds_and_cascades(
    cell_idx: np.ndarray,
    cell_regime: np.ndarray,
    cell_intensity: np.ndarray,
    severity: np.ndarray,
    intensity_threat: float,
    fear: np.ndarray,
    resentment: np.ndarray,
    loyalty: np.ndarray,
    speak_threshold: np.ndarray,
    resentment_weight: float,
    fear_weight: float,
    sensitivity: float,
    resolution: int,
    out_free: np.ndarray,
    out_enforced: np.ndarray,
) -> tuple[float, float]:
    """Each person's cascade threshold without and with enforcement, written to ``out_*``;
    returns the equilibrium open-dissent shares (enforcement stopped, enforcement as now)."""
    n = cell_idx.shape[0]
    hist = np.zeros((2, N_CHUNKS, resolution + 2), np.int64)
    step = (n + N_CHUNKS - 1) // N_CHUNKS
    for ch in nb.prange(N_CHUNKS):
        for i in range(ch * step, min(n, (ch + 1) * step)):
            d = resentment_weight * resentment[i] + (1.0 - resentment_weight) * (1.0 - loyalty[i])
            c = cell_idx[i]
            threat = perceived_threat(
                severity[cell_regime[c]], cell_intensity[c], intensity_threat, fear[i]
            )
            out_free[i] = (speak_threshold[i] - d) / sensitivity
            out_enforced[i] = (speak_threshold[i] + fear_weight * threat - d) / sensitivity
            hist[0, ch, threshold_bin(out_free[i], resolution)] += 1
            hist[1, ch, threshold_bin(out_enforced[i], resolution)] += 1
    counts = hist.sum(axis=1)
    return (
        fixed_point_share(counts[0], n, resolution),
        fixed_point_share(counts[1], n, resolution),
    )
