"""What the page draws from a tidy table: one group's series of a few metrics, and the labels."""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

# Shown until the page asks for others: the beliefs and display of C9 and C11.
DEFAULT_METRICS = ("display_public", "loyalty_private", "display_gap", "resentment", "cynicism")


def table_groups(table: pa.Table) -> tuple[list[str], list[str]]:
    """The groups (``all`` first) and the metrics a tidy table holds, in first-seen order."""
    groups = [str(g) for g in pc.unique(table["group"]).to_pylist()]
    metrics = [str(m) for m in pc.unique(table["metric"]).to_pylist()]
    if "all" in groups:
        groups.remove("all")
        groups.insert(0, "all")
    return groups, metrics


def series_of(table: pa.Table, group: str, metrics: list[str]) -> dict[str, list[float | None]]:
    """One list per metric of ``group``, one value per recorded step (None where none)."""
    n_steps = int(pc.max(table["step"]).as_py() or 0) + 1 if table.num_rows else 0
    out: dict[str, list[float | None]] = {m: [None] * n_steps for m in metrics}
    mask = pc.and_(
        pc.equal(table["group"], group), pc.is_in(table["metric"], pa.array(metrics, pa.string()))
    )
    rows = table.filter(mask).select(["step", "metric", "value"]).to_pydict()
    for step, metric, value in zip(rows["step"], rows["metric"], rows["value"], strict=True):
        out[metric][step] = value
    return out


@cache
def catalogue_entries() -> Any:
    """The metric catalogue's entries by name, or None while there is no catalogue."""
    try:
        return importlib.import_module("loyalsim.catalogue").METRICS
    except (ImportError, AttributeError):
        return None


def metric_info(name: str) -> dict[str, Any]:
    """Label, unit, kind and description of a metric, from the metric catalogue.

    Until the catalogue is available (or for a metric it lacks) the label is the name with
    spaces and the unit is left empty rather than guessed.
    """
    entry = (catalogue_entries() or {}).get(name)
    if entry is None:
        label = name.replace("_", " ").capitalize()
        return {"name": name, "label": label, "unit": "", "kind": "", "description": ""}
    return {
        "name": name,
        "label": str(entry.label),
        "unit": str(entry.unit),
        "kind": str(entry.kind),
        "description": str(entry.description),
    }
