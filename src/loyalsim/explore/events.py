"""Dated events of a scenario, marked on the explorer's figures like the HTML report's.

Four kinds are told apart: campaign orders, anniversaries, party congresses and amnesties.
The calendar does not say which events are congresses, so an event whose name mentions a
congress is one; every other calendar event is an anniversary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

EventKind = Literal["order", "anniversary", "congress", "amnesty"]
# Small holidays would crowd the figure; the report draws the same big ones only.
BIG_EVENT_WEIGHT = 0.5


@dataclass(frozen=True)
class Event:
    """One dated event: its kind, its label, its date and a line of detail for hovering."""

    kind: EventKind
    name: str
    date: dt.date
    detail: str = ""

    def as_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "name": self.name,
            "date": self.date.isoformat(),
            "detail": self.detail,
        }


def _targets(order: Any) -> str:
    parts = []
    for label, values in (
        ("provinces", order.provinces),
        ("ages", order.age_groups),
        ("organisations", order.organisations),
    ):
        if list(values) != ["*"]:
            parts.append(f"{label} {', '.join(values)}")
    return "; ".join(parts) or "everyone"


def scenario_events(config: Any) -> list[Event]:
    """Orders, big calendar events and (when switched on) amnesties of a scenario, by date."""
    events = [
        Event("order", o.name, o.start, f"{o.regime} regime for {_targets(o)}")
        for o in config.enforcement.orders
    ]
    for event in config.calendar.events:
        if event.weight >= BIG_EVENT_WEIGHT:
            kind: EventKind = "congress" if "congress" in event.name.lower() else "anniversary"
            events.append(Event(kind, event.name, event.date, f"campaign weight {event.weight}"))
    if config.amnesty.enabled:
        events += [
            Event("amnesty", e.name, e.date, f"quota {e.quota_share:.0%} of inmates")
            for e in config.amnesty.events
        ]
    return sorted(events, key=lambda e: (e.date, e.kind, e.name))
