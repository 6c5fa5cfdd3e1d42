"""The tidy table every loyalsim model returns: run_id, step, date, metric, group, value.

One row per (step, group, metric); aggregates only, never a row per person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pyarrow as pa

SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("step", pa.int32()),
        ("date", pa.date32()),
        ("metric", pa.string()),
        ("group", pa.string()),
        ("value", pa.float64()),
    ]
)


def to_table(
    run_id: str,
    steps: np.ndarray,
    dates: Sequence[dt.date] | None,
    metrics: Sequence[str],
    groups: Sequence[str],
    values: np.ndarray,
) -> pa.Table:
    """Build the tidy table from ``values[step, group, metric]``.

    ``dates`` may be None for models without a calendar (the column is then null).
    Cells that are NaN (a metric not defined for a group) are dropped.
    """
    n_steps, n_groups, n_metrics = values.shape
    if (len(steps), len(groups), len(metrics)) != (n_steps, n_groups, n_metrics):
        raise ValueError("values shape does not match steps, groups and metrics")
    step_col = np.repeat(np.asarray(steps, dtype=np.int32), n_groups * n_metrics)
    group_col = np.tile(np.repeat(np.arange(n_groups), n_metrics), n_steps)
    metric_col = np.tile(np.arange(n_metrics), n_steps * n_groups)
    flat = values.reshape(-1).astype(np.float64)
    keep = ~np.isnan(flat)
    if dates is None:
        date_arr = pa.nulls(int(keep.sum()), pa.date32())
    else:
        day = np.array([np.datetime64(d, "D") for d in dates])
        date_arr = pa.array(np.repeat(day, n_groups * n_metrics)[keep])
    metric_dict = pa.DictionaryArray.from_arrays(
        pa.array(metric_col[keep].astype(np.int32)), pa.array(list(metrics))
    ).cast(pa.string())
    group_dict = pa.DictionaryArray.from_arrays(
        pa.array(group_col[keep].astype(np.int32)), pa.array(list(groups))
    ).cast(pa.string())
    return pa.table(
        {
            "run_id": pa.array([run_id] * int(keep.sum()), pa.string()),
            "step": pa.array(step_col[keep]),
            "date": date_arr,
            "metric": metric_dict,
            "group": group_dict,
            "value": pa.array(flat[keep]),
        },
        schema=SCHEMA,
    )
