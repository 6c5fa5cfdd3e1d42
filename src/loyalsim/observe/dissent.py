"""Hidden dissent and the cascade that would follow if enforcement stopped.

Implements: C11, C14 (Granovetter 1978 thresholds; Kuran 1991 preference falsification).
Private dissent is d = w_r resentment + (1 - w_r)(1 - loyalty). Without enforcement a person
would dissent openly alone when d exceeds their ``speak_threshold``; otherwise they join once
a share x of the population dissents openly, where
    x_free     = (speak_threshold - d) / social_sensitivity                (enforcement stopped)
    x_enforced = (speak_threshold + fear_weight * threat - d) / social_sensitivity.
The Granovetter fixed point of each threshold map gives the open-dissent share it supports:
``cascade_risk`` (enforcement stopped) and ``open_dissent`` (enforcement as now). The
threshold arithmetic is the classic model's (``loyalsim.engine.thresholds``): thresholds
are binned on a 1/resolution grid, and a person counts as dissenting openly at a fixed point
when their bin is at or below the fixed point's bin, so that the group shares add up to the
population's exactly.

Nothing is stored per person: the observer counts bins in one pass (``threshold_counts``),
finds the two fixed points, and recomputes each person's bins in its per-group pass.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from loyalsim.engine.thresholds import fixed_point_bin, threshold_bin
from loyalsim.mechanisms.threat import perceived_threat
from loyalsim.scenario.schemas.loyalty import Scenario


def pack_params(scn: Scenario) -> np.ndarray:
    """The parameters ``threshold_bins`` takes, in its order: intensity_threat,
    resentment_weight, fear_weight, social_sensitivity."""
    d = scn.dissent
    return np.array(
        [scn.beliefs.intensity_threat, d.resentment_weight, d.fear_weight, d.social_sensitivity]
    )


@nb.njit(inline="always", cache=True)
def threshold_bins(
    severity: float,
    intensity: float,
    fear: float,
    resentment: float,
    loyalty: float,
    speak_threshold: float,
    params: np.ndarray,
    resolution: np.int64,
) -> tuple[np.int64, np.int64]:
    """A person's threshold bins without enforcement and with enforcement as now
    (``params`` from ``pack_params``)."""
    intensity_threat, resentment_weight = params[0], params[1]
    fear_weight, sensitivity = params[2], params[3]
    d = resentment_weight * resentment + (1.0 - resentment_weight) * (1.0 - loyalty)
    threat = perceived_threat(severity, intensity, intensity_threat, fear)
    inv = 1.0 / sensitivity  # hoisted out of the per-person loops by the compiler
    x_free = (speak_threshold - d) * inv
    x_enforced = (speak_threshold + fear_weight * threat - d) * inv
    return threshold_bin(x_free, resolution), threshold_bin(x_enforced, resolution)


@nb.njit(parallel=True, cache=True)
def threshold_counts(
    cell_idx: np.ndarray,
    cell_regime: np.ndarray,
    cell_intensity: np.ndarray,
    severity: np.ndarray,
    fear: np.ndarray,
    resentment: np.ndarray,
    loyalty: np.ndarray,
    speak_threshold: np.ndarray,
    params: np.ndarray,
    resolution: np.int64,
    n_chunks: int,
) -> np.ndarray:
    """People per threshold bin, shape (2, resolution + 2): enforcement stopped, as now.

    One histogram per chunk (pass the number of threads: memory grows with the resolution);
    the counts are integers, so the result is the same whatever ``n_chunks``.
    """
    n = cell_idx.shape[0]
    hist = np.zeros((n_chunks, 2, resolution + 2), np.int64)
    per = (n + n_chunks - 1) // n_chunks
    for ch in nb.prange(n_chunks):
        own = hist[ch]
        for i in range(ch * per, min(n, (ch + 1) * per)):
            c = cell_idx[i]
            b_free, b_enforced = threshold_bins(
                severity[cell_regime[c]],
                cell_intensity[c],
                fear[i],
                resentment[i],
                loyalty[i],
                speak_threshold[i],
                params,
                resolution,
            )
            own[0, b_free] += 1
            own[1, b_enforced] += 1
    return hist.sum(axis=0)


@nb.njit(cache=True)
def cascade_bins(counts: np.ndarray, resolution: np.int64) -> tuple[np.int64, np.int64]:
    """Fixed-point bins of the two threshold maps (enforcement stopped, as now)."""
    n = counts[0].sum()
    return fixed_point_bin(counts[0], n, resolution), fixed_point_bin(counts[1], n, resolution)
