"""Where candidate particles are evaluated: in order, lazily, a bounded number in flight.

A mapper takes an iterator of seed batches and yields each batch's particles in the order
the batches came, while keeping ``in_flight`` batches running ahead. The sampler stops
reading once a generation has enough accepted particles; closing the iterator cancels what
is still running. Results are the same on every mapper (the serial one is the reference):
a candidate's outcome depends on its seed alone.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol

from loyalsim.calibrate.worker import evaluate_batch, evaluate_seeds
from loyalsim.experiment.executors import default_workers

EXECUTORS = ("serial", "processes", "dask")
Batch = list[list[int]]


class Mapper(Protocol):
    """Evaluates seed batches of one generation and yields their particles in order."""

    workers: int

    def imap(
        self, payload: bytes, batches: Iterable[Batch]
    ) -> Generator[list[Any], None, None]: ...

    def close(self) -> None: ...


class SerialMapper:
    """Every candidate in this process, one after another (the reference)."""

    workers = 1

    def imap(self, payload: bytes, batches: Iterable[Batch]) -> Generator[list[Any], None, None]:
        for batch in batches:
            yield evaluate_seeds(payload, batch)

    def close(self) -> None:
        """Nothing to release."""


def _ordered(
    submit: Any, batches: Iterable[Batch], in_flight: int
) -> Generator[list[Any], None, None]:
    """Yield results in submission order, keeping ``in_flight`` futures running."""
    source = iter(batches)
    queue: deque[Any] = deque()
    try:
        while True:
            while len(queue) < in_flight:
                batch = next(source, None)
                if batch is None:
                    break
                queue.append(submit(batch))
            if not queue:
                return
            yield queue.popleft().result()
    finally:
        for future in queue:  # the generation is complete: drop the candidates ahead
            future.cancel()


class ProcessMapper:
    """Local worker processes (``forkserver`` where available, as sweeps use)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        self._pool = ProcessPoolExecutor(self.workers, mp_context=context)

    def imap(self, payload: bytes, batches: Iterable[Batch]) -> Generator[list[Any], None, None]:
        def submit(batch: Batch) -> Future[list[Any]]:
            return self._pool.submit(evaluate_batch, payload, batch)

        return _ordered(submit, batches, 2 * self.workers)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskMapper:
    """Dask distributed: a running scheduler (``address``) or a local cluster."""

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        from distributed import Client, LocalCluster

        self._cluster: Any = None
        if address:
            self.client = Client(address, timeout="30s")
        else:
            self._cluster = LocalCluster(
                n_workers=workers or default_workers(),
                threads_per_worker=1,  # the global random stream is per process
                processes=True,
                dashboard_address=None,
            )
            self.client = Client(self._cluster)
        threads = self.client.nthreads()
        if any(n > 1 for n in threads.values()):
            self.close()
            raise ValueError(
                "calibration needs single-threaded Dask workers (start them with "
                "`dask worker ADDRESS --nthreads 1`): each candidate seeds its process's "
                "random stream"
            )
        self.workers = max(1, len(threads))

    def imap(self, payload: bytes, batches: Iterable[Batch]) -> Generator[list[Any], None, None]:
        shared = self.client.scatter(payload, broadcast=True, hash=False)

        def submit(batch: Batch) -> Any:
            return self.client.submit(evaluate_batch, shared, batch, pure=False)

        return _ordered(submit, batches, 2 * self.workers)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_mapper(kind: str, workers: int | None = None, scheduler: str | None = None) -> Mapper:
    """A mapper by name: ``serial``, ``processes`` or ``dask``."""
    if kind == "serial":
        return SerialMapper()
    if kind == "processes":
        return ProcessMapper(workers)
    if kind == "dask":
        return DaskMapper(scheduler, workers)
    raise ValueError(f"executor {kind!r}: allowed: {', '.join(EXECUTORS)}")
