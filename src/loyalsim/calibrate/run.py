"""Run ABC-SMC (pyabc) for a calibration plan into a directory, resuming where it stopped.

Each generation is run by a fresh ``ABCSMC`` loaded from the history database, so an
uninterrupted calibration and one resumed after a kill -9 take exactly the same path: the
history holds every finished generation (pyabc commits a generation as one transaction), and
the candidates of the generation that was cut short are evaluated again from the same
seeds. The same target file and seed therefore give the same posterior either way.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyabc

import loyalsim
from loyalsim.calibrate import outputs
from loyalsim.calibrate.model import ParticleModel, ScheduledEpsilon, TargetDistance
from loyalsim.calibrate.parallel import Mapper
from loyalsim.calibrate.plan import CalibrationPlan
from loyalsim.calibrate.predictive import predictive_table, run_predictive
from loyalsim.calibrate.sampler import CandidateProgress, OrderedSampler
from loyalsim.store import analysis_dirs as files


class CalibrationDirError(ValueError):
    """The output directory holds something else (another calibration, or other files)."""


class CalibrationFailed(RuntimeError):
    """The calibration ran but cannot give a posterior (e.g. a target never evaluates)."""


@dataclass(frozen=True)
class Generation:
    """What one finished generation reports."""

    t: int
    epsilon: float
    evaluated: int
    accepted: int
    ess: float
    wall_s: float

    @property
    def acceptance_rate(self) -> float:
        return self.accepted / self.evaluated if self.evaluated else math.nan


def prepare_dir(plan: CalibrationPlan, out: Path, force: bool = False) -> bool:
    """Create or reopen ``out``; True when an earlier attempt of this calibration is there."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise CalibrationDirError(f"--out {str(out)!r} exists and is not a directory")
    meta = files.read_calibration_meta(out)
    if meta is not None and meta.get("file_hash") == plan.file_hash:
        return True
    if out.is_dir() and any(out.iterdir()):
        if not force:
            what = (
                f"a different calibration ({meta.get('name')!r})"
                if meta is not None
                else "files that are not a calibration"
            )
            raise CalibrationDirError(f"--out {str(out)!r} holds {what}; use --force to replace it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    outputs.write_text(plan.text, out / files.TARGETS_TOML)
    meta = {
        **plan.metadata(),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "loyalsim_version": loyalsim.__version__,
        "pyabc_version": pyabc.__version__,
    }
    outputs.write_text(json.dumps(meta, indent=2, default=str), out / files.CALIBRATION_JSON)
    return False


def _model(plan: CalibrationPlan) -> ParticleModel:
    return ParticleModel(plan.base, plan.priors, plan.targets, plan.spec.abc.replicates)


def _abc(plan: CalibrationPlan, sampler: OrderedSampler) -> pyabc.ABCSMC:
    prior = pyabc.Distribution(
        **{
            p.key: pyabc.RV("uniform", p.sampled_low, p.sampled_high - p.sampled_low)
            for p in plan.priors
        }
    )
    settings = plan.spec.abc
    return pyabc.ABCSMC(
        _model(plan),
        prior,
        TargetDistance.of(plan.targets),
        population_size=settings.population,
        eps=ScheduledEpsilon(settings.quantile, settings.final_epsilon),
        sampler=sampler,
    )


def generations(history: pyabc.History) -> list[Generation]:
    """Every finished generation of a history, in order."""
    table = history.get_all_populations()
    out = []
    for row in table.itertuples():
        if int(row.t) < 0:  # pyabc's row for the (unused) calibration sample
            continue
        _, weights = history.get_distribution(m=0, t=int(row.t))
        out.append(
            Generation(
                int(row.t),
                float(row.epsilon),
                int(row.samples),
                int(row.particles),
                outputs.effective_sample_size(np.asarray(weights, dtype=float)),
                float(row.wall_time),
            )
        )
    return out


def _check_targets_evaluate(plan: CalibrationPlan, history: pyabc.History) -> None:
    """After generation 0 (a prior sample): a target no run could evaluate is an error."""
    population = history.get_population(t=0)
    for target in plan.targets:
        values = [p.sum_stat[target.key] for p in population.particles]
        if not any(math.isfinite(float(v)) for v in values):
            s = target.series
            raise CalibrationFailed(
                f"target {target.key!r}: no run of the prior sample gave a value; metric "
                f"{s.metric!r} is not recorded in group {s.group!r} between steps "
                f"{s.first if s.first is not None else 'first'} and "
                f"{s.last if s.last is not None else 'last'} (or its denominator is zero)"
            )


def _quiet_pyabc() -> None:
    # pyabc logs every generation at INFO; the CLI shows its own progress instead.
    for name in ("ABC", "pyabc"):
        logging.getLogger(name).setLevel(logging.WARNING)


def run_calibration(
    plan: CalibrationPlan,
    out: Path,
    mapper: Mapper,
    on_generation: Callable[[Generation], None] | None = None,
    on_candidate: CandidateProgress | None = None,
    chunk: int = 1,
) -> list[Generation]:
    """Run (or resume) the calibration; then write the posterior and the derived files."""
    _quiet_pyabc()
    out = Path(out)
    db = f"sqlite:///{out / files.HISTORY_DB}"
    settings = plan.spec.abc
    sampler = OrderedSampler(mapper, plan.spec.seed, chunk, on_candidate)
    observed = {t.key: t.observed for t in plan.targets}
    ran = False
    while True:
        abc = _abc(plan, sampler)
        if pyabc.History(db).all_runs():
            abc.load(db, 1)
        else:
            abc.new(db, observed)
        history = abc.history
        done = generations(history)
        if done and (
            done[-1].epsilon <= settings.final_epsilon or len(done) >= settings.generations
        ):
            break
        abc.run(max_nr_populations=1, min_acceptance_rate=settings.min_acceptance_rate)
        ran = True
        after = generations(history)
        if len(after) == len(done):  # the acceptance rate fell below the minimum
            break
        if len(after) == 1:
            _check_targets_evaluate(plan, history)
        if on_generation is not None:
            on_generation(after[-1])
    if ran or not (out / files.CALIBRATED_TOML).is_file():  # else: finished before
        write_outputs(plan, out, history, mapper)
    return generations(history)


def write_outputs(plan: CalibrationPlan, out: Path, history: pyabc.History, mapper: Mapper) -> None:
    """Particles, generations, posterior, predictive draws, calibrated scenario, sweep."""
    gens = generations(history)
    rows = []
    for gen in gens:
        rows.extend(outputs.particle_rows(plan, gen.t, history.get_population(t=gen.t)))
    columns = outputs.particle_columns(plan)
    particles = outputs.rows_table(rows, columns)
    outputs.write_table(particles, out / files.PARTICLES)
    last = gens[-1].t
    posterior = outputs.rows_table([r for r in rows if r["generation"] == last], columns)
    outputs.write_table(posterior, out / files.POSTERIOR)
    gen_rows: list[dict[str, Any]] = [
        {
            "generation": g.t,
            "epsilon": g.epsilon,
            "evaluated": g.evaluated,
            "accepted": g.accepted,
            "acceptance_rate": g.acceptance_rate,
            "ess": g.ess,
            "wall_s": g.wall_s,
        }
        for g in gens
    ]
    gen_columns = ["generation", "epsilon", "evaluated", "accepted", "acceptance_rate", "ess"]
    outputs.write_table(
        outputs.rows_table(gen_rows, [*gen_columns, "wall_s"]), out / files.GENERATIONS
    )
    final = history.get_population(t=last)
    thetas = [dict(p.parameter) for p in final.particles]
    weights = [float(p.weight) for p in final.particles]
    if plan.spec.abc.predictive:
        model = _model(plan)
        draws = run_predictive(
            model, thetas, weights, plan.spec.abc.predictive, plan.spec.seed, mapper
        )
        outputs.write_table(predictive_table(draws, model, thetas), out / files.PREDICTIVE)
    medians = outputs.posterior_medians(plan, posterior)
    outputs.write_text(outputs.calibrated_toml(plan, medians), out / files.CALIBRATED_TOML)
    sweep = outputs.posterior_sweep_toml(plan, posterior, points=min(100, posterior.num_rows))
    outputs.write_text(sweep, out / files.POSTERIOR_SWEEP)
