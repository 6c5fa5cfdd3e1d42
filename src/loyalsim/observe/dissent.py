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

The cascade is computed within each province (``province_cascades``): people join once a
share of their own province dissents openly, so each province has its own fixed point and
one province's state cannot move another's risk. Nothing is stored per person: one pass
counts each province's bins, the fixed points follow, and a second pass recomputes each
person's bins to count, per policy cell, who would act. The groups' shares then add up to
the whole population's exactly.
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
N_CHUNKS = 64  # chunks of the parallel passes (integer counts: any chunking gives the same)


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


def province_chunks(province_idx: np.ndarray, n_provinces: int, n_chunks: int) -> np.ndarray:
    """Rows (province, first person, end person): each province cut into runs of at most
    about n / n_chunks people (people are stored sorted by province)."""
    n = province_idx.shape[0]
    bounds = np.searchsorted(province_idx, np.arange(n_provinces + 1), side="left")
    size = max(1, -(-n // n_chunks))
    rows = []
    for prov in range(n_provinces):
        lo, hi = int(bounds[prov]), int(bounds[prov + 1])
        for start in range(lo, hi, size):
            rows.append((prov, start, min(start + size, hi)))
    return np.array(rows, np.int64).reshape(-1, 3)


@nb.njit(parallel=True, cache=True)
def _histograms(
    p: Params,
    severity: np.ndarray,
    chunks: np.ndarray,
    cell_idx: np.ndarray,
    fear: np.ndarray,
    resentment: np.ndarray,
    loyalty: np.ndarray,
    speak: np.ndarray,
    regime: np.ndarray,
    intensity: np.ndarray,
) -> np.ndarray:
    hist = np.zeros((chunks.shape[0], 2, p.resolution + 2), np.int32)
    for k in nb.prange(chunks.shape[0]):
        for i in range(chunks[k, 1], chunks[k, 2]):
            c = cell_idx[i]
            b_free, b_enforced = threshold_bins(
                p, severity[regime[c]], intensity[c], fear[i], resentment[i], loyalty[i], speak[i]
            )
            hist[k, 0, b_free] += 1
            hist[k, 1, b_enforced] += 1
    return hist


@nb.njit(parallel=True, cache=True)
def _counts(
    p: Params,
    severity: np.ndarray,
    chunks: np.ndarray,
    bins: np.ndarray,
    n_cells: int,
    cell_idx: np.ndarray,
    fear: np.ndarray,
    resentment: np.ndarray,
    loyalty: np.ndarray,
    speak: np.ndarray,
    regime: np.ndarray,
    intensity: np.ndarray,
) -> np.ndarray:
    out = np.zeros((chunks.shape[0], n_cells, 3), np.int32)
    for k in nb.prange(chunks.shape[0]):
        bin_free, bin_enforced = bins[chunks[k, 0], 0], bins[chunks[k, 0], 1]
        for i in range(chunks[k, 1], chunks[k, 2]):
            c = cell_idx[i]
            b_free, b_enforced = threshold_bins(
                p, severity[regime[c]], intensity[c], fear[i], resentment[i], loyalty[i], speak[i]
            )
            out[k, c, ALONE] += np.int32(b_free == 0)
            out[k, c, CASCADE] += np.int32(b_free <= bin_free)
            out[k, c, OPEN] += np.int32(b_enforced <= bin_enforced)
    return out


def province_cascades(
    p: Params,
    ppl: People,
    pol: Policy,
    severity: np.ndarray,
    chunks: np.ndarray,
    n_provinces: int,
    n_cells: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Per policy cell, the people who would speak alone, would join their province's
    cascade if enforcement stopped, and dissent openly now (columns ALONE, CASCADE, OPEN);
    and each province's two fixed-point bins (rows: province; columns: stopped, as now).

    Each province's cascade is its own Granovetter fixed point: people see who dissents
    openly in their own province, so one province's state cannot move another's risk.
    ``chunks`` is ``province_chunks``. Integer counts: the chunking changes nothing.
    """
    columns = {
        "cell_idx": ppl.cell_idx,
        "fear": ppl.fear,
        "resentment": ppl.resentment,
        "loyalty": ppl.loyalty_private,
        "speak": ppl.speak_threshold,
        "regime": pol.regime,
        "intensity": pol.intensity,
    }
    hist = _histograms(p, severity, chunks, **columns)
    by_province = np.zeros((n_provinces, 2, int(p.resolution) + 2), np.int64)
    for k in range(chunks.shape[0]):
        by_province[chunks[k, 0]] += hist[k]
    bins = np.zeros((n_provinces, 2), np.int64)
    for prov in range(n_provinces):
        bins[prov] = cascade_bins(by_province[prov], p.resolution)
    counts = _counts(p, severity, chunks, bins, n_cells, **columns).sum(axis=0, dtype=np.int64)
    return counts, bins
