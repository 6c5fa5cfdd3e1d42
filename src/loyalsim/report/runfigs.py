"""The standard figures of one run, each with one unit per axis.

Panels group metrics that share a unit (scores, shares, counts per week, people), so every
axis carries one label from the catalogue; counts and levels are per 1,000 people unless
``per_capita`` is off. Weekly counts are drawn on a log axis so that detections stay
readable beside lapses, which are a hundred times more frequent.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from loyalsim.report import tables
from loyalsim.report.figspec import Figure, Flow, Trace, line_figure
from loyalsim.report.summaries import tail_means
from loyalsim.scenario.events import Event

# The headline observable of the core model (C9, C11): what the report, maps and comparisons
# show first. Named once here.
GAP = "display_gap"
GROUP_KINDS = (("age", "age group"), ("org", "organisation"), ("province", "province"))

# (key, title, metrics, log scale, with the focus group); the order of the report.
PANELS: tuple[tuple[str, str, tuple[str, ...], bool, bool], ...] = (
    (
        "main",
        "Public display and private loyalty",
        ("display_public", "loyalty_private"),
        False,
        True,
    ),
    ("gap", "Display-belief gap", (GAP,), False, True),
    ("attitudes", "Resentment, cynicism and fear", ("resentment", "cynicism", "fear"), False, True),
    ("lapses", "Lapses and detections per week", ("lapses", "detections"), True, False),
    (
        "enforcement",
        "Enforcement per week",
        ("warnings", "accused", "struggle_sessions", "criticisms_false", "criticisms_sincere"),
        True,
        False,
    ),
    (
        "dissent",
        "Hidden dissent and cascade risk",
        ("hidden_dissent", "cascade_risk", "open_dissent"),
        False,
        True,
    ),
    (
        "custody",
        "People in custody and under supervision",
        ("inmates", "under_supervision"),
        False,
        False,
    ),
    (
        "amnesty_weekly",
        "Arrests, reviews and releases per week",
        ("arrests", "rearrests", "reviews", "releases", "qualified_denied"),
        True,
        False,
    ),
)

LOG_NOTE = "Log scale: weeks with none are not drawn."


def groups_of(table: pa.Table, kind: str) -> list[str]:
    """The groups of one kind (``age``, ``org``, ``province``) in the table, sorted."""
    _, have_g = tables.present(table)
    return sorted(g for g in have_g if g.split(":", 1)[0] == kind)


def panel_figures(
    table: pa.Table,
    markers: Sequence[Event] = (),
    focus_group: str | None = None,
    per_capita: bool = True,
) -> list[Figure]:
    """The time-series panels of ``PANELS`` present in the table."""
    out = []
    for key, title, metrics, log_y, focus in PANELS:
        groups = ["all"] + ([focus_group] if focus and focus_group else [])
        fig = line_figure(table, key, title, metrics, groups, markers, per_capita, log_y)
        if fig is not None:
            if focus_group and focus:
                fig.note = f"Dashed: {tables.group_name(focus_group)} (the campaign's target)."
            if log_y:
                fig.note = (fig.note + " " + LOG_NOTE).strip()
            out.append(fig)
    return out


def gap_bars(table: pa.Table) -> Figure | None:
    """Mean display-belief gap over the last quarter of the run, by age, organisation, province.

    One horizontal bar per group, one colour per kind of group, so the long province names
    stay readable."""
    if GAP not in tables.present(table)[0]:
        return None
    traces = []
    for kind, label in GROUP_KINDS:
        groups = groups_of(table, kind)
        if groups:
            values = [tail_means(table, g).get(GAP, np.nan) for g in groups]
            names = [tables.group_name(g) for g in groups]
            traces.append(Trace(label, names, [float(v) for v in values], colour_key=kind))
    if not traces:
        return None
    return Figure(
        "gap_by_group",
        "Display-belief gap by group, mean of the last quarter of the run",
        "bars",
        traces,
        ylabel=f"{tables.metric_name(GAP)} ({tables.unit(GAP)})",
        horizontal=True,
    )


def gap_over_time(table: pa.Table, kind: str, markers: Sequence[Event] = ()) -> Figure | None:
    """The display-belief gap over time, one line per group of a kind."""
    label = dict(GROUP_KINDS)[kind]
    return line_figure(
        table,
        f"gap_by_{kind}",
        f"Display-belief gap by {label}",
        [GAP],
        groups_of(table, kind),
        markers,
    )


def total(table: pa.Table, metric: str, group: str = "all") -> float:
    """The sum over the run of a metric in one group (meaningful for counts)."""
    mask = pc.and_(pc.equal(table["metric"], metric), pc.equal(table["group"], group))
    return float(np.nansum(table.filter(mask)["value"].to_numpy()))


def amnesty_flow(table: pa.Table) -> Figure | None:
    """Inmates reviewed -> released by channel or denied -> supervision -> re-arrest."""
    have_m, have_g = tables.present(table)
    if "releases" not in have_m or total(table, "reviews") == 0:
        return None
    channels = sorted(
        g for g in have_g if g.startswith("channel:") and g != "channel:sentence_served"
    )
    labels = ["reviewed inmates"] + [tables.group_name(c) for c in channels]
    labels += ["qualified but denied", "other inmates kept", "under supervision", "re-arrested"]
    reviewed = total(table, "reviews")
    released = [total(table, "releases", c) for c in channels]
    denied = total(table, "qualified_denied")
    links: list[tuple[int, int, float]] = []
    for k, value in enumerate(released, start=1):
        if value > 0:
            links.append((0, k, value))
            links.append((k, len(labels) - 2, value))
    if denied > 0:
        links.append((0, len(labels) - 4, denied))
    kept = reviewed - sum(released) - denied
    if kept > 0:
        links.append((0, len(labels) - 3, kept))
    rearrested = total(table, "rearrests")
    if rearrested > 0:
        links.append((len(labels) - 2, len(labels) - 1, rearrested))
    return Figure(
        "amnesty_flow",
        "Amnesty flows: review, channels, supervision, re-arrest",
        "flow",
        flow=Flow(labels, links),
        ylabel="people over the run",
        note=f"{reviewed:,.0f} reviews, {sum(released):,.0f} releases, {denied:,.0f} qualified "
        f"but denied, {rearrested:,.0f} re-arrests of supervised people (run totals)",
    )


def run_figures(
    table: pa.Table,
    markers: Sequence[Event] = (),
    focus_group: str | None = None,
    per_capita: bool = True,
) -> list[Figure]:
    """The standard figures of one run, in report order."""
    panels = panel_figures(table, markers, focus_group, per_capita)
    gaps = [gap_over_time(table, kind, markers) for kind, _ in GROUP_KINDS]
    extra = [*gaps, gap_bars(table), amnesty_flow(table)]
    out = panels[:2] + [f for f in extra[:3] if f] + panels[2:]
    out += [f for f in extra[3:] if f]
    if not out:  # another model: every metric of group "all"
        return other_model_figures(table, markers, per_capita)
    return out


def other_model_figures(
    table: pa.Table, markers: Sequence[Event] = (), per_capita: bool = True
) -> list[Figure]:
    """One figure per metric of group ``all`` (models without standard panels)."""
    have_m, _ = tables.present(table)
    made = [
        line_figure(table, m, tables.metric_name(m), [m], ["all"], markers, per_capita)
        for m in sorted(have_m)
    ]
    return [f for f in made if f is not None]
