"""Run a sweep plan into a sweep directory, resuming where an earlier attempt stopped.

The coordinator (this process) is the only writer, and holds the directory's lock while it
writes: executors hand back results, the ``ShardWriter`` stores them in batches. On start,
the directory is checked and repaired (``store.integrity.repair``: damaged shards moved to
``quarantine/``, leftovers of a killed session removed), then the runs already recorded with
intact data are skipped (failed ones too, unless ``retry_failed``), so running the same sweep
again after a crash, a kill -9 or a damaged file completes it without running or counting
anything twice.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pyarrow as pa

import loyalsim
from loyalsim.experiment.executors import Executor
from loyalsim.experiment.specs import SweepPlan
from loyalsim.experiment.work import RunResult, RunSpec
from loyalsim.store import integrity
from loyalsim.store.locks import exclusive
from loyalsim.store.shards import (
    DESIGN,
    LOCK,
    RUNS_DIR,
    DamagedFileError,
    ShardWriter,
    init_dir,
    only_plan_files,
    read_metadata,
    runs_schema,
)

Action = Literal["create", "resume", "replace"]


class SweepDirError(ValueError):
    """The output directory holds something else (another sweep, or other files)."""


@dataclass
class Progress:
    """Counts reported after every finished run.

    ``already_done`` counts runs recorded by earlier sessions and not run again (ok, and
    failed unless retried); ``skipped_failed`` is the failed part of it; ``rerun`` counts
    runs recorded as ok whose data was found damaged or missing and run again.
    """

    total: int
    already_done: int
    ok: int = 0
    failed: int = 0
    skipped_failed: int = 0
    rerun: int = 0

    @property
    def done(self) -> int:
        return self.already_done + self.ok + self.failed


def design_table(plan: SweepPlan) -> pa.Table:
    """One row per design point: index, then the applied value of each axis."""
    cols: dict[str, Any] = {"point_index": pa.array(np.arange(plan.n_points), pa.int64())}
    for j, axis in enumerate(plan.axes):
        cols[axis.path] = axis.stored_column(plan.samples[:, j])
        cols[f"sample:{axis.path}"] = pa.array(plan.samples[:, j], pa.float64())
    return pa.table(cols)


def _lock(out: Path) -> Any:
    return exclusive(Path(out) / LOCK, f"sweep directory {str(out)!r}")


def check_dir(plan: SweepPlan, out: Path, force: bool = False) -> Action:
    """What ``prepare_dir`` will do with ``out``, decided without writing anything.

    SweepDirError if ``out`` holds another sweep or other files (and ``force`` is off).
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SweepDirError(f"--out {str(out)!r} exists and is not a directory")
    try:
        meta = read_metadata(out)
    except DamagedFileError as exc:
        if force:
            return "replace"
        raise SweepDirError(f"{exc}; use --force to start the sweep again from nothing") from exc
    if meta is not None:
        if meta.get("sweep_hash") == plan.sweep_hash:
            return "resume"
        if force:
            return "replace"
        raise SweepDirError(
            f"--out {str(out)!r} holds a different sweep ({meta.get('name')!r}, hash "
            f"{str(meta.get('sweep_hash'))[:12]}); use --force to replace it"
        )
    if not out.is_dir() or only_plan_files(out):  # new, empty, or an interrupted start
        return "create"
    if force:
        return "replace"
    raise SweepDirError(
        f"--out {str(out)!r} is not empty and is not a sweep directory; use --force to replace it"
    )


def prepare_dir(plan: SweepPlan, out: Path, force: bool = False) -> Action:
    """Create, reopen or (with ``force``) replace the sweep directory ``out``."""
    out = Path(out)
    action = check_dir(plan, out, force)
    if action == "resume":
        return action
    with _lock(out):
        for entry in out.iterdir():  # another sweep, other files, or an interrupted start
            if entry.name == LOCK:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        metadata = {
            **plan.metadata(),
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "loyalsim_version": loyalsim.__version__,
        }
        init_dir(out, metadata, plan.text, design_table(plan))
    return action


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
    on_notice: Callable[[str], None] | None = None,
) -> Progress:
    """Run every run of ``plan`` not yet recorded in ``out`` (call ``prepare_dir`` first).

    ``on_notice`` receives one line per thing worth telling before the runs start: files
    repaired and why, leftovers removed, failed runs skipped.
    """
    out = Path(out)
    notice = on_notice or (lambda _text: None)
    with _lock(out):
        found, removed = integrity.repair(out, lambda: design_table(plan))
        _tell_repairs(found, removed, notice)
        status = found.status
        done = (status == integrity.OK) | ((status == integrity.FAILED) & (not retry_failed))
        progress = Progress(plan.n_runs, int(np.count_nonzero(done)))
        progress.rerun = found.count(integrity.LOST)
        if not retry_failed:
            progress.skipped_failed = found.count(integrity.FAILED)
        if progress.skipped_failed:
            notice(
                f"{progress.skipped_failed} runs failed in an earlier session and are not run "
                "again; rerun with --retry-failed to run them"
            )
        _run(plan, out, executor, done, progress, on_progress, batch_runs, max_seconds)
    return progress


def _tell_repairs(found: integrity.Scan, removed: list[str], notice: Callable[[str], None]) -> None:
    if removed:
        notice(f"removed {len(removed)} temporary or orphaned files left by an interrupted session")
    for problem in found.problems:
        if problem.path == DESIGN:
            fix = "written again from the sweep file"
        elif problem.path.startswith(RUNS_DIR):
            fix = "moved to quarantine/; the runs it recorded run again"
        else:
            fix = (
                "moved to quarantine/; its runs run again"
                if problem.reason != "missing"
                else ("its runs run again")
            )
        notice(f"damaged: {problem.describe()}; {fix}")


def _run(
    plan: SweepPlan,
    out: Path,
    executor: Executor,
    done: np.ndarray,
    progress: Progress,
    on_progress: Callable[[Progress], None] | None,
    batch_runs: int,
    max_seconds: float,
) -> None:
    meta = read_metadata(out) or {}
    writer = ShardWriter(
        out, runs_schema(meta.get("axes", [])), batch_runs, max_seconds=max_seconds
    )
    specs_by_id: dict[str, RunSpec] = {}

    def tracked() -> Any:
        # Remember in-flight specs (bounded by the executor) to build their manifest rows.
        for spec in plan.specs(done):
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


def _utc(epoch_s: float) -> dt.datetime | None:
    """Naive UTC datetime (stored without a zone so readers need no tz database)."""
    if not epoch_s:
        return None
    return dt.datetime.fromtimestamp(epoch_s, dt.UTC).replace(tzinfo=None)
