"""Read-only reducers: per-group aggregates of the population's state and this week's events.

Groups are ``all``, ``province:<name>``, ``age:<group>`` and ``org:<organisation>``. Nothing
here writes to the state; results are sums per group that the recorder turns into means,
counts and ratios.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from loyalsim.engine.population import NEIGHBOURHOOD
from loyalsim.observe.dissent import threshold_bins
from loyalsim.scenario.schemas.loyalty import AGE_GROUPS, ORGANISATIONS

MEAN_METRICS = (
    "display_public",
    "loyalty_private",
    "display_gap",
    "resentment",
    "cynicism",
    "fatigue",
    "concealment",
    "fear",
    "intensity",
    "share_struggle_regime",
    "hidden_dissent",
    "cascade_risk",
    "open_dissent",
)
COUNT_METRICS = (
    "sessions_attended",
    "lapses",
    "detections",
    "warnings",
    "accused",
    "people_struggled",
    "struggle_attendances",
    "criticisms_sincere",
    "criticisms_false",
)
DERIVED_METRICS = (
    "n_people",
    "detections_per_lapse",
    "struggle_sessions",
    "monitor_skill",
    "work_units",
)
METRICS = MEAN_METRICS + COUNT_METRICS + DERIVED_METRICS
N_SUMS = len(MEAN_METRICS) + len(COUNT_METRICS) + 1  # + head count
N_CHUNKS = 64  # fixed, so sums do not depend on the number of threads


def group_names(province_names: list[str]) -> list[str]:
    """Group labels in the order the reducers use."""
    return (
        ["all"]
        + [f"province:{p}" for p in province_names]
        + [f"age:{a}" for a in AGE_GROUPS]
        + [f"org:{o}" for o in ORGANISATIONS]
    )


@nb.njit(parallel=True, cache=True)
def cell_sums(
    cell_idx: np.ndarray,
    n_cells: int,
    cell_regime: np.ndarray,
    cell_intensity: np.ndarray,
    display: np.ndarray,
    loyalty: np.ndarray,
    resentment: np.ndarray,
    cynicism: np.ndarray,
    fatigue: np.ndarray,
    concealment: np.ndarray,
    fear: np.ndarray,
    speak_threshold: np.ndarray,
    severity: np.ndarray,
    dissent_params: np.ndarray,
    resolution: np.int64,
    bin_free: np.int64,
    bin_enforced: np.int64,
    n_attended: np.ndarray,
    n_lapses: np.ndarray,
    n_detected: np.ndarray,
    n_warnings: np.ndarray,
    is_accused_new: np.ndarray,
    is_struggled: np.ndarray,
    n_struggles_attended: np.ndarray,
    n_sincere: np.ndarray,
    n_false: np.ndarray,
    struggle_code: int,
) -> np.ndarray:
    """Sums per (policy cell, metric): MEAN_METRICS, COUNT_METRICS, then the head count.

    ``dissent_params`` is ``dissent.pack_params``; ``bin_free`` and ``bin_enforced`` are the
    fixed-point bins of ``dissent.cascade_bins``.
    """
    n = cell_idx.shape[0]
    acc = np.zeros((N_CHUNKS, n_cells, N_SUMS))
    step = (n + N_CHUNKS - 1) // N_CHUNKS
    for ch in nb.prange(N_CHUNKS):
        for i in range(ch * step, min(n, (ch + 1) * step)):
            c = cell_idx[i]
            row = acc[ch, c]
            row[0] += display[i]
            row[1] += loyalty[i]
            row[3] += resentment[i]
            row[4] += cynicism[i]
            row[5] += fatigue[i]
            row[6] += concealment[i]
            row[7] += fear[i]
            b_free, b_enforced = threshold_bins(
                severity[cell_regime[c]],
                cell_intensity[c],
                fear[i],
                resentment[i],
                loyalty[i],
                speak_threshold[i],
                dissent_params,
                resolution,
            )
            row[10] += np.int64(b_free == 0)
            row[11] += np.int64(b_free <= bin_free)
            row[12] += np.int64(b_enforced <= bin_enforced)
            row[13] += n_attended[i]
            row[14] += n_lapses[i]
            row[15] += n_detected[i]
            row[16] += n_warnings[i]
            row[17] += is_accused_new[i]
            row[18] += is_struggled[i]
            row[19] += n_struggles_attended[i]
            row[20] += n_sincere[i]
            row[21] += n_false[i]
            row[22] += 1.0
    sums = acc.sum(axis=0)
    # Columns that follow from others or from the cell alone, filled per cell, not per person.
    heads = sums[:, 22]
    sums[:, 2] = sums[:, 0] - sums[:, 1]
    sums[:, 8] = cell_intensity * heads
    for c in range(n_cells):
        sums[c, 9] = heads[c] if cell_regime[c] == struggle_code else 0.0
    return sums


def group_sums(by_cell: np.ndarray, n_provinces: int) -> np.ndarray:
    """Cell sums (province x age group x organisation) folded into the group rows."""
    cube = by_cell.reshape(n_provinces, len(AGE_GROUPS), len(ORGANISATIONS), -1)
    return np.concatenate(
        [
            cube.sum(axis=(0, 1, 2))[None, :],
            cube.sum(axis=(1, 2)),
            cube.sum(axis=(0, 2)),
            cube.sum(axis=(0, 1)),
        ]
    )


def unit_struggle_counts(
    struggle_orgs: np.ndarray, unit_province: np.ndarray, n_provinces: int
) -> np.ndarray:
    """Struggle sessions held this week per group (age groups: NaN, sessions mix ages)."""
    n_groups = 1 + n_provinces + 4 + 4
    out = np.full(n_groups, np.nan)
    per_org = np.array([((struggle_orgs >> k) & 1).astype(np.int64) for k in range(4)])
    per_unit = per_org.sum(axis=0)
    out[0] = per_unit.sum()
    out[1 : 1 + n_provinces] = np.bincount(unit_province, weights=per_unit, minlength=n_provinces)
    out[1 + n_provinces + 4 :] = per_org.sum(axis=1)
    return out


def skill_by_group(
    monitor_skill: np.ndarray, unit_province: np.ndarray, n_provinces: int
) -> np.ndarray:
    """Mean monitor skill over units, for ``all`` and each province."""
    n_groups = 1 + n_provinces + 4 + 4
    out = np.full(n_groups, np.nan)
    out[0] = monitor_skill.mean()
    total = np.bincount(unit_province, weights=monitor_skill, minlength=n_provinces)
    count = np.bincount(unit_province, minlength=n_provinces)
    with np.errstate(invalid="ignore", divide="ignore"):
        out[1 : 1 + n_provinces] = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return out


def work_units_by_group(
    unit_kind: np.ndarray, unit_province: np.ndarray, n_provinces: int
) -> np.ndarray:
    """Number of work units (enterprises and offices, not neighbourhood units) per group."""
    n_groups = 1 + n_provinces + 4 + 4
    out = np.full(n_groups, np.nan)
    is_work = unit_kind != NEIGHBOURHOOD
    out[0] = is_work.sum()
    out[1 : 1 + n_provinces] = np.bincount(unit_province[is_work], minlength=n_provinces)
    return out


def finish(
    sums: np.ndarray, struggles: np.ndarray, skill: np.ndarray, work_units: np.ndarray
) -> np.ndarray:
    """Per-group metric values in METRICS order from the reducers' outputs."""
    n_mean, n_count = len(MEAN_METRICS), len(COUNT_METRICS)
    heads = sums[:, -1]
    out = np.full((sums.shape[0], len(METRICS)), np.nan)
    has = heads > 0
    out[has, :n_mean] = sums[has, :n_mean] / heads[has, None]
    out[has, n_mean : n_mean + n_count] = sums[has, n_mean : n_mean + n_count]
    out[:, n_mean + n_count] = heads
    lapses = sums[:, n_mean + COUNT_METRICS.index("lapses")]
    detections = sums[:, n_mean + COUNT_METRICS.index("detections")]
    ok = lapses > 0
    out[ok, n_mean + n_count + 1] = detections[ok] / lapses[ok]
    out[:, n_mean + n_count + 2] = struggles
    out[:, n_mean + n_count + 3] = skill
    out[:, n_mean + n_count + 4] = work_units
    return out
