"""Dated events on figures: the events of stored runs, their numbers, an annotation track.

Events come from ``loyalsim.scenario.events.major_events`` (campaign orders, the big
anniversaries, congresses and other events, amnesties; any kind added there is drawn too).
Each event gets a number drawn in a track above the plot and explained in a key below it, so
names never print over each other: numbers are packed into rows greedily, a number going to
the first row where it keeps a clear distance from the numbers already there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loyalsim.scenario.events import Event, major_events


@dataclass(frozen=True)
class Marker:
    """One event as drawn: its number in the key and its row in the track."""

    number: int
    kind: str
    name: str
    date: dt.date
    row: int


def events_of_run(run_dir: Path) -> list[Event]:
    """The major events of a stored run, read from its resolved ``scenario.toml``.

    A scenario that no longer loads (an older schema) gives no events rather than no report.
    """
    from loyalsim.scenario.io import ScenarioError, load

    try:
        config = load(str(Path(run_dir) / "scenario.toml"))
    except (ScenarioError, OSError, ValueError):
        return []
    return major_events(config)


def events_of_sweep(sweep_dir: Path) -> list[Event]:
    """The major events of a sweep's base scenario with its fixed ``[set]`` overrides.

    When an axis sweeps a date, the calendar, the amnesties or the run's weeks, the events
    differ between points and cannot be drawn once: none are shown; a base that no longer
    resolves gives no events either."""
    import tomllib

    from loyalsim.scenario.io import ScenarioError, load

    source = Path(sweep_dir) / "sweep.toml"
    try:
        data = tomllib.loads(source.read_text("utf-8"))
        config = load(str(data.get("base", "default")), dict(data.get("set", {})) or None)
    except (ScenarioError, OSError, ValueError):
        return []
    swept = set(data.get("axes", {}))
    dated = ("time", "enforcement.orders", "calendar", "amnesty.events", "amnesty.recurring")
    if any(path.startswith(dated) for path in swept):
        return []
    return major_events(config)


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def place(
    events: list[Event], start: dt.date, end: dt.date, label_fraction: float = 0.03
) -> list[Marker]:
    """Number the events inside [start, end] by date and give each a track row.

    ``label_fraction`` is the width of one number (with its margin) as a fraction of the
    axis; two numbers closer than that never share a row.
    """
    inside = sorted(
        (e for e in events if start <= _day(e.date) <= end), key=lambda e: (_day(e.date), e.name)
    )
    span = max((end - start).days, 1)
    min_gap = span * label_fraction
    last_in_row: list[float] = []
    out = []
    for number, event in enumerate(inside, start=1):
        x = float((_day(event.date) - start).days)
        row = next((r for r, last in enumerate(last_in_row) if x - last >= min_gap), None)
        if row is None:
            row = len(last_in_row)
            last_in_row.append(x)
        else:
            last_in_row[row] = x
        out.append(Marker(number, event.kind, event.name, _day(event.date), row))
    return out


def key_text(markers: list[Marker]) -> str:
    """``1 name (5 Jan 2026); 2 ...``: the key printed under a figure."""
    return "; ".join(f"{m.number} {m.name} ({m.date:%-d %b %Y})" for m in markers)
