"""Runs of the default scenario forked at its first amnesty: one history, then variants.

A switch that acts only from the first review on (the committee's channels and rules, how
people read the amnesty, supervision of releasees, the self-report reward) cannot change
anything before that week, so a variant run equals the default run up to it, draw for draw.
The default is run once per seed up to the week before the review and kept; a variant goes
on from a copy of that state with its own scenario. Every variant is checked to differ from
the default only in such switches, and ``test_amnesty_claims`` checks a forked run against
the same variant run from the start.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from typing import Any

import pyarrow as pa

from loyalsim.engine.context import RunContext
from loyalsim.engine.population import State
from loyalsim.mechanisms.amnesty import event_this_week
from loyalsim.models.loyalty import schedule
from loyalsim.observe.recorder import Recorder
from loyalsim.scenario.io import load
from loyalsim.scenario.schemas.loyalty import Scenario

N = 100_000


def _loaded(source: str, overrides: dict[str, Any], n: int) -> Scenario:
    config = load(source, overrides or None, population=n)
    assert isinstance(config, Scenario)
    return config


def first_review_step(scn: Scenario) -> int:
    """The step of the scenario's first amnesty review."""
    for step, date in enumerate(scn.step_dates()):
        if event_this_week(scn, date, date + dt.timedelta(days=6)):
            return step
    raise AssertionError("the scenario has no amnesty")


def _before_review(scn: Scenario) -> dict[str, Any]:
    """The part of a scenario that acts before the first review."""
    data = scn.model_dump()
    for key in ("name", "description", "perception", "supervision"):
        data.pop(key)
    data["amnesty"] = {k: data["amnesty"][k] for k in ("enabled", "events")}
    data["self_report"].pop("boost_per_reward")
    return data


@functools.cache
def _prefix(seed: int, n: int) -> tuple[State, RunContext, Recorder, int]:
    """The default run up to the week before its first review (kept per seed and size)."""
    scn = _loaded("default", {}, n)
    review = first_review_step(scn)
    state, ctx = schedule.init(scn, seed)
    recorder = Recorder(ctx, state)
    for date in scn.step_dates()[:review]:
        recorder.observe(state, ctx, schedule.step(state, ctx, date))
    return state, ctx, recorder, review


def history(seed: int, n: int = N) -> pa.Table:
    """The default's table up to the week before its first review."""
    _, _, recorder, review = _prefix(seed, n)
    return recorder.table(f"default-{seed}", review)


def review_step(n: int = N) -> int:
    """The step of the default's first review."""
    return first_review_step(_loaded("default", {}, n))


def forked(
    seed: int, weeks: int, source: str = "default", n: int = N, **overrides: Any
) -> pa.Table:
    """``source`` with ``overrides``, run from the default's state before its first review
    for ``weeks`` weeks (the review week included); the table from step 0."""
    scn = _loaded(source, overrides, n)
    state0, ctx0, recorder0, review = _prefix(seed, n)
    assert _before_review(scn) == _before_review(ctx0.scenario), (
        f"{source} {overrides} differs from default before the review: it cannot be forked"
    )
    state, ctx, recorder = copy.deepcopy((state0, ctx0, recorder0))
    ctx.scenario = scn
    last = review + weeks
    assert last <= scn.time.n_steps
    for date in scn.step_dates()[review:last]:
        recorder.observe(state, ctx, schedule.step(state, ctx, date))
    return recorder.table(f"{source}-{seed}", last)
