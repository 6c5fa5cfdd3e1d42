"""How state evolves: population arrays, random streams, build, thresholds, run context.

Importing the engine asks OpenMP, which runs numba's parallel loops, to let idle worker
threads sleep rather than spin (``OMP_WAIT_POLICY=PASSIVE``) unless the user has chosen
otherwise. A week runs some fifteen short parallel loops; with the runtime's default policy
each cost 0.8 to 4 ms of hand-over on the 2-core machines we measured, against 17 us when
idle threads sleep (docs/design.md, Speed of the weekly step). The setting only takes effect
before numba starts its threads, which is why it is made here, when the engine is first
imported, rather than later.
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
