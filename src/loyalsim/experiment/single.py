"""One run, from a scenario to a complete run directory."""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numba
import numpy as np
import pyarrow as pa
from pydantic import BaseModel

import loyalsim
from loyalsim.models import Progress, get_model
from loyalsim.scenario.io import scenario_hash, to_toml
from loyalsim.store.rundir import write_run

# Draws the summary figure of a run directory: (table, scenario, manifest, path) -> None.
SummaryDrawer = Callable[[pa.Table, BaseModel, dict[str, Any], Path], None]


def run_id_for(config: BaseModel, seed: int, replicate: int = 0) -> str:
    """A run id that depends only on the resolved scenario, the seed and the replicate."""
    text = f"{scenario_hash(config)}:{seed}:{replicate}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def run_config(
    config: BaseModel,
    seed: int,
    run_id: str | None = None,
    progress: Progress | None = None,
) -> tuple[pa.Table, dict[str, Any]]:
    """Simulate a validated config; returns the tidy table and the manifest.

    ``progress`` is called as the run advances (see ``loyalsim.models.Progress``); raising
    ``loyalsim.models.RunCancelled`` from it stops the run.
    """
    spec = get_model(str(getattr(config, "model", "loyalty")))
    run_id = run_id or run_id_for(config, seed)
    started = time.perf_counter()
    table = spec.simulate(config, seed, run_id, progress)
    return table, make_manifest(config, seed, run_id, time.perf_counter() - started)


def make_manifest(config: BaseModel, seed: int, run_id: str, wall: float) -> dict[str, Any]:
    """What a run directory records about how it was made."""
    model_name = str(getattr(config, "model", "loyalty"))
    steps = get_model(model_name).person_steps(config)
    return {
        "run_id": run_id,
        "model": model_name,
        "scenario_name": getattr(config, "name", ""),
        "seed": seed,
        "scenario_hash": scenario_hash(config),
        "loyalsim_version": loyalsim.__version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numba": numba.__version__,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "wall_time_s": round(wall, 3),
        "spin_up_weeks": int(getattr(getattr(config, "time", None), "spin_up_weeks", 0)),
        "person_steps": steps,
        "person_steps_per_s": round(steps / wall, 1) if wall > 0 else None,
    }


def write_config_run(
    config: BaseModel,
    out: Path,
    seed: int,
    force: bool = False,
    progress: Progress | None = None,
    summary: SummaryDrawer | None = None,
) -> tuple[Path, pa.Table, dict[str, Any]]:
    """Simulate and write the run directory (timeseries, scenario, manifest; the summary
    figure too when a ``summary`` drawer is given, as ``loyalsim.run`` does)."""
    table, manifest = run_config(config, seed, progress=progress)
    return write_result(config, table, manifest, out, force, summary), table, manifest


def write_result(
    config: BaseModel,
    table: pa.Table,
    manifest: dict[str, Any],
    out: Path,
    force: bool = False,
    summary: SummaryDrawer | None = None,
) -> Path:
    """Write the run directory of a finished run."""

    def draw(tab: pa.Table, path: Path) -> None:
        if summary is not None:
            summary(tab, config, manifest, path)

    return write_run(out, table, to_toml(config), manifest, draw, force=force)
