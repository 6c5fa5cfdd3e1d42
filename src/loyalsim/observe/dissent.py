"""Hidden dissent and the cascade that would follow if enforcement stopped (an observable).

Implements: C11, C14 (Granovetter 1978 thresholds; Kuran 1991 preference falsification).
Private dissent is d = w_r resentment + (1 - w_r)(1 - loyalty). Without enforcement a person
would dissent openly alone when d exceeds their ``speak_threshold``; otherwise they join once
a share x of the population dissents openly, where
    x_free     = (speak_threshold - d) / social_sensitivity                (enforcement stopped)
    x_enforced = (speak_threshold + fear_weight * threat - d) / social_sensitivity.
The Granovetter fixed point of each threshold map gives the open-dissent share it supports:
``cascade_risk`` (enforcement stopped) and ``open_dissent`` (enforcement as now). The
threshold arithmetic is the shared fixed point of ``loyalsim.engine.thresholds``: thresholds
are binned on a 1/resolution grid, and a person counts as dissenting openly at a fixed point
when their bin is at or below the fixed point's bin, so that the group shares add up to the
population's exactly.

Nothing is stored per person: the week's observation pass counts bins
(``observe.sums.week_sums``), the recorder finds the two fixed points, and ``group_counts``
recomputes each person's bins to count, per policy cell, who would act.
"""

from __future__ import annotations

from typing import NamedTuple

import numba as nb
import numpy as np

from loyalsim.engine.context import Policy
from loyalsim.engine.population import People
from loyalsim.engine.thresholds import fixed_point_bin, threshold_bin
from loyalsim.mechanisms.threat import perceived_threat
from loyalsim.scenario.schemas.loyalty import Scenario

# Columns of ``group_counts``: would speak alone, would join the cascade, dissent openly now.
ALONE, CASCADE, OPEN = 0, 1, 2
N_CHUNKS = 64  # chunks of the parallel pass (integer counts: any chunking gives the same)


class Params(NamedTuple):
    intensity_threat: float
    resentment_weight: float
    fear_weight: float
    social_sensitivity: float
    resolution: np.int64


def params(scn: Scenario) -> Params:
    d = scn.dissent
    return Params(
        float(scn.beliefs.intensity_threat),
        float(d.resentment_weight),
        float(d.fear_weight),
        float(d.social_sensitivity),
        np.int64(d.resolution),
    )


@nb.njit(inline="always")
def threshold_bins(
    p: Params,
    severity: float,
    intensity: float,
    fear: float,
    resentment: float,
    loyalty: float,
    speak_threshold: float,
) -> tuple[np.int64, np.int64]:
    """A person's threshold bins without enforcement and with enforcement as now."""
    d = p.resentment_weight * resentment + (1.0 - p.resentment_weight) * (1.0 - loyalty)
    threat = perceived_threat(severity, intensity, p.intensity_threat, fear)
    inv = 1.0 / p.social_sensitivity  # hoisted out of the per-person loops by the compiler
    x_free = (speak_threshold - d) * inv
    x_enforced = (speak_threshold + p.fear_weight * threat - d) * inv
    return threshold_bin(x_free, p.resolution), threshold_bin(x_enforced, p.resolution)


@nb.njit(cache=True)
def cascade_bins(counts: np.ndarray, resolution: np.int64) -> tuple[np.int64, np.int64]:
    """Fixed-point bins of the two threshold maps (enforcement stopped, as now)."""
    n = counts[0].sum()
    return fixed_point_bin(counts[0], n, resolution), fixed_point_bin(counts[1], n, resolution)


@nb.njit(parallel=True, cache=True)
def _group_counts_kernel(
    p: Params,
    severity: np.ndarray,
    n_cells: int,
    bin_free: np.int64,
    bin_enforced: np.int64,
    cell_idx: np.ndarray,
    fear: np.ndarray,
    resentment: np.ndarray,
    loyalty: np.ndarray,
    speak: np.ndarray,
    regime: np.ndarray,
    intensity: np.ndarray,
) -> np.ndarray:
    n = cell_idx.shape[0]
    out = np.zeros((N_CHUNKS, n_cells, 3), np.int64)
    per = (n + N_CHUNKS - 1) // N_CHUNKS
    for ch in nb.prange(N_CHUNKS):
        for i in range(ch * per, min(n, (ch + 1) * per)):
            c = cell_idx[i]
            b_free, b_enforced = threshold_bins(
                p, severity[regime[c]], intensity[c], fear[i], resentment[i], loyalty[i], speak[i]
            )
            out[ch, c, ALONE] += np.int64(b_free == 0)
            out[ch, c, CASCADE] += np.int64(b_free <= bin_free)
            out[ch, c, OPEN] += np.int64(b_enforced <= bin_enforced)
    return out.sum(axis=0)


def group_counts(
    p: Params,
    ppl: People,
    pol: Policy,
    severity: np.ndarray,
    n_cells: int,
    bin_free: np.int64,
    bin_enforced: np.int64,
) -> np.ndarray:
    """People per policy cell (rows) who would speak alone, would join the cascade if
    enforcement stopped, and dissent openly now (columns ALONE, CASCADE, OPEN).

    Integer counts, so the result does not depend on the chunking.
    """
    return _group_counts_kernel(
        p,
        severity,
        n_cells,
        bin_free,
        bin_enforced,
        cell_idx=ppl.cell_idx,
        fear=ppl.fear,
        resentment=ppl.resentment,
        loyalty=ppl.loyalty_private,
        speak=ppl.speak_threshold,
        regime=pol.regime,
        intensity=pol.intensity,
    )
