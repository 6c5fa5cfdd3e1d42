"""Read-only reducers: per-cell sums of the population's state and this week's events.

Groups are ``all``, ``province:<name>``, ``age:<group>`` and ``org:<organisation>``; sums are
taken per policy cell (province x age group x organisation) and folded into the groups
afterwards. Nothing here writes to the state. The columns of the sums are named (``Col``);
``finish`` turns them into the metrics of ``loyalsim.catalogue`` by name.

The sums come from the week's observation pass (``observe.sums``).
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from loyalsim import catalogue
from loyalsim.engine.context import Policy
from loyalsim.engine.population import NEIGHBOURHOOD
from loyalsim.scenario.schemas.loyalty import AGE_GROUPS, ORGANISATIONS

N_CHUNKS = 64  # fixed, so sums do not depend on the number of threads
CELLS_PER_PROVINCE = len(AGE_GROUPS) * len(ORGANISATIONS)


class Col(IntEnum):
    """Columns of the per-cell sums: means (as sums), counts, then the head count."""

    display_public = 0
    loyalty_private = 1
    display_gap = 2  # filled per cell after the pass
    resentment = 3
    cynicism = 4
    fatigue = 5
    concealment = 6
    fear = 7
    intensity = 8  # per cell after the pass
    share_struggle_regime = 9  # per cell after the pass
    hidden_dissent = 10  # from dissent.group_counts
    cascade_risk = 11
    open_dissent = 12
    sessions_attended = 13
    lapses = 14
    detections = 15
    warnings = 16
    accused = 17
    people_struggled = 18
    struggle_attendances = 19
    criticisms_sincere = 20
    criticisms_false = 21
    heads = 22


N_SUMS = len(Col)
MEAN_METRICS = tuple(c.name for c in Col if c < Col.sessions_attended)
COUNT_METRICS = tuple(c.name for c in Col if Col.sessions_attended <= c < Col.heads)
DERIVED_METRICS = (
    "n_people",
    "detections_per_lapse",
    "struggle_sessions",
    "struggle_sessions_several",
    "monitor_skill",
    "work_units",
)
METRICS = MEAN_METRICS + COUNT_METRICS + DERIVED_METRICS
M = {name: k for k, name in enumerate(METRICS)}
assert set(METRICS) <= set(catalogue.METRICS), "every recorded metric is in the catalogue"


def group_names(province_names: list[str]) -> list[str]:
    """Group labels in the order the reducers use."""
    return catalogue.core_groups(province_names)


def finish_cells(sums: np.ndarray, pol: Policy, struggle_code: int) -> None:
    """Columns that follow from others or from the cell alone, filled per cell in place."""
    heads = sums[:, Col.heads]
    sums[:, Col.display_gap] = sums[:, Col.display_public] - sums[:, Col.loyalty_private]
    sums[:, Col.intensity] = pol.intensity * heads
    sums[:, Col.share_struggle_regime] = np.where(pol.regime == struggle_code, heads, 0.0)


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


def _n_groups(n_provinces: int) -> int:
    return 1 + n_provinces + len(AGE_GROUPS) + len(ORGANISATIONS)


def unit_struggle_counts(
    struggle_orgs: np.ndarray, unit_province: np.ndarray, n_provinces: int
) -> np.ndarray:
    """Struggle sessions held this week per group (age groups: NaN, sessions mix ages)."""
    out = np.full(_n_groups(n_provinces), np.nan)
    n_orgs = len(ORGANISATIONS)
    per_org = np.array([((struggle_orgs >> k) & 1).astype(np.int64) for k in range(n_orgs)])
    per_unit = per_org.sum(axis=0)
    out[0] = per_unit.sum()
    out[1 : 1 + n_provinces] = np.bincount(unit_province, weights=per_unit, minlength=n_provinces)
    out[1 + n_provinces + len(AGE_GROUPS) :] = per_org.sum(axis=1)
    return out


def skill_by_group(
    monitor_skill: np.ndarray, unit_province: np.ndarray, n_provinces: int
) -> np.ndarray:
    """Mean monitor skill over units, for ``all`` and each province."""
    out = np.full(_n_groups(n_provinces), np.nan)
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
    out = np.full(_n_groups(n_provinces), np.nan)
    is_work = unit_kind != NEIGHBOURHOOD
    out[0] = is_work.sum()
    out[1 : 1 + n_provinces] = np.bincount(unit_province[is_work], minlength=n_provinces)
    return out


def finish(
    sums: np.ndarray,
    struggles: np.ndarray,
    several: np.ndarray,
    skill: np.ndarray,
    work_units: np.ndarray,
) -> np.ndarray:
    """Per-group metric values in METRICS order from the reducers' outputs."""
    n_mean, n_count = len(MEAN_METRICS), len(COUNT_METRICS)
    heads = sums[:, Col.heads]
    out = np.full((sums.shape[0], len(METRICS)), np.nan)
    has = heads > 0
    out[has, :n_mean] = sums[has, :n_mean] / heads[has, None]
    out[has, n_mean : n_mean + n_count] = sums[has, n_mean : n_mean + n_count]
    out[:, M["n_people"]] = heads
    lapses, detections = sums[:, Col.lapses], sums[:, Col.detections]
    ok = lapses > 0
    out[ok, M["detections_per_lapse"]] = detections[ok] / lapses[ok]
    out[:, M["struggle_sessions"]] = struggles
    out[:, M["struggle_sessions_several"]] = several
    out[:, M["monitor_skill"]] = skill
    out[:, M["work_units"]] = work_units
    return out
