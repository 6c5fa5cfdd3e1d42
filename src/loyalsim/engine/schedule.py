"""The weekly step of the enforced-loyalty model, written once.

Order within a step (each line is one mechanism module; all people are updated within a
line before the next line starts):

1. ``policy``      regime, intensity and monitoring per cell for this week (C3-C5, C8, C12)
2. ``sessions``    sessions per work unit (C1, C8)
3. ``lapses``      attendance, lapses, detections; fatigue (C2, C8, C10, C13)
4. ``enforcement`` warnings, or cases due for a struggle session (C2-C5)
5. ``struggle``    struggle sessions for cases due this week; criticism voiced (C6, C7)
6. ``beliefs``     fear, loyalty, resentment, display from this week's events (C9, C11)
7. ``contagion``   cynicism from self and ties, simultaneous (double buffer) (C10)
8. ``adaptation``  concealment and monitor skill (C13)
9-13.              the amnesty subsystem, when ``amnesty.enabled`` (``justice_step``):
                   offences, self-reports, custody, supervision, amnesty and perception

Lines 3, 4, 6 and 8 update each person from their own state and their unit's; line 5 works
team by team. Within a line the result does not depend on the order of people. Line 7
reads last week's cynicism of everybody and writes the new values only after all are
computed. Observation (including C14's dissent thresholds) happens
after line 8 and never writes to the state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from loyalsim.engine import justice_step
from loyalsim.engine.justice_step import JusticeConstants
from loyalsim.engine.population import State
from loyalsim.engine.rng import Streams
from loyalsim.mechanisms import (
    adaptation,
    beliefs,
    contagion,
    enforcement,
    lapses,
    sessions,
    struggle,
)
from loyalsim.mechanisms.policy import Policy, policy_at
from loyalsim.mechanisms.threat import severity_by_regime
from loyalsim.scenario.schemas.loyalty import Scenario


@dataclass
class Context:
    """Constants of a run derived once from the scenario, and scratch buffers."""

    scenario: Scenario
    streams: Streams
    severity: np.ndarray
    venue_factor: np.ndarray
    lapse_params: np.ndarray
    belief_params: np.ndarray
    contagion_params: np.ndarray
    hh_sums: np.ndarray
    hh_factor: np.ndarray
    justice: JusticeConstants
    policy: Policy | None = None


def make_context(scn: Scenario, state: State, streams: Streams) -> Context:
    """Pack parameters into the flat arrays the kernels take."""
    lp, b, c = scn.lapses, scn.beliefs, scn.contagion
    return Context(
        scenario=scn,
        streams=streams,
        severity=severity_by_regime(b.severity_warning, b.severity_struggle),
        venue_factor=np.array(lp.venue_factor, np.float64),
        lapse_params=np.array(
            [
                scn.sessions.attendance,
                lp.base_logit,
                lp.fatigue_weight,
                lp.belief_weight,
                lp.cynicism_weight,
                lp.countermeasure_weight,
                lp.detect_base,
                lp.attendance_only_factor,
                lp.fatigue_per_session,
                lp.fatigue_recovery,
                b.intensity_threat,
            ],
            np.float64,
        ),
        belief_params=np.array(
            [
                b.young_multiplier,
                b.intensity_threat,
                b.fear_per_struggle_attended,
                b.fear_per_accusation,
                b.fear_per_warning,
                b.fear_decay,
                b.display_rate,
                b.erosion_accused,
                b.erosion_false_criticism,
                b.erosion_session_pressure,
                b.erosion_cynicism,
                b.loyalty_recovery,
                b.resentment_accused,
                b.resentment_false_criticism,
                b.resentment_session_pressure,
                b.resentment_decay,
            ],
            np.float64,
        ),
        contagion_params=np.array(
            [
                c.self_rate,
                c.peer_rate,
                b.young_multiplier,
                c.team_weight,
                c.household_weight,
                c.friend_weight,
                c.resentment_weight,
                c.fatigue_weight,
                c.doubt_weight,
            ],
            np.float64,
        ),
        hh_sums=np.zeros(state.n_households, np.float64),
        hh_factor=contagion.household_peer_factors(state.people.household_idx, state.n_households),
        justice=justice_step.constants(scn),
    )


def step(state: State, ctx: Context, date: dt.date) -> None:
    """Advance the state by one week (the numbered order above)."""
    scn, streams, ppl, units = ctx.scenario, ctx.streams, state.people, state.units
    t = state.step
    for arr in ppl.event_arrays():
        arr.fill(0)
    units.struggle_orgs.fill(0)
    # 1. policy
    pol = policy_at(scn, date)
    ctx.policy = pol
    # 2. sessions
    sessions.draw_sessions(
        units.province_idx,
        pol.province_intensity,
        scn.sessions.base_per_week,
        scn.sessions.per_week_per_intensity,
        scn.sessions.max_per_week,
        streams.key("sessions"),
        units.n_sessions,
    )
    # 3. lapses
    lapses.apply(
        units.start,
        units.n_sessions,
        units.venue,
        units.monitor_skill,
        ppl.cell_idx,
        pol.regime,
        pol.intensity,
        pol.detection_multiplier,
        pol.checks_attentiveness,
        ctx.severity,
        ctx.venue_factor,
        ppl.loyalty_private,
        ppl.cynicism,
        ppl.fear,
        ppl.concealment,
        ppl.fatigue,
        ppl.n_sessions_attended,
        ppl.n_lapses,
        ppl.n_detected,
        state.justice.status,
        ctx.lapse_params,
        streams.key("lapses"),
    )
    # 4. enforcement
    enforcement.apply(
        ppl.cell_idx,
        pol.regime,
        ppl.n_detected,
        ppl.step_struggle_due,
        ppl.n_warnings,
        ppl.is_accused_new,
        ppl.n_times_accused,
        scn.enforcement.case_prob,
        t + scn.enforcement.struggle_delay_weeks,
        streams.key("enforcement"),
    )
    # 5. struggle
    struggle.apply(
        units.start,
        scn.population.team_size,
        ppl.organisation,
        ppl.loyalty_private,
        ppl.step_struggle_due,
        t,
        scn.struggle.sincere_loyalty_threshold,
        ppl.is_struggled,
        ppl.n_struggles_attended,
        ppl.n_criticisms_sincere,
        ppl.n_criticisms_false,
        units.struggle_orgs,
        state.justice.status,
    )
    # 6. beliefs
    beliefs.apply(
        ppl.cell_idx,
        pol.regime,
        pol.intensity,
        ctx.severity,
        ppl.age_group,
        ppl.is_struggled,
        ppl.n_warnings,
        ppl.n_criticisms_false,
        ppl.n_struggles_attended,
        ppl.n_sessions_attended,
        ppl.cynicism,
        ppl.loyalty_initial,
        ppl.loyalty_private,
        ppl.resentment,
        ppl.fear,
        ppl.display_public,
        ctx.belief_params,
    )
    # 7. contagion
    contagion.household_sums(ppl.household_idx, ppl.cynicism, ctx.hh_sums)
    contagion.apply(
        units.start,
        scn.population.team_size,
        ppl.household_idx,
        ctx.hh_sums,
        ctx.hh_factor,
        ppl.friend_idx,
        ppl.age_group,
        ppl.resentment,
        ppl.fatigue,
        ppl.loyalty_private,
        ppl.cynicism,
        ppl.cynicism_next,
        ctx.contagion_params,
    )
    ppl.cynicism, ppl.cynicism_next = ppl.cynicism_next, ppl.cynicism
    # 8. adaptation
    ad = scn.adaptation
    adaptation.apply_people(
        ppl.n_lapses,
        ppl.n_struggles_attended,
        ppl.concealment,
        ad.conceal_learn_lapse,
        ad.conceal_learn_witness,
        ad.conceal_max,
    )
    adaptation.apply_monitors(
        units.monitor_skill,
        units.province_idx,
        pol.province_intensity,
        ad.monitor_learning_rate,
        ad.monitor_skill_max,
    )
    # 9-13. amnesty subsystem
    if scn.amnesty.enabled:
        justice_step.step(state, scn, ctx.justice, streams, date)
    state.step = t + 1
