"""The week's observation pass: per-cell sums of the core model and of the amnesty subsystem.

One parallel pass over the population at the end of each week. People are cut into 64
fixed chunks of consecutive indices, each with its own accumulators, and the chunks are
added in order, so floating-point sums do not depend on the number of threads. Nothing
here writes to the state.
"""

from __future__ import annotations

from typing import NamedTuple

import numba as nb
import numpy as np

from loyalsim.engine.population import (
    CUSTODY,
    SENTENCE_SERVED,
    SUPERVISED,
    AmnestyState,
    Households,
    People,
)
from loyalsim.observe import amnesty_metrics
from loyalsim.observe.amnesty_metrics import BRIBERY_CODE, TWELVE_MONTHS, A
from loyalsim.observe.metrics import N_CHUNKS, Col
from loyalsim.scenario.schemas.amnesty import CHANNELS

N_SUMS = len(Col)
N_AMNESTY = len(A)
N_AMNESTY_CHANNELS = len(CHANNELS)  # the channel rows an amnesty releases through


class WeekSums(NamedTuple):
    """The week's sums, chunks already added up."""

    core: np.ndarray  # (cells, Col)
    am_cell: np.ndarray  # (cells, A)
    am_hh: np.ndarray  # (household groups, A)
    am_off: np.ndarray  # (offence groups, A)
    am_ch: np.ndarray  # (channel groups, A)


def week_sums(
    ppl: People,
    am: AmnestyState,
    hh: Households,
    n_cells: int,
    amnesty_on: bool,
    step: int,
) -> WeekSums:
    """Sum everybody's end-of-week state and this week's events."""
    n_hh, n_off = len(amnesty_metrics.HH_GROUPS), len(amnesty_metrics.OFFENCE_GROUPS)
    n_ch = len(amnesty_metrics.CHANNEL_GROUPS)
    core = np.zeros((N_CHUNKS, n_cells, N_SUMS))
    am_rows = n_cells if amnesty_on else 0
    am_cell = np.zeros((N_CHUNKS, am_rows, N_AMNESTY))
    am_hh = np.zeros((N_CHUNKS, n_hh if amnesty_on else 0, N_AMNESTY))
    am_off = np.zeros((N_CHUNKS, n_off if amnesty_on else 0, N_AMNESTY))
    am_ch = np.zeros((N_CHUNKS, n_ch if amnesty_on else 0, N_AMNESTY))
    _core_pass(core, ppl)
    if amnesty_on:
        _amnesty_pass(am_cell, am_hh, am_off, am_ch, ppl, am, hh, step)
    return WeekSums(
        core.sum(axis=0),
        am_cell.sum(axis=0),
        am_hh.sum(axis=0),
        am_off.sum(axis=0),
        am_ch.sum(axis=0),
    )


@nb.njit(parallel=True, cache=True)
def _core_pass_kernel(
    acc: np.ndarray,
    cell_idx: np.ndarray,
    display: np.ndarray,
    loyalty: np.ndarray,
    resentment: np.ndarray,
    cynicism: np.ndarray,
    fatigue: np.ndarray,
    concealment: np.ndarray,
    fear: np.ndarray,
    n_attended: np.ndarray,
    n_lapses: np.ndarray,
    n_detected: np.ndarray,
    n_warnings: np.ndarray,
    accused: np.ndarray,
    struggled: np.ndarray,
    n_struggles: np.ndarray,
    sincere: np.ndarray,
    false: np.ndarray,
) -> None:
    n = cell_idx.shape[0]
    per = (n + N_CHUNKS - 1) // N_CHUNKS
    for ch in nb.prange(N_CHUNKS):
        for i in range(ch * per, min(n, (ch + 1) * per)):
            c = cell_idx[i]
            row = acc[ch, c]
            row[Col.display_public] += display[i]
            row[Col.loyalty_private] += loyalty[i]
            row[Col.resentment] += resentment[i]
            row[Col.cynicism] += cynicism[i]
            row[Col.fatigue] += fatigue[i]
            row[Col.concealment] += concealment[i]
            row[Col.fear] += fear[i]
            row[Col.sessions_attended] += n_attended[i]
            row[Col.lapses] += n_lapses[i]
            row[Col.detections] += n_detected[i]
            row[Col.warnings] += n_warnings[i]
            row[Col.accused] += accused[i]
            row[Col.people_struggled] += struggled[i]
            row[Col.struggle_attendances] += n_struggles[i]
            row[Col.criticisms_sincere] += sincere[i]
            row[Col.criticisms_false] += false[i]
            row[Col.heads] += 1.0


