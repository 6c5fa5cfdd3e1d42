"""Hand-made tidy tables whose numbers the tests know exactly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pyarrow as pa

START = dt.date(2026, 1, 5)


def tidy(
    columns: Mapping[tuple[str, str], Sequence[float]], run_id: str = "r", dated: bool = True
) -> pa.Table:
    """A tidy table from {(metric, group): values per step}."""
    rows: dict[str, list[object]] = {
        k: [] for k in ("run_id", "step", "date", "metric", "group", "value")
    }
    for (metric, group), values in columns.items():
        for step, value in enumerate(values):
            rows["run_id"].append(run_id)
            rows["step"].append(step)
            rows["date"].append(START + dt.timedelta(weeks=step) if dated else None)
            rows["metric"].append(metric)
            rows["group"].append(group)
            rows["value"].append(float(value))
    schema = pa.schema(
        [
            ("run_id", pa.string()),
            ("step", pa.int32()),
            ("date", pa.date32()),
            ("metric", pa.string()),
            ("group", pa.string()),
            ("value", pa.float64()),
        ]
    )
    return pa.table(rows, schema=schema)
