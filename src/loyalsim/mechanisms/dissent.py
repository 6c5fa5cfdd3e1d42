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


@nb.njit(parallel=True, cache=True)
def thresholds(
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
    out_free: np.ndarray,
    out_enforced: np.ndarray,
) -> None:
    """Each person's cascade threshold (share of others dissenting) without and with enforcement."""
    for i in nb.prange(cell_idx.shape[0]):
        d = resentment_weight * resentment[i] + (1.0 - resentment_weight) * (1.0 - loyalty[i])
        c = cell_idx[i]
        threat = perceived_threat(severity[cell_regime[c]], cell_intensity[c], intensity_threat,
                                  fear[i])
        out_free[i] = (speak_threshold[i] - d) / sensitivity
        out_enforced[i] = (speak_threshold[i] + fear_weight * threat - d) / sensitivity
