"""Calibration throughput: candidate particles per second, parallel efficiency, overhead.

A small calibration of the default scenario (two parameters, one C6 target with a wide
range, so most candidates are accepted and the figure measures evaluation, not rejection)
runs three times: in this process on one thread (serial), on 2 local worker processes, and
on a local Dask cluster of 2 single-threaded workers. Generation 0 (pool start, imports,
numba cache loading) is left out: rates are over the later generations, using the wall time
pyabc records per generation (sampling, database writes, fitting the next proposal).

- particles per second: candidates evaluated / wall time;
- parallel efficiency: rate(2 workers) / (2 x rate(serial));
- overhead per particle: the serial calibration's whole wall time minus the time spent
  inside its own simulations, per simulation, as a share of a simulation's mean time
  (target: under 10 % at 20,000 people).

Figures go to the ``## Calibration`` section of benchmarks/results.md (``--no-record``
prints only). Usage:

    python benchmarks/calibration_throughput.py [--people 20000] [--particles 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

import numba
import pyarrow.parquet as pq
from results_file import write_section

from loyalsim.calibrate.model import ParticleModel
from loyalsim.calibrate.parallel import make_mapper
from loyalsim.calibrate.plan import plan_from_text
from loyalsim.calibrate.run import prepare_dir, run_calibration

TARGETS = """
name = "bench-calibration"
base = "default"
seed = 7
[set]
"population.n_people" = {people}
"time.start" = {start}
"time.n_steps" = {steps}
[abc]
population = {particles}
generations = {generations}
final_epsilon = 0.0
predictive = 0
[[parameters]]
path = "lapses.detect_base"
prior = "log-uniform"
low = 0.01
high = 0.1
[[parameters]]
path = "enforcement.case_prob"
low = 0.2
high = 1.0
[[targets]]
metric = "accused"
group = "province:South Hamgyong"
window = {{ start = 2026-02-02 }}
statistic = "per_work_unit"
rate = "month"
range = [0.0, 20.0]
source = "benchmark (a range nearly every particle meets)"
"""


def simulation_seconds(plan: object, repeats: int) -> float:
    """Mean time of one run of the plan's base scenario (with evaluation) on one thread."""
    model = ParticleModel(plan.base, plan.priors, plan.targets)  # type: ignore[attr-defined]
    theta = {p.key: (p.sampled_low + p.sampled_high) / 2 for p in plan.priors}  # type: ignore[attr-defined]
    model.statistics(theta, [0])  # warm-up: numba cache, imports
    started = time.perf_counter()
    for seed in range(1, repeats + 1):
        model.statistics(theta, [seed])
    return (time.perf_counter() - started) / repeats


class SimulationClock:
    """Time spent inside ``ParticleModel.statistics`` (one simulation with its statistics),
    counted while it is installed; only meaningful for the serial executor (same process)."""

    def __init__(self) -> None:
        self.seconds, self.calls = 0.0, 0
        self._original = ParticleModel.statistics

    def __enter__(self) -> SimulationClock:
        original = self._original

        def timed(model: ParticleModel, *args: Any, **kwargs: Any) -> dict[str, float]:
            started = time.perf_counter()
            try:
                return original(model, *args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
                self.calls += 1

        ParticleModel.statistics = timed  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        ParticleModel.statistics = self._original  # type: ignore[method-assign]


def rate(plan: object, executor: str, workers: int) -> tuple[float, int, float]:
    """Candidates per second over generations 1 and later, candidates counted, and the
    wall time of the whole calibration (all generations, setup included)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        prepare_dir(plan, out)  # type: ignore[arg-type]
        mapper = make_mapper(executor, workers)
        started = time.perf_counter()
        try:
            run_calibration(plan, out, mapper)  # type: ignore[arg-type]
        finally:
            wall = time.perf_counter() - started
            mapper.close()
        gens = pq.read_table(out / "generations.parquet").to_pylist()
    later = [g for g in gens if g["generation"] >= 1]
    evaluated = sum(g["evaluated"] for g in later)
    return evaluated / sum(g["wall_s"] for g in later), evaluated, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--steps", type=int, default=104)
    parser.add_argument("--particles", type=int, default=50)
    parser.add_argument("--generations", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5, help="simulations timed alone")
    parser.add_argument("--no-record", action="store_true", help="print, do not record")
    args = parser.parse_args()
    # The run ends where the default scenario ends (December 2026), after the order.
    start = dt.date(2026, 12, 28) - dt.timedelta(weeks=args.steps - 1)
    text = TARGETS.format(
        people=args.people,
        start=start.isoformat(),
        steps=args.steps,
        particles=args.particles,
        generations=args.generations,
    )
    plan = plan_from_text(text, "benchmark")
    numba.set_num_threads(1)  # the serial reference runs on one core, like each worker
    sim = simulation_seconds(plan, args.repeats)
    with SimulationClock() as clock:
        serial, n_serial, serial_wall = rate(plan, "serial", 1)
    procs, n_procs, _ = rate(plan, "processes", 2)
    dask, n_dask, _ = rate(plan, "dask", 2)
    # The library's own time: the serial calibration's wall time (every generation, setup
    # included) minus the time its simulations took, per candidate. Comparing with a
    # simulation timed alone instead would charge the library for the particles' parameter
    # values, which change how much work a simulation does.
    inside = clock.seconds / clock.calls
    overhead = (serial_wall - clock.seconds) / clock.calls
    body = f"""
Calibration of the default scenario at {args.people:,} people x {args.steps} weeks, two
parameters, {args.particles} particles per generation, generations 1 to
{args.generations - 1} (`benchmarks/calibration_throughput.py`).

| executor | workers | candidates | particles per second | parallel efficiency |
|---|---|---|---|---|
| serial (one thread) | 1 | {n_serial} | {serial:.2f} | 1 |
| processes | 2 | {n_procs} | {procs:.2f} | {procs / (2 * serial):.2f} |
| dask (local cluster) | 2 | {n_dask} | {dask:.2f} | {dask / (2 * serial):.2f} |

One simulation with its target statistics, on one thread: {sim:.3f} s timed alone at
the middle of the priors, {inside:.3f} s on average inside the serial calibration
({clock.calls} simulations). Library overhead per candidate (the serial calibration's whole
wall time, {serial_wall:.1f} s, minus the time inside its simulations, per simulation):
{overhead * 1000:.1f} ms, {100 * overhead / inside:.1f} % of the simulation time (target: under
10 % at 20,000 people).
"""
    print(body)
    if not args.no_record:
        write_section("Calibration", body)


if __name__ == "__main__":
    main()
