"""Seed tree: root seed -> one named stream per mechanism -> per-step kernel keys.

Every random decision in loyalsim draws from a stream named after the mechanism that makes
it, so adding or removing a mechanism never shifts the draws of the others. numba kernels do
not hold a global generator: each step they receive a 64-bit key drawn from their stream and
derive per-person uniforms from it with a counter-based hash (``uniform`` below), which keeps
results identical whatever the number of threads.
"""

from __future__ import annotations

import zlib

import numba as nb
import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


def name_key(name: str) -> int:
    """A stable 32-bit number for a stream name (independent of Python's hash seed)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """Named random streams spawned from one run seed."""

    def __init__(self, seed: int) -> None:
        if seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed}")
        self.seed = int(seed)
        self._cache: dict[str, np.random.Generator] = {}

    def get(self, name: str) -> np.random.Generator:
        """The generator for ``name``; the same name always gives the same sequence."""
        if name not in self._cache:
            seq = np.random.SeedSequence(entropy=self.seed, spawn_key=(name_key(name),))
            self._cache[name] = np.random.Generator(np.random.PCG64(seq))
        return self._cache[name]

    def key(self, name: str) -> np.uint64:
        """Draw one 64-bit kernel key from stream ``name`` (one per kernel call)."""
        return np.uint64(self.get(name).integers(0, 2**63, dtype=np.uint64))


@nb.njit(inline="always", cache=True)
def mix64(z: np.uint64) -> np.uint64:
    """SplitMix64 finaliser: a bijective 64-bit mixer."""
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


@nb.njit(inline="always", cache=True)
def uniform(key: np.uint64, idx: int, draw: int) -> float:
    """Uniform in [0, 1) for (kernel key, entity index, draw number); counter-based."""
    counter = np.uint64(idx) * np.uint64(64) + np.uint64(draw) + np.uint64(1)
    z = mix64(key + counter * _GOLDEN)
    return float(z >> np.uint64(11)) * _TO_UNIT


_MASK21 = np.uint64((1 << 21) - 1)
_TO_UNIT21 = 1.0 / 2097152.0  # 2**-21


@nb.njit(inline="always", cache=True)
def uniform3(key: np.uint64, idx: int, draw: int) -> tuple[float, float, float]:
    """Three uniforms in [0, 1) on a 2**-21 grid from one hash of (key, index, draw).

    For hot loops that need several Bernoulli draws per item: one hash instead of three.
    A 2**-21 grid (about 5e-7) biases no probability by more than that. Uses the same
    counter as ``uniform``: a kernel draws either ``uniform`` or ``uniform3`` for a given
    (index, draw), never both.
    """
    counter = np.uint64(idx) * np.uint64(64) + np.uint64(draw) + np.uint64(1)
    z = mix64(key + counter * _GOLDEN)
    return (
        float(z >> np.uint64(43)) * _TO_UNIT21,
        float((z >> np.uint64(22)) & _MASK21) * _TO_UNIT21,
        float((z >> np.uint64(1)) & _MASK21) * _TO_UNIT21,
    )


@nb.njit(cache=True)
def poisson_small(key: np.uint64, idx: int, draw0: int, lam: float) -> int:
    """Poisson draw by inversion for small means (lam < ~10); uses draws draw0.. onwards."""
    u = uniform(key, idx, draw0)
    p = np.exp(-lam)
    cdf = p
    k = 0
    while u > cdf and k < 60:
        k += 1
        p *= lam / k
        cdf += p
    return k
