"""Read-only reducers of the amnesty subsystem (A1-A11): custody, releases, supervision.

Groups, besides ``all``, provinces, age groups and organisations: ``hh:soldier_family``,
``hh:hero_family``, ``wealth:q1`` (poorest fifth of households) to ``wealth:q5``,
``offence:<category>`` (people by the category of their current or last conviction; for
``offences``, by the category committed this week) and ``channel:<channel>`` (releases this
week by channel, plus ``channel:sentence_served`` for the end of a term).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from loyalsim.engine.population import CUSTODY, SENTENCE_SERVED, SUPERVISED
from loyalsim.observe.metrics import N_CHUNKS
from loyalsim.scenario.schemas.amnesty import CHANNELS, OFFENCES

SUMS = (
    "free",
    "inmates",
    "under_supervision",
    "offences",
    "arrests",
    "rearrests",
    "self_reports",
    "reviews",
    "releases",
    "releases_bought",
    "qualified_denied",
    "violations",
    "released_sentence_served",
    "remaining_sum",
    "cohort_12m",
    "cohort_12m_rearrested",
    "loyalty_sum",
    "resentment_sum",
    "heads",
)
S = {name: k for k, name in enumerate(SUMS)}
COUNT_METRICS = SUMS[:13]
RATIO_METRICS = ("share_releases_bought", "mean_remaining_at_release", "share_rearrested_12m")
HOUSEHOLD_METRICS = ("loyalty_private", "resentment", "n_people")  # for household groups only
METRICS = COUNT_METRICS + RATIO_METRICS + HOUSEHOLD_METRICS
HH_GROUPS = ("hh:soldier_family", "hh:hero_family", *tuple(f"wealth:q{q}" for q in range(1, 6)))
OFFENCE_GROUPS = tuple(f"offence:{o}" for o in OFFENCES)
CHANNEL_GROUPS = (*tuple(f"channel:{c}" for c in CHANNELS), "channel:sentence_served")
CHANNEL_METRICS = (
    "releases",
    "releases_bought",
    "share_releases_bought",
    "mean_remaining_at_release",
)
EXTRA_GROUPS = HH_GROUPS + OFFENCE_GROUPS + CHANNEL_GROUPS
BRIBERY_CODE = 1 + CHANNELS.index("bribery")
TWELVE_MONTHS = 52


@nb.njit(parallel=True, cache=True)
def sums(
    cell_idx: np.ndarray,
    n_cells: int,
    household_idx: np.ndarray,
    has_soldier: np.ndarray,
    is_hero: np.ndarray,
    quintile: np.ndarray,
    status: np.ndarray,
    offence: np.ndarray,
    offence_now: np.ndarray,
    is_arrested: np.ndarray,
    is_self_report: np.ndarray,
    release_channel: np.ndarray,
    is_reviewed: np.ndarray,
    is_denied: np.ndarray,
    is_violation: np.ndarray,
    remaining: np.ndarray,
    step_released: np.ndarray,
    is_rearrested_12m: np.ndarray,
    loyalty: np.ndarray,
    resentment: np.ndarray,
    step: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sums per cell, household group, offence group and channel group (SUMS order)."""
    n, k = cell_idx.shape[0], len(SUMS)
    acc_cell = np.zeros((N_CHUNKS, n_cells, k))
    acc_hh = np.zeros((N_CHUNKS, 7, k))
    acc_off = np.zeros((N_CHUNKS, 5, k))
    acc_ch = np.zeros((N_CHUNKS, 6, k))
    per = (n + N_CHUNKS - 1) // N_CHUNKS
    for ch in nb.prange(N_CHUNKS):
        row = np.zeros(k)
        for i in range(ch * per, min(n, (ch + 1) * per)):
            h = household_idx[i]
            q = 2 + np.int64(quintile[h])
            st = status[i]
            c = release_channel[i]
            if (
                st != CUSTODY
                and st != SUPERVISED
                and offence_now[i] < 0
                and is_arrested[i] == 0
                and is_self_report[i] == 0
                and c == 0
                and step_released[i] < 0
            ):
                # The common case: a free person untouched by the justice system.
                acc_cell[ch, cell_idx[i], 0] += 1.0
                _add_free(acc_hh, ch, q, loyalty[i], resentment[i])
                if has_soldier[h]:
                    _add_free(acc_hh, ch, 0, loyalty[i], resentment[i])
                if is_hero[h]:
                    _add_free(acc_hh, ch, 1, loyalty[i], resentment[i])
                continue
            row[0] = 1.0 if st != CUSTODY and st != SUPERVISED else 0.0
            row[1] = 1.0 if st == CUSTODY else 0.0
            row[2] = 1.0 if st == SUPERVISED else 0.0
            row[3] = 1.0 if offence_now[i] >= 0 else 0.0
            row[4] = 1.0 if is_arrested[i] == 1 else 0.0
            row[5] = 1.0 if is_arrested[i] == 2 else 0.0
            row[6] = is_self_report[i]
            row[7] = is_reviewed[i]
            amnesty_release = c > 0 and c != SENTENCE_SERVED
            row[8] = 1.0 if amnesty_release else 0.0
            row[9] = 1.0 if c == BRIBERY_CODE else 0.0
            row[10] = is_denied[i]
            row[11] = is_violation[i]
            row[12] = 1.0 if c == SENTENCE_SERVED else 0.0
            row[13] = remaining[i] if amnesty_release else 0.0
            in_cohort = step_released[i] >= 0 and step - step_released[i] >= TWELVE_MONTHS
            row[14] = 1.0 if in_cohort else 0.0
            row[15] = 1.0 if in_cohort and is_rearrested_12m[i] == 1 else 0.0
            row[16] = loyalty[i]
            row[17] = resentment[i]
            row[18] = 1.0
            acc_cell[ch, cell_idx[i]] += row
            acc_hh[ch, q] += row
            if has_soldier[h]:
                acc_hh[ch, 0] += row
            if is_hero[h]:
                acc_hh[ch, 1] += row
            if offence[i] >= 0:
                committed = row[3]
                row[3] = 0.0
                acc_off[ch, offence[i]] += row
                row[3] = committed
            if offence_now[i] >= 0:
                acc_off[ch, offence_now[i], 3] += 1.0
            if c > 0:
                acc_ch[ch, c - 1] += row
    return acc_cell.sum(axis=0), acc_hh.sum(axis=0), acc_off.sum(axis=0), acc_ch.sum(axis=0)


