"""What a worker does with one run: ``RunSpec -> RunResult``.

This module is imported in worker processes, so it stays light: no plotting, no storage,
no Dask. A run that raises becomes a failed result carrying its error; it never stops a sweep.
"""

from __future__ import annotations

import os
import socket
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel

from loyalsim.models import get_model


@dataclass(frozen=True)
class RunSpec:
    """Everything a worker needs for one run of a sweep (picklable)."""

    run_index: int
    run_id: str
    point_index: int
    point_id: str
    replicate: int
    seed: int
    values: tuple[tuple[str, Any], ...]
    config: BaseModel = field(repr=False)
    metrics: tuple[str, ...] | None = None
    groups: tuple[str, ...] | None = None


@dataclass
class RunResult:
    """The outcome of one run: its table (kept observables only) or its error."""

    run_id: str
    status: str  # "ok" or "failed"
    table: pa.Table | None
    error: str = ""
    started: float = 0.0  # seconds since the epoch
    wall_s: float = 0.0
    worker: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")


def keep_rows(
    table: pa.Table, metrics: tuple[str, ...] | None, groups: tuple[str, ...] | None
) -> pa.Table:
    """Drop the observables a sweep does not keep (done on the worker, before transfer)."""
    mask = None
    if metrics is not None:
        mask = pc.is_in(table["metric"], value_set=pa.array(list(metrics), pa.string()))
    if groups is not None:
        in_groups = pc.is_in(table["group"], value_set=pa.array(list(groups), pa.string()))
        mask = in_groups if mask is None else pc.and_(mask, in_groups)
    return table if mask is None else table.filter(mask)


def simulate_spec(spec: RunSpec) -> pa.Table:
    """Simulate one spec with its model; returns the full tidy table."""
    model = get_model(str(getattr(spec.config, "model", "loyalty")))
    return model.simulate(spec.config, spec.seed, spec.run_id, None)


def run_one(spec: RunSpec) -> RunResult:
    """Run a spec; exceptions become a failed result with the error text."""
    started = time.time()
    t0 = time.perf_counter()
    try:
        table = keep_rows(simulate_spec(spec), spec.metrics, spec.groups)
    except Exception as exc:  # a failed run is recorded, the sweep goes on
        tail = "".join(traceback.format_exception(exc)[-3:])
        return RunResult(
            spec.run_id,
            "failed",
            None,
            f"{type(exc).__name__}: {exc}\n{tail}"[:4000],
            started,
            time.perf_counter() - t0,
        )
    return RunResult(spec.run_id, "ok", table, "", started, time.perf_counter() - t0)


def run_one_single_threaded(spec: RunSpec) -> RunResult:
    """``run_one`` with numba limited to one thread, for pools of one worker per core.

    The kernels are parallel; several workers each spawning a thread per core oversubscribe
    the machine (measured: 2 workers on 2 cores ran 5x slower than 1). A sweep's
    parallelism is across runs, and results do not depend on the thread count.
    """
    import numba

    if numba.get_num_threads() != 1:
        numba.set_num_threads(1)
    return run_one(spec)
