"""The amnesty: a joint committee reviews every inmate and releases them through channels.

Implements: A1, A2, A3, A5, A6, A7, A8, A9. On an amnesty week (A3) every inmate is reviewed:

    rules = served >= min_served_fraction * sentence and reeducation >= full_reeducation
            and (offence not excluded or (self-reported and self_report_channel))     (A8, A5, A6)
    score = w_labour labour + w_education reeducation - w_severity severity[offence] d    (A7)
    (d = 1 - self_report_severity_discount for self-reporters, A6; 1 otherwise)
    qualified = rules and score >= score_cutoff

Channels, in this order, each release having exactly one:
1. ``soldier_family`` (A1): inmates whose household has a soldier at the front are released
   with ``soldier_release_prob``, whatever their time served, outside the quota; excluded
   offences only if ``soldier_allows_excluded`` (or self-reported).
2. ``bribery`` (A9): a household pays; the bribe works with probability
   ``corruption * wealth_rank ** wealth_exponent`` (excluded offences cannot be bought out).
   Bought releases take quota places first.
3. ``hero_family`` (A2): each inmate of a war-hero family is picked for preferential
   treatment with probability ``hero_preference``; the committee then waives its own
   conditions (time served, re-education, score: A7, A8) but not the exclusions of the
   amnesty (A5, unless self-reported, A6). The picked take the next quota places, in random
   order.
4. The remaining quota places (``quota_share`` of inmates) go to the qualified by score:
   ``self_report`` for an excluded offence reported by the inmate, ``merit`` otherwise.

An inmate who was qualified or picked but left without a place is "qualified but denied"
(A9); one who met the rules (``is_passed_rules``) but scored below the cutoff, was not picked
and not released is "refused on score" (A7). Released inmates are supervised for a term
drawn uniformly between the supervision bounds (A10).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import numpy as np

from loyalsim.engine.context import RunContext, Week
from loyalsim.engine.population import CUSTODY, SUPERVISED, ReviewOutcome, State
from loyalsim.mechanisms import self_report
from loyalsim.scenario.events import amnesty_events
from loyalsim.scenario.schemas.amnesty import CHANNELS, OFFENCES, AmnestyEvent
from loyalsim.scenario.schemas.loyalty import Scenario

MERIT, SOLDIER, HERO, SELF_REPORT, BRIBERY = (1 + CHANNELS.index(c) for c in CHANNELS)


class Assessment(NamedTuple):
    """The committee's view of each inmate (arrays over the inmates, in index order)."""

    excluded: np.ndarray  # bool: offence in an excluded category (A5)
    self_reported: np.ndarray  # bool: counts as self-reported (A6)
    allowed: np.ndarray  # bool: not excluded, or excluded but self-reported (A5, A6)
    passed_rules: np.ndarray  # bool: A8, A5, A6
    score: np.ndarray  # float64 (A7)
    qualified: np.ndarray  # bool: rules and score at or above the cutoff


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


def assess(state: State, scn: Scenario, inmates: np.ndarray) -> Assessment:
    """Rules and committee score of each inmate (A5-A8)."""
    am, jus = scn.amnesty, state.amnesty
    off = jus.offence[inmates].astype(np.int64)
    severity = np.array([c.severity for c in scn.offences.by_category()])[off]
    self_rep = jus.is_self_reported[inmates].astype(bool) & am.self_report_channel
    severity = severity * np.where(self_rep, 1.0 - am.self_report_severity_discount, 1.0)
    score = (
        am.weight_labour * jus.labour[inmates]
        + am.weight_education * jus.reeducation[inmates]
        - am.weight_severity * severity
    )
    excluded = np.isin(off, [OFFENCES.index(x) for x in am.excluded])
    allowed = ~excluded | self_rep
    rules = (
        allowed
        & (jus.served_weeks[inmates] >= am.min_served_fraction * jus.sentence_weeks[inmates])
        & (jus.reeducation[inmates] >= am.full_reeducation)
    )
    return Assessment(excluded, self_rep, allowed, rules, score, rules & (score >= am.score_cutoff))


