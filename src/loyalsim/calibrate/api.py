"""``loyalsim.calibrate(...)``: run a target file from Python and get plain tables back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from loyalsim.calibrate.parallel import make_mapper
from loyalsim.calibrate.plan import plan_from_file, plan_from_text
from loyalsim.calibrate.run import Generation, prepare_dir, run_calibration
from loyalsim.calibrate.targets import shipped_path
from loyalsim.report.calibration import (
    parameter_summary,
    predictive_summary,
    read_calibration,
)
from loyalsim.store import analysis_dirs as files

SHIPPED = "default"


@dataclass(frozen=True)
class CalibrationOutput:
    """A finished calibration: its directory and its tables (pandas DataFrames)."""

    out: Path
    posterior: pd.DataFrame  # the last generation: weight, distance, values, statistics
    generations: pd.DataFrame  # tolerance, candidates, acceptance rate per generation
    parameters: pd.DataFrame  # per parameter: prior, posterior median and 90 % interval
    checks: pd.DataFrame  # per target: observed, accepted interval, predictive interval
    predictive: pd.DataFrame | None  # the posterior predictive draws

    @property
    def calibrated(self) -> Path:
        """The scenario file with the posterior medians (``extends`` the base)."""
        return self.out / files.CALIBRATED_TOML


def read_output(out: Path | str) -> CalibrationOutput:
    """The tables of a finished calibration directory."""
    data = read_calibration(Path(out))
    return CalibrationOutput(
        Path(out),
        data.posterior.to_pandas(),
        data.generations.to_pandas(),
        pd.DataFrame(parameter_summary(data)),
        pd.DataFrame(predictive_summary(data)),
        None if data.predictive is None else data.predictive.to_pandas(),
    )


def shipped_targets(name: str = SHIPPED) -> str:
    """The text of a target file shipped with loyalsim (``default``: the reported facts)."""
    return shipped_path(name).read_text("utf-8")


def calibrate(
    targets: str | Path,
    out: str | Path,
    *,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    population: int | None = None,
    force: bool = False,
    on_generation: Callable[[Generation], None] | None = None,
) -> CalibrationOutput:
    """Calibrate by ABC-SMC and return the posterior and its checks as tables.

    ``targets`` is a target file (path), or the name of a shipped one (``"default"``).
    Running again with the same file and ``out`` resumes an interrupted calibration, or just
    reads a finished one. ``executor`` is ``serial``, ``processes`` or ``dask`` (with
    ``scheduler``, the address of a running Dask scheduler). ``population`` scales the base
    scenario. Bad input raises ``loyalsim.scenario.io.ScenarioError`` before anything runs.
    """
    path = Path(targets)
    if path.suffix == ".toml" or path.exists():
        plan = plan_from_file(path, population)
    else:
        plan = plan_from_text(
            shipped_targets(str(targets)), f"shipped targets {targets}", None, population
        )
    prepare_dir(plan, Path(out), force)
    mapper = make_mapper(executor, workers, scheduler)
    try:
        run_calibration(plan, Path(out), mapper, on_generation)
    finally:
        mapper.close()
    return read_output(out)


__all__: list[Any] = ["CalibrationOutput", "calibrate", "read_output"]
