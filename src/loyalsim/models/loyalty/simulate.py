"""A run of the enforced-loyalty model: build, step every week, record the observables."""

from __future__ import annotations

from functools import partial

import pyarrow as pa

from loyalsim.models import Progress
from loyalsim.models.loyalty.schedule import init, iterate
from loyalsim.observe.recorder import Recorder
from loyalsim.scenario.schemas.loyalty import Scenario


def simulate(
    scn: Scenario,
    seed: int,
    run_id: str,
    progress: Progress | None = None,
) -> pa.Table:
    """Run a scenario and return its tidy table."""
    state, ctx = init(scn, seed)
    recorder = Recorder(ctx, state)
    total = scn.time.n_steps
    for done, _ in enumerate(iterate(state, ctx, recorder), start=1):
        if progress is not None:
            progress(done, total, partial(recorder.table, run_id, done))
    return recorder.table(run_id)


def person_steps(scn: Scenario) -> int:
    """Person-steps in a run: people x weeks."""
    return scn.population.n_people * scn.time.n_steps
