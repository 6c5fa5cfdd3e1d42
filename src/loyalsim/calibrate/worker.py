"""What a calibration worker does: evaluate candidate particles, each from its own seed.

pyabc's ``simulate_one`` (draw a parameter vector from the proposal, run the model, compute
the distance, accept or reject) takes its randomness from numpy's global stream; seeding
that stream per candidate makes each candidate's outcome a function of its seed alone,
whichever worker evaluates it. (The legacy global stream is used on purpose, hence the
``noqa: NPY002``: it is the stream pyabc and scipy's distributions draw from.) This module
is imported in worker processes: it stays light.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from typing import Any

import cloudpickle
import numpy as np

_cached: tuple[bytes, Callable[[], Any]] | None = None


def _function(payload: bytes) -> Callable[[], Any]:
    """Unpickle a generation's ``simulate_one`` once per worker and generation."""
    global _cached
    digest = hashlib.sha256(payload).digest()
    if _cached is None or _cached[0] != digest:
        _cached = (digest, cloudpickle.loads(payload))
    return _cached[1]


def evaluate_seeds(payload: bytes, seeds: list[list[int]]) -> list[Any]:
    """Evaluate one candidate per seed, in order; returns pyabc particles.

    The global streams are restored afterwards, so evaluating in a notebook's own process
    leaves its random state as it was."""
    simulate_one = _function(payload)
    saved = np.random.get_state(), random.getstate()  # noqa: NPY002
    try:
        out = []
        for words in seeds:
            np.random.seed(np.asarray(words, dtype=np.uint32))  # noqa: NPY002
            random.seed(words[0])
            out.append(simulate_one())
        return out
    finally:
        np.random.set_state(saved[0])  # noqa: NPY002
        random.setstate(saved[1])


def evaluate_batch(payload: bytes, seeds: list[list[int]]) -> list[Any]:
    """``evaluate_seeds`` in a worker process, with numba on one thread."""
    import numba

    # One single-threaded worker per core: results do not depend on the thread count,
    # and several workers each spawning a thread per core would oversubscribe the machine.
    if numba.get_num_threads() != 1:
        numba.set_num_threads(1)
    return evaluate_seeds(payload, seeds)
