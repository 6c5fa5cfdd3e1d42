"""Small numeric summaries of a tidy table (for the CLI's printed tables)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Metrics that count events per step; for these the run total is meaningful too.
EVENT_METRICS = {
    "sessions_attended",
    "lapses",
    "detections",
    "warnings",
    "accused",
    "people_struggled",
    "struggle_attendances",
    "criticisms_sincere",
    "criticisms_false",
    "struggle_sessions",
}


def final_values(table: pa.Table, group: str = "all") -> list[tuple[str, float, float | None]]:
    """(metric, value at the last step, total over the run for event counts) for one group."""
    sub = table.filter(pc.equal(table["group"], group))
    rows = []
    for name in sorted(set(sub["metric"].to_pylist())):
        part = sub.filter(pc.equal(sub["metric"], name)).sort_by("step")
        values = part["value"].to_numpy()
        total = float(np.nansum(values)) if name in EVENT_METRICS else None
        rows.append((name, float(values[-1]), total))
    return rows


def tail_means(table: pa.Table, group: str, fraction: float = 0.25) -> dict[str, float]:
    """Mean of each metric over the last ``fraction`` of steps, for one group."""
    sub = table.filter(pc.equal(table["group"], group))
    if sub.num_rows == 0:
        raise ValueError(f"group {group!r} is not in the table")
    last = int(pc.max(sub["step"]).as_py())
    first = int(np.floor(last - fraction * (last + 1))) + 1
    sub = sub.filter(pc.greater_equal(sub["step"], first))
    out: dict[str, float] = {}
    for name in sorted(set(sub["metric"].to_pylist())):
        values = sub.filter(pc.equal(sub["metric"], name))["value"].to_numpy()
        out[name] = float(np.mean(values))
    return out
