"""Run a sweep plan into a sweep directory, resuming where an earlier attempt stopped.

The coordinator (this process) is the only writer: executors hand back results, the
``ShardWriter`` stores them in batches. On start, the runs already recorded are skipped
(failed ones too, unless ``retry_failed``), so running the same sweep again after a crash
or kill -9 completes it without running or counting anything twice.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

import loyalsim
from loyalsim.experiment.executors import Executor
from loyalsim.experiment.specs import SweepPlan
from loyalsim.experiment.work import RunResult, RunSpec
from loyalsim.store.shards import (
    ShardWriter,
    clean_orphans,
    init_dir,
    latest_status,
    read_metadata,
    runs_schema,
)


class SweepDirError(ValueError):
    """The output directory holds something else (another sweep, or other files)."""


@dataclass
class Progress:
    """Counts reported after every finished run."""

    total: int
    already_done: int
    ok: int = 0
    failed: int = 0

    @property
    def done(self) -> int:
        return self.already_done + self.ok + self.failed


def design_table(plan: SweepPlan) -> pa.Table:
    """One row per design point: index, then the applied value of each axis."""
    cols: dict[str, Any] = {"point_index": pa.array(range(plan.n_points), pa.int64())}
    for j, axis in enumerate(plan.axes):
        column = [axis.stored(axis.apply(x)) for x in plan.samples[:, j]]
        cols[axis.path] = pa.array(column, pa.float64() if axis.numeric else pa.string())
        cols[f"sample:{axis.path}"] = pa.array(plan.samples[:, j], pa.float64())
    return pa.table(cols)


def prepare_dir(plan: SweepPlan, out: Path, force: bool = False) -> None:
    """Create or reopen ``out``; refuse another sweep's directory unless ``force``."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SweepDirError(f"--out {str(out)!r} exists and is not a directory")
    meta = read_metadata(out)
    if meta is not None and meta.get("sweep_hash") != plan.sweep_hash:
        if not force:
            raise SweepDirError(
                f"--out {str(out)!r} holds a different sweep ({meta.get('name')!r}, hash "
                f"{str(meta.get('sweep_hash'))[:12]}); use --force to replace it"
            )
        shutil.rmtree(out)
    elif meta is None and out.is_dir() and any(out.iterdir()):
        if not force:
            raise SweepDirError(
                f"--out {str(out)!r} is not empty and is not a sweep directory; "
                "use --force to replace it"
            )
        shutil.rmtree(out)
    if read_metadata(out) is None:
        metadata = {
            **plan.metadata(),
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "loyalsim_version": loyalsim.__version__,
        }
        init_dir(out, metadata, plan.text, design_table(plan))


def manifest_row(spec: RunSpec, result: RunResult) -> dict[str, Any]:
    """The manifest row of one finished run (shard columns are filled by the writer)."""
    row: dict[str, Any] = {
        "run_id": spec.run_id,
        "run_index": spec.run_index,
        "point_index": spec.point_index,
        "point_id": spec.point_id,
        "replicate": spec.replicate,
        "seed": spec.seed,
        "status": result.status,
        "error": result.error or None,
        "started": _utc(result.started),
        "wall_s": result.wall_s,
        "worker": result.worker,
    }
    row.update(dict(spec.values))
    return row


def run_sweep(
    plan: SweepPlan,
    out: Path,
    executor: Executor,
    retry_failed: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
    batch_runs: int = 256,
    max_seconds: float = 30.0,
) -> Progress:
    """Run every run of ``plan`` not yet recorded in ``out`` (call ``prepare_dir`` first)."""
    out = Path(out)
    clean_orphans(out)
    status = latest_status(out)
    skip = {k for k, v in status.items() if v == "ok" or (v == "failed" and not retry_failed)}
    progress = Progress(plan.n_runs, len(skip))
    meta = read_metadata(out) or {}
    writer = ShardWriter(
        out, runs_schema(meta.get("axes", [])), batch_runs, max_seconds=max_seconds
    )
    specs_by_id: dict[str, RunSpec] = {}

    def tracked() -> Any:
        # Remember in-flight specs (bounded by the executor) to build their manifest rows.
        for spec in plan.specs(skip):
            specs_by_id[spec.run_id] = spec
            yield spec

    try:
        for result in executor.run(tracked()):
            spec = specs_by_id.pop(result.run_id)
            writer.add(manifest_row(spec, result), result.table)
            if result.status == "ok":
                progress.ok += 1
            else:
                progress.failed += 1
            if on_progress is not None:
                on_progress(progress)
    finally:
        writer.flush()
    return progress


def _utc(epoch_s: float) -> dt.datetime | None:
    """Naive UTC datetime (stored without a zone so readers need no tz database)."""
    if not epoch_s:
        return None
    return dt.datetime.fromtimestamp(epoch_s, dt.UTC).replace(tzinfo=None)