@nb.njit(inline="always", cache=True)
def _add_free(acc: np.ndarray, ch: int, r: int, loyalty: float, resentment: float) -> None:
    """A free person untouched by justice: counts as free, and in the household means."""
    acc[ch, r, 0] += 1.0
    acc[ch, r, 16] += loyalty
    acc[ch, r, 17] += resentment
    acc[ch, r, 18] += 1.0


def finish(group_rows: np.ndarray, household_rows: bool) -> np.ndarray:
    """Metric values (METRICS order) from sums per group (SUMS order)."""
    out = np.full((group_rows.shape[0], len(METRICS)), np.nan)
    out[:, : len(COUNT_METRICS)] = group_rows[:, : len(COUNT_METRICS)]
    base = len(COUNT_METRICS)
    releases, cohort = group_rows[:, S["releases"]], group_rows[:, S["cohort_12m"]]
    with np.errstate(invalid="ignore", divide="ignore"):
        out[:, base] = np.where(
            releases > 0, group_rows[:, S["releases_bought"]] / releases, np.nan
        )
        out[:, base + 1] = np.where(
            releases > 0, group_rows[:, S["remaining_sum"]] / releases, np.nan
        )
        out[:, base + 2] = np.where(
            cohort > 0, group_rows[:, S["cohort_12m_rearrested"]] / cohort, np.nan
        )
        if household_rows:
            heads = group_rows[:, S["heads"]]
            out[:, base + 3] = np.where(heads > 0, group_rows[:, S["loyalty_sum"]] / heads, np.nan)
            out[:, base + 4] = np.where(
                heads > 0, group_rows[:, S["resentment_sum"]] / heads, np.nan
            )
            out[:, base + 5] = heads
    return out
