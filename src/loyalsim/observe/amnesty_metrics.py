"""Read-only reducers of the amnesty subsystem (A1-A11): custody, releases, supervision.

Groups, besides ``all``, provinces, age groups and organisations: ``hh:soldier_family``,
``hh:hero_family``, ``hh:released`` (households with a member released by an amnesty during
the run), ``hh:denied`` (households with a member found qualified but denied at a review
during the run), ``wealth:q1`` (poorest fifth of households) to ``wealth:q5``,
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
    passed_rules = 8
    releases = 9
    releases_bought = 10
    qualified_denied = 11
    refused_on_score = 12
    violations = 13
    released_sentence_served = 14
    remaining_sum = 15
    cohort_12m = 16
    cohort_12m_rearrested = 17
    loyalty_sum = 18
    resentment_sum = 19
    heads = 20


N_SUMS = len(A)
COUNT_METRICS = tuple(a.name for a in A if a <= A.released_sentence_served)
RATIO_METRICS = (
    "share_releases_bought",
    "mean_remaining_at_release",
    "share_rearrested_12m",
    "release_rate",
)
HOUSEHOLD_METRICS = ("loyalty_private", "resentment", "n_people")  # for household groups only
METRICS = COUNT_METRICS + RATIO_METRICS + HOUSEHOLD_METRICS
assert set(METRICS) <= set(catalogue.METRICS), "every recorded metric is in the catalogue"
HH_GROUPS = (
    "hh:soldier_family",
    "hh:hero_family",
    "hh:released",
    "hh:denied",
    *tuple(f"wealth:q{q}" for q in range(1, 6)),
)
OFFENCE_GROUPS = tuple(f"offence:{o}" for o in OFFENCES)
CHANNEL_GROUPS = (*tuple(f"channel:{c}" for c in CHANNELS), "channel:sentence_served")
# Channel groups hold releases only (and the review count, as the release rate's denominator).
CHANNEL_METRICS = (
    "releases",
    "releases_bought",
    "share_releases_bought",
    "mean_remaining_at_release",
    "release_rate",
)
EXTRA_GROUPS = HH_GROUPS + OFFENCE_GROUPS + CHANNEL_GROUPS
assert EXTRA_GROUPS == catalogue.AMNESTY_GROUPS
BRIBERY_CODE = 1 + CHANNELS.index("bribery")
TWELVE_MONTHS = 52
SOLDIER_ROW, HERO_ROW, RELEASED_ROW, DENIED_ROW, FIRST_QUINTILE_ROW = 0, 1, 2, 3, 4
# Bits of a household's mark (``household_marks``): a member released / denied at a review.
MARK_RELEASED, MARK_DENIED = 1, 2


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
        reviews = group_rows[:, A.reviews]
        out[:, base + 3] = np.where(reviews > 0, releases / reviews, np.nan)
        if household_rows:
            heads = group_rows[:, A.heads]
            out[:, base + 4] = np.where(heads > 0, group_rows[:, A.loyalty_sum] / heads, np.nan)
            out[:, base + 5] = np.where(heads > 0, group_rows[:, A.resentment_sum] / heads, np.nan)
            out[:, base + 6] = heads
    return out


def household_marks(
    household_idx: np.ndarray, step_released: np.ndarray, step_denied: np.ndarray, n_hh: int
) -> np.ndarray:
    """Per household: ``MARK_RELEASED`` if a member was released by an amnesty during the run,
    ``MARK_DENIED`` if one was found qualified but denied (both bits may be set)."""
    marks = np.zeros(n_hh, np.uint8)
    marks[household_idx[step_released >= 0]] |= MARK_RELEASED
    marks[household_idx[step_denied >= 0]] |= MARK_DENIED
    return marks
