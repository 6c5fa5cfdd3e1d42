"""The enforced-loyalty model as the registry sees it: build, step, record."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pyarrow as pa

from loyalsim.engine.simulation import init, iterate
from loyalsim.models import ModelSpec, Progress
from loyalsim.observe.recorder import Recorder
from loyalsim.scenario.schema import Scenario


def simulate(
    scn: Scenario,
    seed: int,
    run_id: str,
    progress: Progress | None = None,
) -> pa.Table:
    """Run a scenario and return its tidy table."""
    state, ctx = init(scn, seed)
    recorder = Recorder(ctx)
    total = scn.time.n_steps
    for done, _ in enumerate(iterate(state, ctx), start=1):
        recorder.observe(state, ctx)
        if progress is not None:
            progress(done, total, partial(recorder.table, run_id, done))
    return recorder.table(run_id)


def person_steps(scn: Scenario) -> int:
    """Person-steps in a run: people x weeks."""
    return scn.population.n_people * scn.time.n_steps


def marker_dates(scn: Scenario) -> list[tuple[str, dt.date]]:
    """Dates worth marking on figures: orders and calendar events."""
    marks = [(o.name, o.start) for o in scn.enforcement.orders]
    marks += [(e.name, e.date) for e in scn.calendar.events]
    if scn.amnesty.enabled:
        marks += [(f"{e.name} (amnesty)", e.date) for e in scn.amnesty.events]
    return sorted(marks, key=lambda m: m[1])


SPEC = ModelSpec(
    name="loyalty",
    config_type=Scenario,
    simulate=simulate,
    person_steps=person_steps,
    marker_dates=marker_dates,
)