def _core_pass(acc: np.ndarray, ppl: People) -> None:
    _core_pass_kernel(
        acc,
        cell_idx=ppl.cell_idx,
        display=ppl.display_public,
        loyalty=ppl.loyalty_private,
        resentment=ppl.resentment,
        cynicism=ppl.cynicism,
        fatigue=ppl.fatigue,
        concealment=ppl.concealment,
        fear=ppl.fear,
        n_attended=ppl.n_sessions_attended,
        n_lapses=ppl.n_lapses,
        n_detected=ppl.n_detected,
        n_warnings=ppl.n_warnings,
        accused=ppl.is_accused_new,
        struggled=ppl.is_struggled,
        n_struggles=ppl.n_struggles_attended,
        sincere=ppl.n_criticisms_sincere,
        false=ppl.n_criticisms_false,
    )


@nb.njit(parallel=True, cache=True)
def _amnesty_pass_kernel(
    acc_cell: np.ndarray,
    acc_hh: np.ndarray,
    acc_off: np.ndarray,
    acc_ch: np.ndarray,
    step: int,
    cell_idx: np.ndarray,
    household_idx: np.ndarray,
    loyalty: np.ndarray,
    resentment: np.ndarray,
    has_soldier: np.ndarray,
    is_hero: np.ndarray,
    quintile: np.ndarray,
    marks: np.ndarray,
    status: np.ndarray,
    offence: np.ndarray,
    offence_now: np.ndarray,
    is_arrested: np.ndarray,
    is_self_report: np.ndarray,
    channel: np.ndarray,
    is_reviewed: np.ndarray,
    is_passed_rules: np.ndarray,
    is_refused: np.ndarray,
    is_denied: np.ndarray,
    is_violation: np.ndarray,
    remaining: np.ndarray,
    released: np.ndarray,
    rearrested: np.ndarray,
) -> None:
    n = cell_idx.shape[0]
    per = (n + N_CHUNKS - 1) // N_CHUNKS
    for ch in nb.prange(N_CHUNKS):
        row = np.zeros(N_AMNESTY)
        for i in range(ch * per, min(n, (ch + 1) * per)):
            h = household_idx[i]
            q = amnesty_metrics.FIRST_QUINTILE_ROW + np.int64(quintile[h])
            st = status[i]
            c = channel[i]
            if (
                st != CUSTODY
                and st != SUPERVISED
                and offence_now[i] < 0
                and is_arrested[i] == 0
                and is_self_report[i] == 0
                and c == 0
                and released[i] < 0
            ):
                # The common case: a free person untouched by the justice system.
                acc_cell[ch, cell_idx[i], A.free] += 1.0
                _add_free(acc_hh, ch, q, loyalty[i], resentment[i])
                if has_soldier[h]:
                    _add_free(acc_hh, ch, amnesty_metrics.SOLDIER_ROW, loyalty[i], resentment[i])
                if is_hero[h]:
                    _add_free(acc_hh, ch, amnesty_metrics.HERO_ROW, loyalty[i], resentment[i])
                if marks[h] & amnesty_metrics.MARK_RELEASED:
                    _add_free(acc_hh, ch, amnesty_metrics.RELEASED_ROW, loyalty[i], resentment[i])
                if marks[h] & amnesty_metrics.MARK_DENIED:
                    _add_free(acc_hh, ch, amnesty_metrics.DENIED_ROW, loyalty[i], resentment[i])
                continue
            row[A.free] = 1.0 if st != CUSTODY and st != SUPERVISED else 0.0
            row[A.inmates] = 1.0 if st == CUSTODY else 0.0
            row[A.under_supervision] = 1.0 if st == SUPERVISED else 0.0
            row[A.offences] = 1.0 if offence_now[i] >= 0 else 0.0
            row[A.arrests] = 1.0 if is_arrested[i] == 1 else 0.0
            row[A.rearrests] = 1.0 if is_arrested[i] == 2 else 0.0
            row[A.self_reports] = is_self_report[i]
            row[A.reviews] = is_reviewed[i]
            row[A.passed_rules] = is_passed_rules[i]
            row[A.refused_on_score] = is_refused[i]
            amnesty_release = c > 0 and c != SENTENCE_SERVED
            row[A.releases] = 1.0 if amnesty_release else 0.0
            row[A.releases_bought] = 1.0 if c == BRIBERY_CODE else 0.0
            row[A.qualified_denied] = is_denied[i]
            row[A.violations] = is_violation[i]
            row[A.released_sentence_served] = 1.0 if c == SENTENCE_SERVED else 0.0
            row[A.remaining_sum] = remaining[i] if amnesty_release else 0.0
            in_cohort = released[i] >= 0 and step - released[i] >= TWELVE_MONTHS
            row[A.cohort_12m] = 1.0 if in_cohort else 0.0
            row[A.cohort_12m_rearrested] = 1.0 if in_cohort and rearrested[i] == 1 else 0.0
            row[A.loyalty_sum] = loyalty[i]
            row[A.resentment_sum] = resentment[i]
            row[A.heads] = 1.0
            acc_cell[ch, cell_idx[i]] += row
            acc_hh[ch, q] += row
            if has_soldier[h]:
                acc_hh[ch, amnesty_metrics.SOLDIER_ROW] += row
            if is_hero[h]:
                acc_hh[ch, amnesty_metrics.HERO_ROW] += row
            if marks[h] & amnesty_metrics.MARK_RELEASED:
                acc_hh[ch, amnesty_metrics.RELEASED_ROW] += row
            if marks[h] & amnesty_metrics.MARK_DENIED:
                acc_hh[ch, amnesty_metrics.DENIED_ROW] += row
            if offence[i] >= 0:  # by conviction; offences committed count by their category
                committed = row[A.offences]
                row[A.offences] = 0.0
                acc_off[ch, offence[i]] += row
                row[A.offences] = committed
            if offence_now[i] >= 0:
                acc_off[ch, offence_now[i], A.offences] += 1.0
            if is_reviewed[i]:  # every review counts in each channel's release rate
                for k in range(N_AMNESTY_CHANNELS):
                    acc_ch[ch, k, A.reviews] += 1.0
                row[A.reviews] = 0.0  # already counted in the channel rows (last use of row)
            if c > 0:
                acc_ch[ch, c - 1] += row


