"""The amnesty: a joint committee reviews every inmate and releases them through channels.

Implements: A1, A2, A3, A5, A6, A7, A8, A9. On an amnesty week (A3) every inmate is reviewed:

    score = w_labour labour + w_education reeducation - w_severity severity[offence] d
            + hero_preference [war-hero family]                                       (A7, A2)
    (d = 1 - self_report_severity_discount for self-reporters, A6; 1 otherwise)
    rules = served >= min_served_fraction * sentence and reeducation >= full_reeducation
            and (offence not excluded or (self-reported and self_report_channel))     (A8, A5, A6)
    qualified = rules and score >= score_cutoff

Channels, in this order, each release having exactly one:
1. ``soldier_family`` (A1): inmates whose household has a soldier at the front are released
   with ``soldier_release_prob``, whatever their time served, outside the quota; excluded
   offences only if ``soldier_allows_excluded`` (or self-reported).
2. ``bribery`` (A9): a household pays; the bribe works with probability
   ``corruption * wealth_rank ** wealth_exponent`` (excluded offences cannot be bought out).
   Bought releases take quota places first.
3. The remaining quota places (``quota_share`` of inmates) go to the qualified by score:
   ``self_report`` for an excluded offence reported by the inmate, ``hero_family`` where the
   hero bonus made the difference, ``merit`` otherwise.
Qualified inmates left without a place are "qualified but denied". Released inmates are
supervised for a term drawn uniformly between the supervision bounds (A10).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from loyalsim.engine.context import RunContext, Week
from loyalsim.engine.population import CUSTODY, SUPERVISED, ReviewOutcome, State
from loyalsim.mechanisms import self_report
from loyalsim.scenario.events import amnesty_events
from loyalsim.scenario.schemas.amnesty import CHANNELS, OFFENCES, AmnestyEvent
from loyalsim.scenario.schemas.loyalty import Scenario

MERIT, SOLDIER, HERO, SELF_REPORT, BRIBERY = (1 + CHANNELS.index(c) for c in CHANNELS)


def step(state: State, ctx: RunContext, week: Week) -> None:
    """On an amnesty week: review every inmate (``state.review``), then raise the
    self-report incentive by the share of self-reporters released (A6)."""
    scn = ctx.scenario
    event = event_this_week(scn, week.date, week.date + dt.timedelta(days=6))
    state.review = None
    if event is None:
        return
    outcome = review(state, scn, event, week.step, ctx.streams.get("amnesty"))
    state.review = outcome
    sr = scn.self_report
    state.self_report_boost = self_report.reward_boost(
        state.self_report_boost,
        sr.boost_per_reward,
        outcome.self_reported_released,
        outcome.self_reported_reviewed,
    )


def review(
    state: State, scn: Scenario, event: AmnestyEvent, step: int, rng: np.random.Generator
) -> ReviewOutcome:
    """Review every inmate, release through channels, start their supervision."""
    am, ppl, jus, hh = scn.amnesty, state.people, state.amnesty, state.households
    inmates = np.flatnonzero(jus.status == CUSTODY)
    jus.is_reviewed[inmates] = 1
    off = jus.offence[inmates].astype(np.int64)
    house = ppl.household_idx[inmates]
    severity = np.array([c.severity for c in scn.offences.by_category()])[off]
    hero = hh.is_hero_family[house]
    bonus = am.hero_preference * hero
    self_rep = jus.is_self_reported[inmates].astype(bool) & am.self_report_channel
    severity = severity * np.where(self_rep, 1.0 - am.self_report_severity_discount, 1.0)
    score = (
        am.weight_labour * jus.labour[inmates]
        + am.weight_education * jus.reeducation[inmates]
        - am.weight_severity * severity
        + bonus
    )
    excluded = np.isin(off, [OFFENCES.index(x) for x in am.excluded])
    rules = (
        (jus.served_weeks[inmates] >= am.min_served_fraction * jus.sentence_weeks[inmates])
        & (jus.reeducation[inmates] >= am.full_reeducation)
        & (~excluded | self_rep)
    )
    qualified = rules & (score >= am.score_cutoff)
    channel = np.zeros(inmates.shape[0], np.uint8)
    u_soldier, u_bribe, u_order = rng.random((3, inmates.shape[0]))
    if am.soldier_channel:
        allowed = ~excluded | self_rep | am.soldier_allows_excluded
        channel[hh.has_soldier_abroad[house] & allowed & (u_soldier < am.soldier_release_prob)] = (
            SOLDIER
        )
    quota = int(np.floor(event.quota_share * inmates.shape[0]))
    if am.bribery:
        p_bribe = am.corruption * hh.wealth_rank[house].astype(np.float64) ** am.wealth_exponent
        bought = np.flatnonzero((channel == 0) & ~excluded & (u_bribe < p_bribe))
        bought = bought[np.argsort(u_order[bought], kind="stable")][:quota]
        channel[bought] = BRIBERY
        quota -= bought.shape[0]
    waiting = np.flatnonzero(qualified & (channel == 0))
    # Best score first; ties broken by a random draw, never by position in the arrays.
    waiting = waiting[np.lexsort((u_order[waiting], -score[waiting]))]
    chosen = waiting[: max(quota, 0)]
    needed_bonus = hero[chosen] & (score[chosen] - bonus[chosen] < am.score_cutoff)
    channel[chosen] = np.where(excluded[chosen], SELF_REPORT, np.where(needed_bonus, HERO, MERIT))
    denied = inmates[qualified & (channel == 0)]
    released_local = np.flatnonzero(channel > 0)
    released = inmates[released_local]
    _release(state, scn, released, channel[released_local], step, rng)
    jus.is_qualified_denied[denied] = 1
    return ReviewOutcome(
        released=released,
        channel=channel[released_local],
        denied=denied,
        self_reported_reviewed=int(self_rep.sum()),
        self_reported_released=int((channel[self_rep] > 0).sum()),
    )


def _release(
    state: State,
    scn: Scenario,
    who: np.ndarray,
    channel: np.ndarray,
    step: int,
    rng: np.random.Generator,
) -> None:
    jus, sup = state.amnesty, scn.supervision
    jus.status[who] = SUPERVISED
    jus.release_channel[who] = channel
    jus.remaining_at_release[who] = np.maximum(0, jus.sentence_weeks[who] - jus.served_weeks[who])
    jus.supervision_left[who] = rng.integers(sup.min_weeks, sup.max_weeks + 1, who.shape[0])
    jus.step_released[who] = step
    jus.is_rearrested_12m[who] = 0
    jus.hidden_offence[who] = 0


def event_this_week(scn: Scenario, date_from: dt.date, date_to: dt.date) -> AmnestyEvent | None:
    """The amnesty review held in [date_from, date_to], if any: a dated one or, with
    ``amnesty.recurring``, one on a pardon holiday's round anniversary (A3)."""
    for event in amnesty_events(scn, date_from, date_to):
        return AmnestyEvent(name=event.name, date=event.date, quota_share=event.quota_share)
    return None
