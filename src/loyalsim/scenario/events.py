"""Every dated event of a scenario, one concept for the model, the reports and the explorer.

Five kinds: campaign ``order``s, ``anniversary``s (every holiday, round or not), party
``congress``es, other calendar ``event``s and ``amnesty`` reviews. Recurring entries (yearly
holidays, events repeated every few years, recurring amnesty reviews) are expanded over the
window asked for, so a run of any length sees its calendar. The intensity of the calendar
(``mechanisms/policy.py``) and the week of an amnesty (``mechanisms/amnesty.py``) are read
from here, as are the markers drawn on figures.

Implements: C12 (holidays with bigger 5th and 10th anniversaries, congresses, dated events),
A3 (amnesty reviews, dated or on the anniversaries of the pardon holidays).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal, get_args

from loyalsim.scenario.limits import DATE_MAX, DATE_MIN

EventKind = Literal["order", "anniversary", "congress", "event", "amnesty"]
KINDS: tuple[str, ...] = get_args(EventKind)
CALENDAR_KINDS = ("anniversary", "congress", "event")
# Calendar events below this weight (ordinary holidays) would crowd a figure: figures leave
# them out. Orders and amnesties are always shown.
MAJOR_WEIGHT = 0.5
# A calendar event moves intensity at most 52 weeks before or after its date (schema bounds).
_REACH = dt.timedelta(weeks=52, days=1)


@dataclass(frozen=True)
class Event:
    """One dated event: kind, label, date and a line of detail for hovering.

    Calendar kinds carry their bump of campaign intensity (``weight`` at the peak, ramps of
    ``lead_weeks`` before and ``lag_weeks`` after); amnesties their ``quota_share``.
    """

    kind: EventKind
    name: str
    date: dt.date
    detail: str = ""
    weight: float = 0.0
    lead_weeks: int = 0
    lag_weeks: int = 0
    quota_share: float = 0.0

    @property
    def is_major(self) -> bool:
        """Worth a marker on a figure: orders, amnesties and the calendar's big days."""
        return self.kind not in CALENDAR_KINDS or self.weight >= MAJOR_WEIGHT

    def as_json(self) -> dict[str, str]:
        """Kind, name, ISO date and detail, as the explorer's page reads them."""
        return {
            "kind": self.kind,
            "name": self.name,
            "date": self.date.isoformat(),
            "detail": self.detail,
        }


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``80th``, ``112th``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def anniversary_round(years: int) -> int:
    """10 for a 10th anniversary (10, 20, ... years), 5 for a 5th that is not a 10th, else 0."""
    if years <= 0 or years % 5:
        return 0
    return 10 if years % 10 == 0 else 5


def _years(first: dt.date, last: dt.date) -> range:
    return range(max(first.year, DATE_MIN.year), min(last.year, DATE_MAX.year) + 1)


def holiday_events(calendar: Any, first: dt.date, last: dt.date) -> list[Event]:
    """Every holiday of the calendar in every year, dated within [first, last].

    In the year ``y`` a holiday commemorating year ``f`` is the (y - f)th anniversary; a 5th
    (not 10th) anniversary has the weight times ``fifth_factor``, a 10th times
    ``tenth_factor``, both with the ramps ``round_lead_weeks`` and ``round_lag_weeks``; every
    weight is times ``weight_scale``.
    """
    out = []
    for year in _years(first, last):
        for holiday in calendar.holidays:
            n = year - holiday.date.year
            day = dt.date(year, holiday.date.month, holiday.date.day)
            if n < 1 or not first <= day <= last:
                continue
            rnd = anniversary_round(n)
            factor = {0: 1.0, 5: calendar.fifth_factor, 10: calendar.tenth_factor}[rnd]
            weight = calendar.weight_scale * holiday.weight * factor
            lead = calendar.round_lead_weeks if rnd else holiday.lead_weeks
            lag = calendar.round_lag_weeks if rnd else holiday.lag_weeks
            what = f"{ordinal(rnd)} anniversary" if rnd else "ordinary year"
            out.append(
                Event(
                    "anniversary",
                    f"{holiday.name} ({ordinal(n)} anniversary)",
                    day,
                    f"{what}: campaign weight {weight:g}, {lead} weeks before, {lag} after",
                    weight,
                    lead,
                    lag,
                )
            )
    return out


def _same_day(date: dt.date, year: int) -> dt.date:
    """``date`` moved to ``year``; 29 February becomes 28 February in common years."""
    try:
        return date.replace(year=year)
    except ValueError:
        return date.replace(year=year, day=28)


