"""Read-only reducers of the amnesty subsystem (A1-A11): custody, releases, supervision.

Groups, besides ``all``, provinces, age groups and organisations: ``hh:soldier_family``,
``hh:hero_family``, ``wealth:q1`` (poorest fifth of households) to ``wealth:q5``,
``offence:<category>`` (people by the category of their current or last conviction; for
``offences``, by the category committed this week) and ``channel:<channel>`` (releases this
week by channel, plus ``channel:sentence_served`` for the end of a term). The columns of the
sums (``observe.sums``) are named (``A``); ``finish`` turns them into catalogue metrics.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from loyalsim import catalogue
from loyalsim.scenario.schemas.amnesty import CHANNELS, OFFENCES


class A(IntEnum):
    """Columns of the amnesty sums (per cell, household group, offence and channel)."""

    free = 0
    inmates = 1
    under_supervision = 2
    offences = 3
    arrests = 4
    rearrests = 5
    self_reports = 6
    reviews = 7
    releases = 8
    releases_bought = 9
    qualified_denied = 10
    violations = 11
    released_sentence_served = 12
    remaining_sum = 13
    cohort_12m = 14
    cohort_12m_rearrested = 15
    loyalty_sum = 16
    resentment_sum = 17
    heads = 18


N_SUMS = len(A)
COUNT_METRICS = tuple(a.name for a in A if a <= A.released_sentence_served)
RATIO_METRICS = ("share_releases_bought", "mean_remaining_at_release", "share_rearrested_12m")
HOUSEHOLD_METRICS = ("loyalty_private", "resentment", "n_people")  # for household groups only
METRICS = COUNT_METRICS + RATIO_METRICS + HOUSEHOLD_METRICS
assert set(METRICS) <= set(catalogue.METRICS), "every recorded metric is in the catalogue"
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
assert EXTRA_GROUPS == catalogue.AMNESTY_GROUPS
BRIBERY_CODE = 1 + CHANNELS.index("bribery")
TWELVE_MONTHS = 52
SOLDIER_ROW, HERO_ROW, FIRST_QUINTILE_ROW = 0, 1, 2


def finish(group_rows: np.ndarray, household_rows: bool) -> np.ndarray:
    """Metric values (METRICS order) from sums per group (``A`` columns)."""
    out = np.full((group_rows.shape[0], len(METRICS)), np.nan)
    out[:, : len(COUNT_METRICS)] = group_rows[:, : len(COUNT_METRICS)]
    base = len(COUNT_METRICS)
    releases, cohort = group_rows[:, A.releases], group_rows[:, A.cohort_12m]
    with np.errstate(invalid="ignore", divide="ignore"):
        out[:, base] = np.where(releases > 0, group_rows[:, A.releases_bought] / releases, np.nan)
        out[:, base + 1] = np.where(releases > 0, group_rows[:, A.remaining_sum] / releases, np.nan)
        out[:, base + 2] = np.where(
            cohort > 0, group_rows[:, A.cohort_12m_rearrested] / cohort, np.nan
        )
        if household_rows:
            heads = group_rows[:, A.heads]
            out[:, base + 3] = np.where(heads > 0, group_rows[:, A.loyalty_sum] / heads, np.nan)
            out[:, base + 4] = np.where(heads > 0, group_rows[:, A.resentment_sum] / heads, np.nan)
            out[:, base + 5] = heads
    return out
