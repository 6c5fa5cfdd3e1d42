"""Steps 9-13 of the weekly schedule: the amnesty subsystem (A1-A11).

9.  ``offences``    offending under economic pressure, detection, arrest (A5, A11)
10. ``self_report`` self-reports of undetected sensitive offences (A6)
11. ``custody``     time served, labour, re-education; release at the end of term (A7, A8)
12. ``supervision`` checks, violations, re-arrest; end of supervision (A10)
13. ``amnesty``     on an amnesty week: committee review and release channels (A1-A3, A5-A9),
                    then ``perception`` (A4, A9)

Each of 9-12 updates people independently; 13 is one committee decision over all inmates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from loyalsim.engine.population import State
from loyalsim.engine.rng import Streams
from loyalsim.mechanisms import amnesty, custody, offences, perception, self_report, supervision
from loyalsim.scenario.schemas.amnesty import OFFENCES, SENSITIVE
from loyalsim.scenario.schemas.loyalty import Scenario


@dataclass(frozen=True)
class JusticeConstants:
    """Per-category arrays derived once from the scenario."""

    base_rate: np.ndarray
    pressure_weight: np.ndarray
    detect: np.ndarray
    sentence_lo: np.ndarray
    sentence_hi: np.ndarray
    is_sensitive: np.ndarray
    custody_params: np.ndarray
    supervision_detect: float


def constants(scn: Scenario) -> JusticeConstants:
    cats = scn.offences.by_category()
    c, s = scn.custody, scn.supervision
    return JusticeConstants(
        base_rate=np.array([k.base_rate for k in cats]),
        pressure_weight=np.array([k.pressure_weight for k in cats]),
        detect=np.array([k.detect_prob for k in cats]),
        sentence_lo=np.array([k.sentence_min_weeks for k in cats], np.int64),
        sentence_hi=np.array([k.sentence_max_weeks for k in cats], np.int64),
        is_sensitive=np.array([name in SENSITIVE for name in OFFENCES]),
        custody_params=np.array(
            [
                c.labour_rate,
                c.labour_noise,
                c.reeducation_rate,
                c.reeducation_loyalty_weight,
                c.reeducation_fear_weight,
                c.reeducation_resentment_weight,
                c.reeducation_base,
            ]
        ),
        supervision_detect=supervision.detection_prob(
            s.detect_interview, s.detect_life_log, s.detect_movement
        ),
    )


def step(state: State, scn: Scenario, k: JusticeConstants, streams: Streams, date: dt.date) -> None:
    """Advance the amnesty subsystem by one week (steps 9-13 above)."""
    ppl, jus, t = state.people, state.justice, state.step
    for arr in jus.event_arrays():
        arr.fill(0)
    # 9. offences
    rates = offences.category_rates(
        k.base_rate, k.pressure_weight, offences.pressure_at(scn.economy, date)
    )
    off = scn.offences
    offences.apply(
        jus.status,
        ppl.loyalty_private,
        ppl.resentment,
        rates,
        k.detect,
        k.sentence_lo,
        k.sentence_hi,
        k.is_sensitive,
        off.resentment_weight,
        off.doubt_weight,
        off.supervised_detect_multiplier,
        jus.offence_now,
        jus.is_arrested,
        jus.hidden_offence,
        jus.offence,
        jus.sentence_weeks,
        jus.served_weeks,
        jus.labour,
        jus.reeducation,
        jus.is_self_reported,
        jus.supervision_left,
        jus.step_released,
        jus.is_rearrested_12m,
        t,
        streams.key("offences"),
    )
    # 10. self_report
    sr = scn.self_report
    state.self_report_boost = self_report.decay_boost(state.self_report_boost, sr.boost_decay)
    self_report.apply(
        jus.status,
        jus.hidden_offence,
        min(1.0, sr.base_prob * (1.0 + state.self_report_boost)),
        k.sentence_lo,
        k.sentence_hi,
        sr.leniency,
        jus.is_self_report,
        jus.is_self_reported,
        jus.offence,
        jus.sentence_weeks,
        jus.served_weeks,
        jus.labour,
        jus.reeducation,
        jus.supervision_left,
        streams.key("self_report"),
    )
    # 11. custody
    custody.apply(
        jus.status,
        ppl.loyalty_private,
        ppl.fear,
        ppl.resentment,
        jus.sentence_weeks,
        jus.served_weeks,
        jus.labour,
        jus.reeducation,
        jus.release_channel,
        jus.remaining_at_release,
        k.custody_params,
        streams.key("custody"),
    )
    # 12. supervision
    sv = scn.supervision
    supervision.apply(
        jus.status,
        ppl.resentment,
        jus.supervision_left,
        jus.sentence_weeks,
        jus.step_released,
        jus.is_violation,
        jus.is_arrested,
        jus.is_rearrested_12m,
        sv.violation_prob,
        sv.violation_resentment_weight,
        k.supervision_detect,
        sv.rearrest_penalty_weeks,
        t,
        streams.key("supervision"),
    )
    # 13. amnesty and perception
    event = amnesty.event_this_week(scn, date, date + dt.timedelta(days=6))
    if event is not None:
        outcome = amnesty.review(state, scn, event, t, streams.get("amnesty"))
        perception.apply(state, scn, outcome)
        state.self_report_boost = self_report.reward_boost(
            state.self_report_boost,
            sr.boost_per_reward,
            outcome.self_reported_released,
            outcome.self_reported_reviewed,
        )
