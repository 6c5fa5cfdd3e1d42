"""The Python entry points a notebook needs, composed from the layers below.

``loyalsim.load``, ``loyalsim.run`` and ``loyalsim.open_results`` are re-exported lazily by
the package, so ``import loyalsim`` stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from pydantic import BaseModel

from loyalsim.experiment.single import run_config, write_config_run
from loyalsim.models import Progress
from loyalsim.report.figures import summary_drawer
from loyalsim.scenario.io import load


@dataclass(frozen=True)
class RunOutput:
    """A finished run: its tidy table, its manifest and, when written, its directory."""

    table: pa.Table
    manifest: dict[str, Any]
    run_dir: Path | None


def run(
    scenario: str | Path | BaseModel = "default",
    out: str | Path | None = None,
    *,
    seed: int = 1,
    overrides: dict[str, Any] | None = None,
    population: int | None = None,
    force: bool = False,
    progress: Progress | None = None,
    figure_format: str = "png",
) -> RunOutput:
    """Run a preset, a scenario file or a loaded scenario; write a run directory to ``out``.

    Without ``out`` nothing is written and only the table and manifest are returned. A run
    directory holds ``timeseries.parquet``, ``scenario.toml``, ``manifest.json`` and
    ``summary.png`` (or ``summary.svg``/``.pdf`` with ``figure_format``), as ``loyalsim run``
    writes it.
    """
    if isinstance(scenario, BaseModel):
        if overrides or population is not None:
            raise ValueError("overrides and population apply to a preset or file, not a config")
        config = scenario
    else:
        config = load(scenario, overrides, population)
    if out is None:
        table, manifest = run_config(config, seed, progress=progress)
        return RunOutput(table, manifest, None)
    path, table, manifest = write_config_run(
        config, Path(out), seed, force, progress, summary=summary_drawer(figure_format)
    )
    return RunOutput(table, manifest, path)