def _amnesty_pass(
    acc_cell: np.ndarray,
    acc_hh: np.ndarray,
    acc_off: np.ndarray,
    acc_ch: np.ndarray,
    ppl: People,
    am: AmnestyState,
    hh: Households,
    step: int,
) -> None:
    _amnesty_pass_kernel(
        acc_cell,
        acc_hh,
        acc_off,
        acc_ch,
        step,
        cell_idx=ppl.cell_idx,
        household_idx=ppl.household_idx,
        loyalty=ppl.loyalty_private,
        resentment=ppl.resentment,
        has_soldier=hh.has_soldier_abroad,
        is_hero=hh.is_hero_family,
        quintile=hh.wealth_quintile,
        marks=amnesty_metrics.household_marks(
            ppl.household_idx, am.step_released, am.step_denied, hh.wealth.shape[0]
        ),
        status=am.status,
        offence=am.offence,
        offence_now=am.offence_now,
        is_arrested=am.is_arrested,
        is_self_report=am.is_self_report,
        channel=am.release_channel,
        is_reviewed=am.is_reviewed,
        is_passed_rules=am.is_passed_rules,
        is_refused=am.is_refused_on_score,
        is_denied=am.is_qualified_denied,
        is_violation=am.is_violation,
        remaining=am.remaining_at_release,
        released=am.step_released,
        rearrested=am.is_rearrested_12m,
    )


@nb.njit(inline="always")
def _add_free(acc: np.ndarray, ch: int, r: int, loyalty: float, resentment: float) -> None:
    """A free person untouched by justice: counts as free, and in the household means."""
    acc[ch, r, A.free] += 1.0
    acc[ch, r, A.loyalty_sum] += loyalty
    acc[ch, r, A.resentment_sum] += resentment
    acc[ch, r, A.heads] += 1.0
