"""Dated events of a scenario worth marking on figures: orders, the calendar, amnesties."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

EventKind = Literal["order", "calendar", "amnesty"]


@dataclass(frozen=True)
class Event:
    """One dated event: what kind, its label and its date."""

    kind: EventKind
    name: str
    date: dt.date


def scenario_events(config: Any) -> list[Event]:
    """Campaign orders, calendar events and amnesties of a loyalty scenario, by date.

    Scenarios of other models have no dated events (empty list).
    """
    if getattr(config, "model", None) != "loyalty":
        return []
    events = [Event("order", o.name, o.start) for o in config.enforcement.orders]
    events += [Event("calendar", e.name, e.date) for e in config.calendar.events]
    if config.amnesty.enabled:
        events += [Event("amnesty", e.name, e.date) for e in config.amnesty.events]
    return sorted(events, key=lambda e: e.date)
