"""``loyalsim.discover(...)``: scenario discovery from Python, with plain tables back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loyalsim.discover.prim import boxes_table
from loyalsim.discover.run import discover as run_discovery
from loyalsim.discover.run import prepare_dir, write_discovery


@dataclass(frozen=True)
class DiscoveryOutput:
    """What a discovery found, as pandas DataFrames."""

    boxes: pd.DataFrame  # one row per box and restricted parameter: limits, quasi-p-values
    trajectory: pd.DataFrame  # PRIM's peeling trajectory of the first box
    tree_leaves: pd.DataFrame  # the classification tree's leaves: rule, runs, share
    tree_rules: str
    cases: pd.DataFrame  # one row per run: reference values, parameters, outcome
    out: Path | None


def discover(
    sweep: str | Path,
    outcome: str,
    out: str | Path | None = None,
    *,
    baseline: str | Path | None = None,
    threshold: float = 0.8,
    max_boxes: int = 3,
    tree_depth: int = 3,
    force: bool = False,
) -> DiscoveryOutput:
    """Find where in a sweep's parameter space ``outcome`` holds (PRIM boxes, CART tree).

    ``outcome`` is an expression such as ``"loyalty_private[province:South Hamgyong]@last
    - baseline < 0"`` (see ``loyalsim.discover.expression``) or the name of one in the sweep
    file's ``[outcomes]``; ``baseline`` is a sweep directory with the same design to pair
    runs with. With ``out`` the tables and figures are written there too. Bad input raises
    ``loyalsim.discover.expression.OutcomeError``.
    """
    base = Path(baseline) if baseline is not None else None
    if out is not None:
        prepare_dir(Path(out), force)
    found = run_discovery(Path(sweep), outcome, base, threshold, max_boxes, tree_depth)
    written = None
    if out is not None:
        written = write_discovery(found, Path(sweep), base, Path(out), threshold)
    cases = pd.concat([found.cases.values, found.cases.x], axis=1)
    cases["outcome"] = found.cases.y
    return DiscoveryOutput(
        boxes_table(found.boxes),
        found.boxes[0].trajectory if found.boxes else pd.DataFrame(),
        found.tree.leaves,
        found.tree.rules,
        cases,
        written,
    )
