"""Reading series out of a stored tidy table, scaled and labelled from the metric catalogue.

Counts and levels that grow with the synthetic population (``per_capita`` in the catalogue)
are shown per 1,000 people by default: per 1,000 people *of the group* where the table
records the group's size (``n_people``), else per 1,000 people of the whole population
(groups such as ``channel:merit`` have no size of their own).
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from loyalsim import catalogue

SIZE_METRIC = "n_people"
PER = 1000.0


def series(table: pa.Table, metric: str, group: str = "all") -> tuple[np.ndarray, np.ndarray]:
    """(x, value) of one metric and group; x is the date where there is one, else the step."""
    mask = pc.and_(pc.equal(table["metric"], metric), pc.equal(table["group"], group))
    sub = table.filter(mask).sort_by("step")
    values = sub["value"].to_numpy()
    if sub.num_rows and sub["date"].null_count == 0:
        return np.array(sub["date"].to_pylist(), dtype="datetime64[D]"), values
    return sub["step"].to_numpy(), values


def present(table: pa.Table) -> tuple[set[str], set[str]]:
    """The metrics and the groups a table holds."""
    return set(table["metric"].unique().to_pylist()), set(table["group"].unique().to_pylist())


def scales(metric: str) -> bool:
    """Whether ``metric`` grows with the population (shown per 1,000 people by default)."""
    entry = catalogue.METRICS.get(metric)
    return bool(entry and entry.per_capita)


def group_size(table: pa.Table, group: str) -> np.ndarray | None:
    """People in ``group`` at each step (the whole population if the group has no size)."""
    for name in (group, "all"):
        _, size = series(table, SIZE_METRIC, name)
        if len(size):
            return size
    return None


def scaled_series(
    table: pa.Table, metric: str, group: str = "all", per_capita: bool = True
) -> tuple[np.ndarray, np.ndarray, bool]:
    """(x, value, scaled): per 1,000 people when asked, meaningful and possible."""
    x, y = series(table, metric, group)
    if not (per_capita and scales(metric)):
        return x, y, False
    size = group_size(table, group)
    if size is None or len(size) != len(y) or not np.all(size > 0):
        return x, y, False
    return x, y / size * PER, True


def metric_name(metric: str) -> str:
    """The catalogue's label of a metric without its unit (the name itself if unknown)."""
    entry = catalogue.METRICS.get(metric)
    return entry.label if entry else metric


def unit(metric: str, per_capita: bool = False) -> str:
    """The metric's unit, ``per 1,000 people`` added when the values were scaled."""
    entry = catalogue.METRICS.get(metric)
    if entry is None:
        return ""
    return f"{entry.unit} per 1,000 people" if per_capita and entry.per_capita else entry.unit


GROUP_KIND_NAMES = {
    "age": "age",
    "org": "",
    "province": "",
    "hh": "",
    "wealth": "wealth",
    "offence": "offence:",
    "channel": "channel:",
}


def group_name(group: str) -> str:
    """A readable group name: ``province:South Hamgyong`` -> ``South Hamgyong``."""
    if group == "all":
        return "everyone"
    kind, _, value = group.partition(":")
    if not value:
        return group
    prefix = GROUP_KIND_NAMES.get(kind, f"{kind}:")
    text = value.replace("_", " ")
    if prefix.endswith(":"):
        return f"{prefix[:-1]} {text}"
    return f"{prefix} {text}".strip()


def integer_like(values: np.ndarray) -> bool:
    """Whether every finite value is a whole number (to print without a decimal point)."""
    finite = values[np.isfinite(values)]
    return bool(len(finite)) and bool(np.all(finite == np.round(finite)))


TAIL_FRACTION = 0.25  # "the last quarter of the run": tables, maps and comparisons agree


def tail_start(n_steps: int, fraction: float = TAIL_FRACTION) -> int:
    """Index of the first step of the last ``fraction`` of ``n_steps`` steps."""
    return min(max(n_steps - 1, 0), math.floor(n_steps * (1 - fraction)))