def review(
    state: State, scn: Scenario, event: AmnestyEvent, step: int, rng: np.random.Generator
) -> ReviewOutcome:
    """Review every inmate, release through channels, start their supervision."""
    am, jus, hh = scn.amnesty, state.amnesty, state.households
    inmates = np.flatnonzero(jus.status == CUSTODY)
    jus.is_reviewed[inmates] = 1
    house = state.people.household_idx[inmates]
    a = assess(state, scn, inmates)
    u_soldier, u_bribe, u_order, u_hero = rng.random((4, inmates.shape[0]))
    channel = np.zeros(inmates.shape[0], np.uint8)
    if am.soldier_channel:
        allowed = a.allowed | am.soldier_allows_excluded
        soldier = hh.has_soldier_abroad[house] & allowed & (u_soldier < am.soldier_release_prob)
        channel[soldier] = SOLDIER
    places = int(np.floor(event.quota_share * inmates.shape[0]))
    if am.bribery:
        p_bribe = am.corruption * hh.wealth_rank[house].astype(np.float64) ** am.wealth_exponent
        bought = np.flatnonzero((channel == 0) & ~a.excluded & (u_bribe < p_bribe))
        places -= _fill(channel, bought, u_order, places, BRIBERY)
    picked = a.allowed & hh.is_hero_family[house] & (u_hero < am.hero_preference)
    places -= _fill(channel, np.flatnonzero(picked & (channel == 0)), u_order, places, HERO)
    waiting = np.flatnonzero(a.qualified & (channel == 0))
    # Best score first; ties broken by a random draw, never by position in the arrays.
    waiting = waiting[np.lexsort((u_order[waiting], -a.score[waiting]))]
    chosen = waiting[: max(places, 0)]
    channel[chosen] = np.where(a.excluded[chosen], SELF_REPORT, MERIT)
    left_out = channel == 0
    denied = inmates[left_out & (a.qualified | picked)]
    refused = inmates[left_out & a.passed_rules & ~a.qualified & ~picked]
    released_local = np.flatnonzero(channel > 0)
    released = inmates[released_local]
    _release(state, scn.supervision.min_weeks, scn.supervision.max_weeks, released, step, rng)
    jus.release_channel[released] = channel[released_local]
    jus.is_passed_rules[inmates[a.passed_rules]] = 1
    jus.is_refused_on_score[refused] = 1
    jus.is_qualified_denied[denied] = 1
    jus.step_denied[denied] = step
    return ReviewOutcome(
        released=released,
        channel=channel[released_local],
        denied=denied,
        self_reported_reviewed=int(a.self_reported.sum()),
        self_reported_released=int((channel[a.self_reported] > 0).sum()),
    )


def _fill(
    channel: np.ndarray, candidates: np.ndarray, u_order: np.ndarray, places: int, code: int
) -> int:
    """Give up to ``places`` candidates, in random order, the channel ``code``; how many."""
    taken = candidates[np.argsort(u_order[candidates], kind="stable")][: max(places, 0)]
    channel[taken] = code
    return int(taken.shape[0])


def _release(
    state: State,
    min_weeks: int,
    max_weeks: int,
    who: np.ndarray,
    step: int,
    rng: np.random.Generator,
) -> None:
    jus = state.amnesty
    jus.status[who] = SUPERVISED
    jus.remaining_at_release[who] = np.maximum(0, jus.sentence_weeks[who] - jus.served_weeks[who])
    jus.supervision_left[who] = rng.integers(min_weeks, max_weeks + 1, who.shape[0])
    jus.step_released[who] = step
    jus.is_rearrested_12m[who] = 0
    jus.hidden_offence[who] = 0


def event_this_week(scn: Scenario, date_from: dt.date, date_to: dt.date) -> AmnestyEvent | None:
    """The amnesty review held in [date_from, date_to], if any: a dated one or, with
    ``amnesty.recurring``, one on a pardon holiday's round anniversary (A3)."""
    for event in amnesty_events(scn, date_from, date_to):
        return AmnestyEvent(name=event.name, date=event.date, quota_share=event.quota_share)
    return None
