"""The weekly step of the enforced-loyalty model, written once.

Every week runs these phases in this order; each is one mechanism module with the entry
``step(state, ctx, week)``. Within a phase all people are updated before the next phase
starts, and the result does not depend on the order of people.

 1. policy       regime, intensity and monitoring per cell for this week (C3-C5, C8, C12)
 2. sessions     sessions per work unit (C1, C8)
 3. lapses       attendance, lapses, detections; fatigue (C2, C8, C10, C13)
 4. enforcement  warnings, or cases due for a struggle session (C2-C5)
 5. struggle     struggle sessions for cases due this week; criticism voiced (C6, C7)
 6. beliefs      fear, loyalty, resentment, display from this week's events (C9, C11)
 7. inference    loyalty moves toward the loyalty inferred from ties' display (C11)
 8. contagion    cynicism from self and ties, simultaneous (double buffer) (C10)
 9. adaptation   concealment and monitor skill (C13)
10. offences     offending under economic pressure, detection, arrest (A5, A11)
11. self_report  self-reports of undetected sensitive offences (A6)
12. custody      time served, labour, re-education; release at the end of term (A7, A8)
13. supervision  checks, violations, re-arrest; end of supervision (A10)
14. amnesty      on an amnesty week: committee review and release channels (A1-A3, A5-A9)
15. perception   how families, the denied and everyone read the amnesty (A4, A9)

Phases 10-15 run only when ``amnesty.enabled``. Phase 1 makes the week: its policy is what
every later phase reads. Phase 2 works per unit, 5 per work team, 14 is one committee
decision over all inmates; the others update each person from their own state and their
unit's. Phase 7 reads this week's display and writes loyalty only; phase 8 reads last week's
cynicism of everybody and writes the new values only after all are computed. Observation
comes after phase 15 and never writes to the state.

Before the first recorded week, ``time.spin_up_weeks`` weeks run the same phases under the
scenario without its orders and amnesties (``spin_up_scenario``), so that the run starts
from the society's own steady state; week numbers then restart at 0.

Each phase's kernel is one parallel pass over the population; ``docs/design.md`` (Speed of
the weekly step) says why phases are not fused into one pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import NamedTuple

import numpy as np

from loyalsim.engine.build import build
from loyalsim.engine.context import RunContext, Week
from loyalsim.engine.population import State
from loyalsim.engine.rng import Streams
from loyalsim.mechanisms import (
    adaptation,
    amnesty,
    beliefs,
    contagion,
    custody,
    enforcement,
    inference,
    lapses,
    offences,
    perception,
    self_report,
    sessions,
    struggle,
    supervision,
)
from loyalsim.mechanisms.policy import policy_at
from loyalsim.mechanisms.threat import severity_by_regime
from loyalsim.observe.recorder import Recorder
from loyalsim.scenario.schemas.loyalty import Scenario

MechanismStep = Callable[[State, RunContext, Week], None]


class Phase(NamedTuple):
    """One numbered line of the weekly order."""

    number: int
    name: str
    run: MechanismStep
    amnesty_only: bool = False


# Phases 2-15 (phase 1, the policy, makes the week that they all receive).
PHASES: tuple[Phase, ...] = (
    Phase(2, "sessions", sessions.step),
    Phase(3, "lapses", lapses.step),
    Phase(4, "enforcement", enforcement.step),
    Phase(5, "struggle", struggle.step),
    Phase(6, "beliefs", beliefs.step),
    Phase(7, "inference", inference.step),
    Phase(8, "contagion", contagion.step),
    Phase(9, "adaptation", adaptation.step),
    Phase(10, "offences", offences.step, amnesty_only=True),
    Phase(11, "self_report", self_report.step, amnesty_only=True),
    Phase(12, "custody", custody.step, amnesty_only=True),
    Phase(13, "supervision", supervision.step, amnesty_only=True),
    Phase(14, "amnesty", amnesty.step, amnesty_only=True),
    Phase(15, "perception", perception.step, amnesty_only=True),
)


def init(scn: Scenario, seed: int) -> tuple[State, RunContext]:
    """Build the population, spin it up to its steady state, and derive the run's constants."""
    streams = Streams(seed)
    state = build(scn, streams)
    ctx = _context(scn, state, streams)
    weeks = scn.time.spin_up_weeks
    if weeks:
        spin = spin_up_scenario(scn)
        spin_ctx = _context(spin, state, streams)
        for date in spin.step_dates():
            step(state, spin_ctx, date)
        # Week numbers restart at 0; a case pending at the end of the spin-up keeps its delay.
        due = state.people.step_struggle_due
        due[due >= 0] -= weeks
    state.step = 0
    return state, ctx


def _context(scn: Scenario, state: State, streams: Streams) -> RunContext:
    b, ppl = scn.beliefs, state.people
    return RunContext(
        scenario=scn,
        streams=streams,
        severity=severity_by_regime(b.severity_warning, b.severity_struggle),
        hh_factor=contagion.household_peer_factors(ppl.household_idx, state.n_households),
        hh_sums=np.zeros(state.n_households),
    )


def spin_up_scenario(scn: Scenario) -> Scenario:
    """The weeks before the start: the same society without orders or amnesty reviews."""
    weeks = scn.time.spin_up_weeks
    return scn.model_copy(
        update={
            "time": scn.time.model_copy(
                update={
                    "start": scn.time.start - dt.timedelta(weeks=weeks),
                    "n_steps": weeks,
                    "spin_up_weeks": 0,
                }
            ),
            "enforcement": scn.enforcement.model_copy(update={"orders": []}),
            "amnesty": scn.amnesty.model_copy(update={"events": [], "recurring": "none"}),
        }
    )


def active_phases(scn: Scenario) -> tuple[Phase, ...]:
    """The phases that run under this scenario (the amnesty's only when it is enabled)."""
    return tuple(p for p in PHASES if scn.amnesty.enabled or not p.amnesty_only)


def step(state: State, ctx: RunContext, date: dt.date) -> Week:
    """Advance the state by one week (the numbered order above); returns the week."""
    for arr in state.people.event_arrays():
        arr.fill(0)
    state.units.struggle_orgs.fill(0)
    state.units.struggle_several.fill(0)
    if ctx.scenario.amnesty.enabled:
        for arr in state.amnesty.event_arrays():
            arr.fill(0)
    week = Week(state.step, date, policy_at(ctx.scenario, date))  # 1. policy
    for phase in active_phases(ctx.scenario):
        phase.run(state, ctx, week)
    state.step += 1
    return week


def iterate(state: State, ctx: RunContext, recorder: Recorder | None = None) -> Iterator[Week]:
    """Step through the scenario's weeks, recording each into ``recorder`` if given."""
    for date in ctx.scenario.step_dates():
        week = step(state, ctx, date)
        if recorder is not None:
            recorder.observe(state, ctx, week)
        yield week
