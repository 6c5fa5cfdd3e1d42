"""Tiny sweep files, subprocess helpers and a real Dask cluster for the experiment tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

import loyalsim

BIN = Path(sys.executable).parent
TINY = """
name = "{name}"
base = "default"
seed = {seed}
replicates = {replicates}

[set]
"population.n_people" = 2000
"time.start" = 2025-12-01
"time.n_steps" = 12

[axes]
"lapses.base_logit" = {{ min = -3.0, max = -1.5, levels = {levels} }}
"enforcement.case_prob" = [0.2, 0.8]

[design]
kind = "full_factorial"

[keep]
metrics = ["display_gap", "accused", "lapses"]
groups = ["all", "age:16-30"]
"""


def tiny_sweep(
    folder: Path, name: str = "tiny", seed: int = 3, replicates: int = 2, levels: int = 2
) -> Path:
    """Write a tiny sweep file (levels x 2 points x replicates runs) and return its path."""
    path = folder / f"{name}.toml"
    text = TINY.format(name=name, seed=seed, replicates=replicates, levels=levels)
    path.write_text(text, "utf-8")
    return path


def loyalsim_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "loyalsim", *args]


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``loyalsim ARGS`` in a fresh process (as a user would)."""
    return subprocess.run(
        loyalsim_cmd(*args), capture_output=True, text=True, timeout=timeout, check=False
    )


def tidy(out: Path) -> pa.Table:
    """Every stored timeseries row, in a canonical order."""
    with loyalsim.open_results(out) as res:
        return res.table('SELECT * FROM timeseries ORDER BY run_id, step, metric, "group"')


def attempts(out: Path) -> list[tuple[str, int]]:
    """(run_id, number of manifest rows) for every run id, across all shards."""
    with loyalsim.open_results(out) as res:
        rows = res.sql("SELECT run_id, count(*) FROM runs_all GROUP BY 1 ORDER BY 1").fetchall()
    return [(str(r), int(n)) for r, n in rows]


def wait_for(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    """Poll ``predicate`` until true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Kill a process group we started and reap it."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=20)


class DaskCluster:
    """A real ``dask scheduler`` and ``dask worker`` processes on 127.0.0.1."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self._files: list[object] = []
        self.workers: list[subprocess.Popen[bytes]] = []
        self.scheduler: subprocess.Popen[bytes] | None = None
        self.address = f"tcp://127.0.0.1:{free_port()}"

    def start(self, n_workers: int) -> None:
        """Start the scheduler, then the workers; wait until every worker is registered."""
        self.scheduler = self._start(
            "scheduler",
            [
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                self.address.rsplit(":", 1)[1],
                "--no-dashboard",
            ],
        )
        wait_for(lambda: "Scheduler at:" in self.log("scheduler"), 30, "the dask scheduler")
        self.workers = [
            self._start(
                f"worker{i}",
                [
                    "worker",
                    self.address,
                    "--nthreads",
                    "1",
                    "--no-nanny",
                    "--no-dashboard",
                    "--host",
                    "127.0.0.1",
                    "--name",
                    f"w{i}",
                    "--death-timeout",
                    "60",
                ],
            )
            for i in range(n_workers)
        ]
        for i in range(n_workers):
            wait_for(lambda i=i: "Registered to" in self.log(f"worker{i}"), 60, f"worker {i}")

    def _start(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 (closed in close())
        self._files.append(log)
        # A new session per process so a kill reaches it and nothing else.
        return subprocess.Popen(
            [str(BIN / "dask"), *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text("utf-8", errors="replace")

    def close(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            if proc is not None:
                stop(proc)
        for log in self._files:
            log.close()  # type: ignore[attr-defined]


@contextlib.contextmanager
def dask_cluster(logs: Path, n_workers: int = 2) -> Iterator[DaskCluster]:
    logs.mkdir(parents=True, exist_ok=True)
    cluster = DaskCluster(logs)
    try:
        cluster.start(n_workers)
        yield cluster
    finally:
        cluster.close()
