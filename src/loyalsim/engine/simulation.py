"""Start and advance a run of the enforced-loyalty model (no observation here)."""

from __future__ import annotations

from collections.abc import Iterator

from loyalsim.engine.build import build
from loyalsim.engine.population import State
from loyalsim.engine.rng import Streams
from loyalsim.engine.schedule import Context, make_context, step
from loyalsim.scenario.schemas.loyalty import Scenario


def init(scn: Scenario, seed: int) -> tuple[State, Context]:
    """Build the population and the run's constants from a scenario and a seed."""
    streams = Streams(seed)
    state = build(scn, streams)
    return state, make_context(scn, state, streams)


def iterate(state: State, ctx: Context) -> Iterator[State]:
    """Step through the scenario's weeks, yielding the state after each step."""
    for date in ctx.scenario.step_dates():
        step(state, ctx, date)
        yield state