def dated_calendar_events(calendar: Any, first: dt.date, last: dt.date) -> list[Event]:
    """The calendar's dated events and their repeats, dated within [first, last]."""
    out = []
    for entry in calendar.events:
        weight = calendar.weight_scale * entry.weight
        step = entry.every_years or DATE_MAX.year  # once: the next "repeat" is past any date
        detail = f"campaign weight {weight:g}, {entry.lead_weeks} weeks before, "
        detail += f"{entry.lag_weeks} after"
        if entry.every_years:
            detail += f"; every {entry.every_years} years from {entry.date}"
        for year in range(entry.date.year, min(last.year, DATE_MAX.year) + 1, step):
            day = _same_day(entry.date, year)
            if not first <= day <= last:
                continue
            shift = year - entry.date.year
            name = f"{entry.name} (+{shift} years)" if shift else entry.name
            out.append(
                Event(entry.kind, name, day, detail, weight, entry.lead_weeks, entry.lag_weeks)
            )
    return out


def calendar_events(calendar: Any, first: dt.date, last: dt.date) -> list[Event]:
    """Holidays and dated events of the calendar within [first, last], by date."""
    events = holiday_events(calendar, first, last) + dated_calendar_events(calendar, first, last)
    return sorted(events, key=lambda e: e.date)


def calendar_events_near(calendar: Any, date: dt.date) -> list[Event]:
    """The calendar events whose ramps can reach ``date`` (within 52 weeks of it)."""
    return calendar_events(calendar, max(date - _REACH, DATE_MIN), min(date + _REACH, DATE_MAX))


def _recurring_review(config: Any, year: int) -> Event | None:
    """The recurring amnesty review for the anniversaries of ``year``, if the rule gives one.

    Among the pardon holidays with a round anniversary in ``year`` (a 10th only, with
    ``amnesty.recurring = "tenth"``), the biggest, then the earliest, brings the review,
    ``recurring_weeks_before`` weeks ahead of the day.
    """
    am = config.amnesty
    best: tuple[tuple[int, dt.date], Event] | None = None
    for holiday in config.calendar.holidays:
        n = year - holiday.date.year
        rnd = anniversary_round(n)
        if not holiday.pardons or rnd == 0 or (am.recurring == "tenth" and rnd != 10):
            continue
        day = dt.date(year, holiday.date.month, holiday.date.day)
        quota = am.recurring_tenth_quota_share if rnd == 10 else am.recurring_fifth_quota_share
        review = Event(
            "amnesty",
            f"{holiday.name} {ordinal(n)} anniversary amnesty",
            day - dt.timedelta(weeks=am.recurring_weeks_before),
            f"recurring review ({ordinal(rnd)} anniversary): quota {quota:.0%} of inmates",
            quota_share=quota,
        )
        if best is None or (-rnd, day) < best[0]:
            best = ((-rnd, day), review)
    return None if best is None else best[1]


def amnesty_events(config: Any, first: dt.date, last: dt.date) -> list[Event]:
    """Amnesty reviews held within [first, last], by date: the dated ``amnesty.events`` and,
    with ``amnesty.recurring``, one a year on a pardon holiday's round anniversary, except in
    the years that hold a dated amnesty (the dated one stands for that year's)."""
    am = config.amnesty
    out = [
        Event(
            "amnesty",
            e.name,
            e.date,
            f"quota {e.quota_share:.0%} of inmates",
            quota_share=e.quota_share,
        )
        for e in am.events
        if first <= e.date <= last
    ]
    if am.recurring != "none":
        dated_years = {e.date.year for e in am.events}
        ahead = dt.timedelta(weeks=am.recurring_weeks_before)
        for year in _years(first + ahead, min(last + ahead, DATE_MAX)):
            review = None if year in dated_years else _recurring_review(config, year)
            if review is not None and first <= review.date <= last:
                out.append(review)
    return sorted(out, key=lambda e: e.date)


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


def order_events(config: Any, first: dt.date, last: dt.date) -> list[Event]:
    """Campaign orders starting within [first, last]."""
    return [
        Event("order", o.name, o.start, f"{o.regime} regime for {_targets(o)}")
        for o in config.enforcement.orders
        if first <= o.start <= last
    ]


def run_window(config: Any) -> tuple[dt.date, dt.date]:
    """First and last day of a run: step 0's Monday to the end of the last week."""
    return config.time.start, config.time.start + dt.timedelta(weeks=config.time.n_steps, days=-1)


def scenario_events(
    config: Any, first: dt.date | None = None, last: dt.date | None = None
) -> list[Event]:
    """Every dated event of a loyalty scenario within [first, last] (default: the run's
    weeks), by date: orders, anniversaries, congresses, other events and, when the amnesty
    subsystem is on, amnesties. Scenarios of other models have none."""
    if getattr(config, "model", None) != "loyalty":
        return []
    start, end = run_window(config)
    first, last = first or start, last or end
    events = order_events(config, first, last) + calendar_events(config.calendar, first, last)
    if config.amnesty.enabled:
        events += amnesty_events(config, first, last)
    order = {kind: k for k, kind in enumerate(KINDS)}
    return sorted(events, key=lambda e: (e.date, order[e.kind], e.name))


def major_events(config: Any) -> list[Event]:
    """The events of a run worth marking on its figures (``Event.is_major``), by date."""
    return [e for e in scenario_events(config) if e.is_major]
