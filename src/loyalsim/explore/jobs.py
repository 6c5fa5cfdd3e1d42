"""Runs started from the explorer: each in its own thread, observable while running, cancellable.

A job runs through ``write_config_run``, the same path as ``loyalsim run``. Its progress
callback notes how far the run is, keeps the run's ``partial`` table builder so the page can
draw the weeks simulated so far, and raises ``RunCancelled`` once the page cancels, which
stops the run at the end of the current week.

What the explorer keeps is bounded. A running job holds the recorder's arrays (through
``partial``); a finished job holds only its run directory on disk; a cancelled or failed job
holds only its status. At most ``MAX_RUNNING`` runs go at once and at most ``MAX_KEPT``
ended jobs are remembered: the oldest are forgotten and their directories deleted.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from loyalsim.experiment.single import write_config_run
from loyalsim.explore.series import metric_info, series_of, table_groups
from loyalsim.models import RunCancelled
from loyalsim.report.figures import draw_run_summary
from loyalsim.scenario.events import Event, major_events
from loyalsim.store.rundir import read_run

# Each run uses every core; more at once only slows them all (and a forgotten tab's runs
# would pile up), so further runs are refused until one ends or is cancelled.
MAX_RUNNING = 4
# People in all running runs together: one whole-country run, or several smaller ones, so the
# explorer's memory stays what one `loyalsim run` of the largest allowed size needs.
MAX_PEOPLE_RUNNING = 30_000_000
# Ended jobs remembered (for their figures and downloads); older ones are deleted.
MAX_KEPT = 8
# How long closing waits for each run to reach the end of its week.
JOIN_SECONDS = 20.0
FOLDER_PREFIX = "loyalsim-explore-"
OWNER_FILE = "owner.pid"

RUNNING = ("starting", "running")


class Busy(RuntimeError):
    """Too many runs are going already."""


@dataclass
class Job:
    """One run and what the page can ask of it."""

    job_id: str
    config: Any
    seed: int
    total: int
    events: list[Event]
    status: str = "starting"  # starting, running, done, cancelled, failed
    done: int = 0
    error: str = ""
    ended: float = 0.0
    cancel: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    partial: Callable[[], pa.Table] | None = None
    run_dir: Path | None = None
    groups: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _table: tuple[int, pa.Table] | None = None

    @property
    def first_date(self) -> Any:
        return self.config.time.start

    @property
    def last_date(self) -> Any:
        return self.config.step_dates()[-1]

    @property
    def people(self) -> int:
        return int(self.config.population.n_people)

    @property
    def name(self) -> str:
        return str(getattr(self.config, "name", "run"))

    def table(self) -> pa.Table | None:
        """The tidy table recorded so far (built at most once per week; None before week 1)."""
        with self.lock:
            if self._table is not None and self._table[0] == self.done:
                return self._table[1]
            partial, done, run_dir = self.partial, self.done, self.run_dir
            if run_dir is not None:
                table = read_run(run_dir)[0]
            elif partial is not None:
                table = partial()
            else:
                return None
            if not self.groups:
                self.groups, self.metrics = table_groups(table)
            self._table = (done, table)
            return table

    def forget_table(self) -> None:
        with self.lock:
            self._table = None

    def snapshot(self, group: str, metrics: list[str]) -> dict[str, Any]:
        """Status, progress, dated events and the series of ``metrics`` for ``group`` so far."""
        out: dict[str, Any] = {
            "id": self.job_id,
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "error": self.error,
            "events": [e.as_json() for e in self.events],
            "start": self.first_date.isoformat(),
            "end": self.last_date.isoformat(),
            "series": {},
        }
        table = self.table() if self.status in ("running", "done") else None
        if table is None:
            return out
        chosen = group if group in self.groups else "all"
        series = series_of(table, chosen, [m for m in metrics if m in self.metrics])
        n_steps = max((len(v) for v in series.values()), default=0)
        dates = self.config.step_dates()[:n_steps]
        out.update(groups=self.groups, group=chosen, series=series)
        out["metrics"] = [metric_info(m) for m in self.metrics]
        out["dates"] = [d.isoformat() for d in dates]
        if self.status == "done":
            self.forget_table()  # a finished run's table is read again from disk if asked
        return out


class Jobs:
    """All jobs of one explorer server; run directories live in one temporary folder."""

    def __init__(self) -> None:
        remove_stale_folders()
        self.folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
        (self.folder / OWNER_FILE).write_text(str(os.getpid()))
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.closed = False

    def start(self, config: Any, seed: int) -> Job:
        """Start a run in a thread; ``Busy`` when ``MAX_RUNNING`` runs are going."""
        job = Job(uuid.uuid4().hex[:16], config, seed, config.time.n_steps, major_events(config))
        with self.lock:
            if self.closed:
                raise Busy("the explorer is shutting down")
            running = [j for j in self.jobs.values() if j.status in RUNNING]
            if len(running) >= MAX_RUNNING:
                raise Busy(f"{MAX_RUNNING} runs are going already: cancel one or wait")
            people = sum(j.people for j in running) + job.people
            if people > MAX_PEOPLE_RUNNING:
                raise Busy(
                    f"{people:,} people in the runs going at once; allowed: at most "
                    f"{MAX_PEOPLE_RUNNING:,}: cancel one or wait"
                )
            self.jobs[job.job_id] = job
            job.thread = threading.Thread(
                target=self._run, args=(job,), name=f"loyalsim-run-{job.job_id}", daemon=True
            )
        job.thread.start()
        return job

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)

    def running(self) -> int:
        """How many runs are starting or running now."""
        with self.lock:
            return sum(job.status in RUNNING for job in self.jobs.values())

    def _run(self, job: Job) -> None:
        def progress(done: int, total: int, partial: Callable[[], pa.Table] | None = None) -> None:
            if job.cancel.is_set() or self.closed:
                raise RunCancelled
            job.done, job.total, job.partial, job.status = done, total, partial, "running"

        try:
            out = self.folder / "runs" / job.job_id
            job.run_dir = write_config_run(
                job.config, out, job.seed, progress=progress, summary=draw_run_summary
            )[0]
            job.status = "done"
        except RunCancelled:
            job.status = "cancelled"
        except Exception as exc:  # reported to the page, never lost
            job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            # Drop every reference to the run's arrays: the thread ends here and its memory
            # goes back with it.
            job.partial = None
            job.forget_table()
            job.ended = time.monotonic()
            self._forget_old()
            _give_back_free_memory()

    def _forget_old(self) -> None:
        """Forget the oldest ended jobs beyond ``MAX_KEPT`` and delete their directories."""
        with self.lock:
            ended = sorted(
                (j for j in self.jobs.values() if j.status not in RUNNING), key=lambda j: j.ended
            )
            dropped = ended[: max(0, len(ended) - MAX_KEPT)]
            for job in dropped:
                del self.jobs[job.job_id]
        for job in dropped:
            shutil.rmtree(self.folder / "runs" / job.job_id, ignore_errors=True)

    def archive(self, job: Job) -> Path:
        """A zip of a finished job's run directory (the caller deletes it once sent)."""
        if job.run_dir is None:
            raise FileNotFoundError(job.job_id)
        base = self.folder / "downloads" / uuid.uuid4().hex
        base.parent.mkdir(exist_ok=True)
        return Path(shutil.make_archive(str(base), "zip", job.run_dir))

    def close(self) -> None:
        """Cancel every run, wait for each to stop, and delete the temporary folder."""
        with self.lock:
            self.closed = True
            jobs = list(self.jobs.values())
        try:
            for job in jobs:
                job.cancel.set()
            deadline = time.monotonic() + JOIN_SECONDS
            for job in jobs:
                if job.thread is not None:
                    job.thread.join(max(0.0, deadline - time.monotonic()))
        finally:  # even when a second Ctrl-C cuts the wait short
            shutil.rmtree(self.folder, ignore_errors=True)


def _give_back_free_memory() -> None:
    """Hand freed heap memory back to the system (glibc only; elsewhere nothing to do).

    A run's mid-sized arrays come from the C heap of the thread that ran it; once freed they
    stay in that thread's arena, so a long-lived explorer would keep the peak of every run.
    """
    name = ctypes.util.find_library("c")
    if name is None:
        return
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None)
    if trim is not None:
        trim(0)


def remove_stale_folders() -> list[Path]:
    """Delete explorer folders left by processes that no longer exist (killed with -9).

    Only folders of this user that name their owner process (``owner.pid``) are touched.
    """
    removed: list[Path] = []
    if not hasattr(os, "getuid"):  # no owner check possible (Windows): leave them
        return removed
    for folder in Path(tempfile.gettempdir()).glob(FOLDER_PREFIX + "*"):
        try:
            if folder.stat().st_uid != os.getuid():
                continue
            pid = int((folder / OWNER_FILE).read_text().strip())
        except (OSError, ValueError):
            continue
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
