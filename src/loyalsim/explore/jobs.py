"""Runs started from the explorer: each in its own thread, observable while running, cancellable.

The page polls a job for progress and for the observables recorded so far, so the figures
grow week by week; the server thread never waits for a simulation.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from loyalsim.experiment.single import make_manifest, run_id_for, write_result
from loyalsim.models.loyalty.schedule import init, iterate
from loyalsim.observe.recorder import Recorder
from loyalsim.scenario.schemas.loyalty import Scenario

SHOWN = (
    "display_public",
    "loyalty_private",
    "display_gap",
    "resentment",
    "cynicism",
    "accused",
    "hidden_dissent",
    "cascade_risk",
)


@dataclass
class Job:
    """One run and what the page can ask of it."""

    job_id: str
    config: Scenario
    seed: int
    status: str = "starting"  # starting, running, done, cancelled, failed
    done: int = 0
    total: int = 0
    error: str = ""
    cancel: threading.Event = field(default_factory=threading.Event)
    recorder: Recorder | None = None
    run_dir: Path | None = None

    def snapshot(self, group: str = "all") -> dict[str, Any]:
        """Status, progress and the recorded series of the shown metrics so far."""
        out: dict[str, Any] = {
            "id": self.job_id,
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "error": self.error,
            "series": {},
        }
        rec = self.recorder
        if rec is None or self.done == 0:
            return out
        g = rec.groups.index(group) if group in rec.groups else 0
        out["groups"] = list(rec.groups)
        out["group"] = rec.groups[g]
        out["dates"] = [str(d) for d in rec.dates[: self.done]]
        for name in SHOWN:
            values = rec.values[: self.done, g, rec.metrics.index(name)]
            out["series"][name] = [None if np.isnan(v) else float(v) for v in values]
        return out


class Jobs:
    """All jobs of one explorer server; finished run directories live in a temporary folder."""

    def __init__(self) -> None:
        self.jobs: dict[str, Job] = {}
        self.folder = Path(tempfile.mkdtemp(prefix="loyalsim-explore-"))
        self.lock = threading.Lock()

    def start(self, config: Scenario, seed: int) -> Job:
        job = Job(uuid.uuid4().hex[:12], config, seed, total=config.time.n_steps)
        with self.lock:
            self.jobs[job.job_id] = job
        threading.Thread(target=self._run, args=(job,), daemon=True).start()
        return job

    def running(self) -> int:
        """How many runs are starting or running now."""
        return sum(job.status in ("starting", "running") for job in list(self.jobs.values()))

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def _run(self, job: Job) -> None:
        try:
            started = time.perf_counter()
            state, ctx = init(job.config, job.seed)
            job.recorder = Recorder(ctx, state)
            job.status = "running"
            for _ in iterate(state, ctx, job.recorder):
                job.done = state.step
                if job.cancel.is_set():
                    job.status = "cancelled"
                    return
            run_id = run_id_for(job.config, job.seed)
            manifest = make_manifest(job.config, job.seed, run_id, time.perf_counter() - started)
            job.run_dir = write_result(
                job.config, job.recorder.table(run_id), manifest, self.folder / job.job_id
            )
            job.status = "done"
        except Exception as exc:  # reported to the page, never lost
            job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"

    def archive(self, job: Job) -> Path:
        """A zip of a finished job's run directory."""
        assert job.run_dir is not None
        base = self.folder / f"{job.job_id}-run"
        return Path(shutil.make_archive(str(base), "zip", job.run_dir))

    def close(self) -> None:
        for job in self.jobs.values():
            job.cancel.set()
        shutil.rmtree(self.folder, ignore_errors=True)
