"""Processes a sweep starts end with it, and nothing is written before its executor answers.

Real processes: a sweep coordinator killed with SIGKILL (nothing of it runs afterwards) must
not leave worker or helper processes behind. Every process started here is killed in a
``finally`` through its process group, and every wait has a timeout.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from tests.experiment.helpers import free_port, loyalsim_cmd, run_cli, stop, tiny_sweep, wait_for

try:
    import psutil
except ImportError:  # psutil is in the bench extra; /proc does the same on Linux
    psutil = None


def _process_table() -> dict[int, int]:
    """pid -> parent pid of every live (non-zombie) process (psutil, or /proc)."""
    if psutil is not None:
        procs = psutil.process_iter(["pid", "ppid", "status"])
        return {p.info["pid"]: p.info["ppid"] for p in procs if p.info["status"] != "zombie"}
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                table[int(entry.name)] = int(fields[1])
    return table


def descendants(pid: int) -> set[int]:
    """Live (non-zombie) descendants of ``pid``."""
    parents = _process_table()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {c for c, p in parents.items() if p in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    """The pids of ``pids`` still running (zombies count as gone)."""
    table = _process_table()
    return {p for p in pids if p in table}


pytestmark = pytest.mark.skipif(
    psutil is None and not Path("/proc/self/stat").exists(), reason="needs psutil or /proc"
)


def _kill_all(proc: subprocess.Popen[Any], children: set[int]) -> None:
    """Kill the process group and any process left of ``children`` (so a failure leaves
    nothing running)."""
    stop(proc)
    for pid in alive(children):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def test_killed_coordinator_takes_its_workers_with_it(tmp_path: Path) -> None:
    sweep = tiny_sweep(tmp_path, name="long", replicates=30, levels=3)  # 180 runs
    out = tmp_path / "out"
    args = loyalsim_cmd("sweep", str(sweep), "--out", str(out), "--workers", "2")
    proc = subprocess.Popen(
        [*args, "--batch-runs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    children: set[int] = set()
    try:
        wait_for(lambda: len(list((out / "runs").glob("part-*"))) >= 2, 120, "finished runs")
        children = descendants(proc.pid)
        assert len(children) >= 3, "expected 2 workers and the resource tracker"
        os.kill(proc.pid, signal.SIGKILL)  # the coordinator alone, as `kill -9 PID` does
        proc.wait(timeout=20)
        wait_for(lambda: not alive(children), 15, f"processes {alive(children)} to exit")
    finally:
        _kill_all(proc, children)


SCRIPT = """
import multiprocessing, os, time
from concurrent.futures import ProcessPoolExecutor
from loyalsim.experiment.lifeline import die_with_parent

if __name__ == "__main__":
    pool = ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=die_with_parent,
        initargs=(os.getpid(), False),  # the polling fallback, as where the kernel cannot
    )
    print(pool.submit(os.getpid).result(), flush=True)
    time.sleep(600)
"""


def test_watchdog_fallback_kills_an_orphaned_worker(tmp_path: Path) -> None:
    script = tmp_path / "pool.py"
    script.write_text(textwrap.dedent(SCRIPT))
    proc = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # the resource tracker reports the semaphores it freed
        text=True,
        start_new_session=True,
    )
    children: set[int] = set()
    try:
        assert proc.stdout is not None
        worker = int(proc.stdout.readline())
        children = descendants(proc.pid)
        assert worker in children
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)
        started = time.monotonic()
        wait_for(lambda: not alive(children), 15, f"processes {alive(children)} to exit")
        assert time.monotonic() - started < 5
    finally:
        _kill_all(proc, children)
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("not a url", "not a scheduler address"),
        ("tcp://127.0.0.1:99999", "not between 1 and 65535"),
        ("http://127.0.0.1:8786", "unknown scheme 'http'"),
        (None, "cannot connect"),  # a free port: nobody listens
    ],
)
def test_unreachable_scheduler_writes_nothing(
    tmp_path: Path, address: str | None, message: str
) -> None:
    sweep = tiny_sweep(tmp_path)
    out = tmp_path / "out"
    where = address or f"tcp://127.0.0.1:{free_port()}"
    done = run_cli(
        "sweep",
        str(sweep),
        "--out",
        str(out),
        "--executor",
        "dask",
        "--scheduler",
        where,
        "--scheduler-timeout",
        "1",
    )
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "nothing was written" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()
