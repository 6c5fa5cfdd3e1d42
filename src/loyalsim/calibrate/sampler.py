"""A pyabc sampler whose generations do not depend on where or how fast candidates run.

Candidate ``j`` of generation ``t`` is evaluated from the seed
``SeedSequence(root, spawn_key=(t + 1, j))``; the generation keeps the first ``n`` accepted
candidates in index order and counts the candidates up to the last one kept. The posterior,
the tolerances and the acceptance rates are thus the same on the serial, process and Dask
mappers and for any number of workers (pyabc's own parallel samplers keep whichever
candidates finish first, which depends on timing). Candidates evaluated beyond the last one
kept are discarded, a few per generation.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import closing
from typing import Any

import cloudpickle
import numpy as np
from pyabc.sampler import Sampler

from loyalsim.calibrate.parallel import Batch, Mapper

# Called with (generation, candidates evaluated, accepted, wanted) as results arrive.
CandidateProgress = Callable[[int, int, int, int], None]


def candidate_seed(root: int, generation: int, candidate: int) -> list[int]:
    """Four 32-bit words seeding numpy's global stream for one candidate."""
    sequence = np.random.SeedSequence(entropy=root, spawn_key=(generation + 1, candidate))
    return [int(w) for w in sequence.generate_state(4, np.uint32)]


class OrderedSampler(Sampler):
    """Evaluates candidates in index order on a mapper, ``chunk`` candidates per task."""

    def __init__(
        self,
        mapper: Mapper,
        root_seed: int,
        chunk: int = 1,
        on_candidate: CandidateProgress | None = None,
    ) -> None:
        super().__init__()
        self.mapper = mapper
        self.root_seed = root_seed
        self.chunk = chunk
        self.on_candidate = on_candidate

    def _batches(self, t: int) -> Iterator[Batch]:
        for start in itertools.count(0, self.chunk):
            yield [candidate_seed(self.root_seed, t, j) for j in range(start, start + self.chunk)]

    def sample_until_n_accepted(
        self,
        n: int,
        simulate_one: Callable[[], Any],
        t: int,
        *,
        max_eval: float = np.inf,
        all_accepted: bool = False,
        ana_vars: Any = None,
    ) -> Any:
        payload = cloudpickle.dumps(simulate_one)
        sample = self._create_empty_sample()
        evaluated = accepted = 0
        with closing(self.mapper.imap(payload, self._batches(t))) as results:
            for particles in results:
                for particle in particles:
                    evaluated += 1
                    sample.append(particle)
                    accepted += int(particle.accepted)
                    if accepted >= n or evaluated >= max_eval:
                        break
                if self.on_candidate is not None:
                    self.on_candidate(t, evaluated, accepted, n)
                if accepted >= n or evaluated >= max_eval:
                    break
        self.nr_evaluations_ = evaluated
        if accepted < n:
            sample.ok = False
        return sample
