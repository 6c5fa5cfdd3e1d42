"""Where runs execute, behind one small protocol: ``run(specs) -> results as they finish``.

Executors only move ``RunSpec`` to ``RunResult`` (``work.run_one``); they never store
anything. Each keeps a bounded number of runs in flight and pulls specs from the iterator
lazily, so memory stays flat however many runs a sweep has. The serial executor is the test
double: the others must give the same results, only in a different order.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from loyalsim.experiment.lifeline import die_with_parent
from loyalsim.experiment.work import RunResult, RunSpec, run_one, run_one_single_threaded

EXECUTORS = ("serial", "processes", "dask")


class ExecutorUnavailable(ValueError):
    """An executor cannot be built or reached (bad scheduler address, nobody listening)."""


class Executor(Protocol):
    """Runs specs and yields their results in completion order."""

    def run(self, specs: Iterable[RunSpec]) -> Iterator[RunResult]: ...

    def close(self) -> None: ...


def _crashed(spec: RunSpec, why: str) -> RunResult:
    return RunResult(spec.run_id, "failed", None, why)


class SerialExecutor:
    """One run after another in this process (the reference and the test double)."""

    def run(self, specs: Iterable[RunSpec]) -> Iterator[RunResult]:
        for spec in specs:
            yield run_one(spec)

    def close(self) -> None:
        """Nothing to release."""


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ProcessExecutor:
    """Local worker processes, started with ``spawn`` and tied to this process's life.

    Workers are direct children (``spawn``: a clean interpreter, no copy of numba's or the
    coordinator's state) and die with the coordinator (``lifeline.die_with_parent``), so a
    kill -9 of the sweep leaves no process behind. A worker that dies (killed, out of
    memory) breaks the pool; the pool is rebuilt and the runs that were in flight are
    submitted again, at most ``max_crashes`` times each before they are reported as failed.
    """

    def __init__(
        self, workers: int | None = None, in_flight: int | None = None, max_crashes: int = 2
    ) -> None:
        self.workers = workers or default_workers()
        self.in_flight = in_flight or 2 * self.workers
        self.max_crashes = max_crashes
        # Not fork (it would copy numba's and the coordinator's state) and not forkserver
        # (the workers' parent would be the fork server, which outlives a killed sweep).
        self._context = multiprocessing.get_context("spawn")
        self._pool: ProcessPoolExecutor | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = ProcessPoolExecutor(
            self.workers,
            mp_context=self._context,
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        )
        return self._pool

    def run(self, specs: Iterable[RunSpec]) -> Iterator[RunResult]:
        pool = self._pool or self._new_pool()
        source = iter(specs)
        pending: dict[Future[RunResult], RunSpec] = {}
        retry: list[RunSpec] = []
        crashes: dict[str, int] = {}
        exhausted = False
        while True:
            while len(pending) < self.in_flight and (retry or not exhausted):
                if retry:
                    spec = retry.pop()
                else:
                    nxt = next(source, None)
                    if nxt is None:
                        exhausted = True
                        break
                    spec = nxt
                pending[pool.submit(run_one_single_threaded, spec)] = spec
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                spec = pending.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    crashes[spec.run_id] = crashes.get(spec.run_id, 0) + 1
                    if crashes[spec.run_id] > self.max_crashes:
                        yield _crashed(spec, "worker process died while running this run")
                    else:
                        retry.append(spec)
            if broken:
                # Every other future of a broken pool fails too: run those again.
                retry.extend(pending.values())
                pending.clear()
                pool = self._new_pool()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def check_scheduler(address: str, timeout_s: float = 30.0) -> None:
    """ExecutorUnavailable unless a Dask scheduler answers at ``address`` within the timeout.

    The address is parsed first (a malformed one fails at once); for ``tcp://`` a connection
    is opened and closed again, so an unreachable scheduler is reported before anything is
    written and without a half-built client left to clean up.
    """
    from distributed.comm import connect, parse_address
    from distributed.comm.addressing import parse_host_port
    from distributed.comm.registry import backends

    where = f"--scheduler {address!r}"
    try:
        scheme, location = parse_address(address)
        if scheme not in backends:
            raise ValueError(f"unknown scheme {scheme!r}; allowed: {', '.join(sorted(backends))}")
        if scheme in ("tcp", "tls", "ws", "wss"):
            _host, port = parse_host_port(location)
            if not 0 < int(port) < 65536:
                raise ValueError(f"port {port} is not between 1 and 65535")
    except (ValueError, TypeError) as exc:
        raise ExecutorUnavailable(
            f"{where}: not a scheduler address ({exc}); expected e.g. tcp://HOST:8786"
        ) from None
    if scheme != "tcp":  # tls and others need security settings the client reads itself
        return

    async def probe() -> None:
        comm = await connect(address, timeout=timeout_s)
        await comm.close()

    try:
        asyncio.run(probe())
    except (OSError, ValueError) as exc:
        raise ExecutorUnavailable(f"{where}: cannot connect: {exc}") from None


class DaskExecutor:
    """Dask distributed: an existing scheduler (``address``) or a local cluster.

    Dask reschedules the tasks of a worker that dies; a task that kills several workers in
    a row (``KilledWorker``) is reported as failed.
    """

    def __init__(
        self,
        address: str | None = None,
        workers: int | None = None,
        in_flight: int | None = None,
        timeout_s: float = 30.0,
    ) -> None:
        from distributed import Client, LocalCluster

        self._cluster: Any = None
        if address:
            check_scheduler(address, timeout_s)
            try:
                self.client = Client(address, timeout=f"{timeout_s}s")
            except (OSError, ValueError) as exc:
                raise ExecutorUnavailable(f"--scheduler {address!r}: {exc}") from None
        else:
            # One single-threaded process per core: numba kernels hold the GIL-free path
            # per process and results must not depend on thread scheduling.
            self._cluster = LocalCluster(
                n_workers=workers or default_workers(),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            self.client = Client(self._cluster)
        n_threads = sum(self.client.nthreads().values()) or 1
        self.in_flight = in_flight or max(4, 2 * n_threads)

    def run(self, specs: Iterable[RunSpec]) -> Iterator[RunResult]:
        from distributed import as_completed

        source = iter(specs)
        by_key: dict[str, RunSpec] = {}
        queue = as_completed()

        def submit() -> bool:
            spec = next(source, None)
            if spec is None:
                return False
            future = self.client.submit(
                run_one_single_threaded, spec, pure=False, key=f"run-{spec.run_id}"
            )
            by_key[str(future.key)] = spec
            queue.add(future)
            return True

        for _ in range(self.in_flight):
            if not submit():
                break
        for future in queue:
            spec = by_key.pop(str(future.key))
            try:
                result = future.result()
            except Exception as exc:  # KilledWorker and friends: the run is failed
                result = _crashed(spec, f"{type(exc).__name__}: {exc}")
            future.release()
            yield result
            submit()

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(
    kind: str,
    workers: int | None = None,
    scheduler: str | None = None,
    timeout_s: float = 30.0,
) -> Executor:
    """Build an executor by name (``serial``, ``processes``, ``dask``).

    ExecutorUnavailable if it cannot be reached (a Dask scheduler within ``timeout_s``).
    """
    if kind == "serial":
        return SerialExecutor()
    if kind == "processes":
        return ProcessExecutor(workers)
    if kind == "dask":
        return DaskExecutor(scheduler, workers, timeout_s=timeout_s)
    raise ExecutorUnavailable(f"--executor {kind!r}: allowed: {', '.join(EXECUTORS)}")
