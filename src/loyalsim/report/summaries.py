"""Small numeric summaries of a tidy table (for the CLI's printed tables).

Which numbers may be added up comes from the metric catalogue: a run total is printed for
``count`` metrics (events per week) only; shares, means, ratios and levels (people present
at the end of a week) have no meaningful sum over weeks.
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from loyalsim import catalogue


def summable(metric: str) -> bool:
    """Whether a total over the run means something for ``metric`` (catalogue kind count)."""
    entry = catalogue.METRICS.get(metric)
    return bool(entry and entry.summable)


def final_values(table: pa.Table, group: str = "all") -> list[tuple[str, float, float | None]]:
    """(metric, value at the last step, total over the run for counts) for one group."""
    sub = table.filter(pc.equal(table["group"], group))
    rows = []
    for name in sorted(set(sub["metric"].to_pylist())):
        part = sub.filter(pc.equal(sub["metric"], name)).sort_by("step")
        values = part["value"].to_numpy()
        total = float(np.nansum(values)) if summable(name) else None
        rows.append((name, float(values[-1]), total))
    return rows


def format_number(value: float | None) -> str:
    """Whole numbers as integers with thousands separators, others with 4 significant digits."""
    if value is None:
        return ""
    if not math.isfinite(value):
        return "n/a"
    if value == round(value) and abs(value) < 1e15:
        return f"{round(value):,}"
    return f"{value:.4g}"


def summary_rows(table: pa.Table, group: str = "all") -> list[tuple[str, str, str]]:
    """``final_values`` as printed: (metric, last step, run total), numbers formatted."""
    return [
        (name, format_number(last), format_number(total))
        for name, last, total in final_values(table, group)
    ]


def tail_means(table: pa.Table, group: str, fraction: float = 0.25) -> dict[str, float]:
    """Mean of each metric over the last ``fraction`` of steps, for one group."""
    sub = table.filter(pc.equal(table["group"], group))
    if sub.num_rows == 0:
        groups = sorted(set(table["group"].unique().to_pylist()))
        raise ValueError(catalogue.unknown_message("group", group, groups))
    last = int(pc.max(sub["step"]).as_py())
    first = int(np.floor(last - fraction * (last + 1))) + 1
    sub = sub.filter(pc.greater_equal(sub["step"], first))
    out: dict[str, float] = {}
    for name in sorted(set(sub["metric"].to_pylist())):
        values = sub.filter(pc.equal(sub["metric"], name))["value"].to_numpy()
        out[name] = float(np.mean(values))
    return out
