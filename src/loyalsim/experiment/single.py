"""One run, from a scenario to a complete run directory."""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
import time
from pathlib import Path
from typing import Any

import numba
import numpy as np
import pyarrow as pa
from pydantic import BaseModel

import loyalsim
from loyalsim.models import Progress, get_model
from loyalsim.report.figures import draw_summary
from loyalsim.scenario.io import scenario_hash, to_toml
from loyalsim.store.rundir import write_run


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
        "person_steps": steps,
        "person_steps_per_s": round(steps / wall, 1) if wall > 0 else None,
    }


def focus_group(config: BaseModel) -> str | None:
    """The province the first order targets, for dashed lines on the summary figure."""
    orders = getattr(getattr(config, "enforcement", None), "orders", None) or []
    for order in orders:
        named = [p for p in order.provinces if p != "*"]
        if named:
            return f"province:{named[0]}"
    return None


def write_config_run(
    config: BaseModel,
    out: Path,
    seed: int,
    force: bool = False,
    progress: Progress | None = None,
) -> tuple[Path, pa.Table, dict[str, Any]]:
    """Simulate and write the run directory (timeseries, scenario, manifest, summary)."""
    table, manifest = run_config(config, seed, progress=progress)
    return write_result(config, table, manifest, out, force), table, manifest


def write_result(
    config: BaseModel, table: pa.Table, manifest: dict[str, Any], out: Path, force: bool = False
) -> Path:
    """Write the run directory of a finished run."""
    seed = manifest["seed"]
    spec = get_model(manifest["model"])
    markers = spec.marker_dates(config) if spec.marker_dates else []
    title = f"{manifest['scenario_name']} (seed {seed})"

    def summary(tab: pa.Table, path: Path) -> None:
        draw_summary(tab, path, markers, focus_group(config), title)

    return write_run(out, table, to_toml(config), manifest, summary, force=force)
