"""Figures fit for a paper: labels and units, rates, palette, events, log axes, sizes, formats."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.colors import to_hex

import loyalsim.plot as lp
from loyalsim.report import markers, style, tables
from loyalsim.report.figspec import line_figure
from loyalsim.report.figures import draw_run_summary, draw_summary
from loyalsim.report.render_mpl import save, to_matplotlib
from loyalsim.scenario.events import Event, major_events
from loyalsim.scenario.io import load
from loyalsim.store.rundir import read_run
from tests.report.tidy import START, tidy

OKABE_ITO = {c.lower() for c in style.PALETTE}


def _plot_axes(fig):  # type: ignore[no-untyped-def]
    """The axes that hold data (not event tracks)."""
    return [
        ax
        for ax in fig.axes
        if ax.get_lines() and ax.get_ylim()[0] != ax.get_ylim()[1] and ax.get_yticks().size
    ]


def test_counts_are_per_1000_people_of_the_group_by_default() -> None:
    table = tidy(
        {
            ("lapses", "all"): [100, 200, 300],
            ("n_people", "all"): [20_000, 20_000, 10_000],
            ("lapses", "province:A"): [10, 20, 30],
            ("n_people", "province:A"): [500, 500, 500],
            ("lapses", "channel:merit"): [4, 4, 4],  # no size of its own: the whole population
        }
    )
    _, y, scaled = tables.scaled_series(table, "lapses", "all")
    assert scaled and list(y) == [5.0, 10.0, 30.0]
    assert list(tables.scaled_series(table, "lapses", "province:A")[1]) == [20.0, 40.0, 60.0]
    assert list(tables.scaled_series(table, "lapses", "channel:merit")[1]) == [0.2, 0.2, 0.4]
    _, raw, scaled = tables.scaled_series(table, "lapses", "all", per_capita=False)
    assert not scaled and list(raw) == [100, 200, 300]
    fig = line_figure(table, "k", "t", ["lapses"], ["all"])
    assert fig is not None and fig.ylabel == "Lapses (events per week per 1,000 people)"
    fig = line_figure(table, "k", "t", ["lapses"], ["all"], per_capita=False)
    assert fig is not None and fig.ylabel == "Lapses (events per week)"


def test_shares_and_means_are_never_scaled() -> None:
    table = tidy({("hidden_dissent", "all"): [0.1, 0.2], ("n_people", "all"): [50, 50]})
    _, y, scaled = tables.scaled_series(table, "hidden_dissent", "all")
    assert not scaled and list(y) == [0.1, 0.2]


def test_summary_figure_labels_every_axis_with_a_unit_and_uses_the_palette(
    run_dir: Path, tmp_path: Path
) -> None:
    table, manifest = read_run(run_dir)
    config = load(str(run_dir / "scenario.toml"))
    path = tmp_path / "summary.png"
    draw_run_summary(table, config, manifest, path)
    assert path.read_bytes()[:4] == b"\x89PNG"
    from loyalsim.report.runfigs import panel_figures

    figures = panel_figures(table, major_events(config), "province:South Hamgyong")
    assert len(figures) == 8
    for fig in figures:
        assert fig.ylabel and fig.xlabel == "date", fig.key
        assert "_" not in fig.ylabel and all("_" not in t.name for t in fig.traces), fig.key
    mfig = to_matplotlib(figures[0], width="column")
    ax = _plot_axes(mfig)[0]
    assert ax.get_ylabel() == "score 0-1" and ax.get_xlabel() == "date"
    data_lines = [line for line in ax.get_lines() if len(line.get_xdata()) > 2]
    assert {to_hex(line.get_color()) for line in data_lines} <= OKABE_ITO


def test_orders_calendar_events_and_amnesties_are_drawn_apart(run_dir: Path) -> None:
    config = load(str(run_dir / "scenario.toml"))
    events = major_events(config)
    kinds = {e.kind for e in events}
    assert kinds == {"order", "anniversary", "congress", "amnesty"}
    assert dt.date(2026, 1, 5) in {e.date for e in events if e.kind == "order"}
    assert "9th Party Congress" in {e.name for e in events if e.kind == "congress"}
    assert "Party foundation day (80th anniversary)" in {e.name for e in events}
    assert not any(e.name.startswith("Victory Day") for e in events)  # minor holidays left out
    styles = {k: style.event_style(k) for k in kinds}
    assert len({(s.colour, s.dash) for s in styles.values()}) == len(kinds)
    fig = lp.timeseries(run_dir, ["display_public"], ["all"])
    ax = _plot_axes(fig)[0]
    vertical = {
        (to_hex(line.get_color()), str(np.datetime64(line.get_xdata()[0], "D")))
        for line in ax.get_lines()
        if len(line.get_xdata()) == 2 and line.get_xdata()[0] == line.get_xdata()[1]
    }
    order_day = "2026-01-05"
    assert (style.EVENT_STYLES["order"].colour.lower(), order_day) in vertical
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"campaign order", "amnesty"} <= set(legend)


def test_event_kinds_added_later_get_their_own_legend_name() -> None:
    assert style.event_style("congress").label == "party congress"
    assert style.event_style("anniversary").label == "anniversary"
    assert style.event_style("purge_trial").label == "purge trial"


@given(
    st.lists(st.integers(min_value=0, max_value=700), min_size=1, max_size=30),
    st.floats(min_value=0.005, max_value=0.2),
)
def test_event_numbers_in_one_track_row_never_overlap(days: list[int], width: float) -> None:
    events = [Event("order", f"e{k}", START + dt.timedelta(days=d)) for k, d in enumerate(days)]
    placed = markers.place(events, START, START + dt.timedelta(days=700), width)
    assert sorted(m.number for m in placed) == list(range(1, len(days) + 1))
    gap = 700 * width
    for row in {m.row for m in placed}:
        xs = sorted((m.date - START).days for m in placed if m.row == row)
        assert all(b - a >= gap for a, b in itertools.pairwise(xs))


def test_two_orders_on_one_day_get_two_rows() -> None:
    day = dt.date(2026, 2, 2)
    events = [Event("order", "party committee order", day), Event("order", "young workers", day)]
    placed = markers.place(events, dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    assert {m.row for m in placed} == {0, 1}
    assert (
        markers.key_text(placed)
        == "1 party committee order (2 Feb 2026); 2 young workers (2 Feb 2026)"
    )


def test_log_axes_have_no_negative_ticks_and_detections_stay_visible(run_dir: Path) -> None:
    fig = lp.enforcement(run_dir)
    ax = _plot_axes(fig)[0]
    assert ax.get_yscale() == "log"
    low, high = ax.get_ylim()
    assert 0 < low < high
    ticks = [t for t in ax.get_yticks() if low <= t <= high]
    assert ticks and min(ticks) > 0
    names = [t.get_text().split(" (")[0] for t in ax.get_legend().get_texts()]
    assert "Detected lapses" in names and "Lapses" in names


@pytest.mark.parametrize(
    ("fmt", "magic"), [("svg", b"<?xml"), ("pdf", b"%PDF"), ("png", b"\x89PNG")]
)
def test_figures_export_as_vector_or_raster_at_journal_width(
    run_dir: Path, tmp_path: Path, fmt: str, magic: bytes
) -> None:
    column = lp.timeseries(run_dir, ["display_gap"], ["all"], width="column")
    assert column.get_size_inches()[0] == pytest.approx(3.5)
    page = lp.gap_by_group(run_dir)
    assert page.get_size_inches()[0] == pytest.approx(7.0)
    path = lp.save(column, tmp_path / "figure", format=fmt)
    assert path.suffix == f".{fmt}" and path.read_bytes()[:5].startswith(magic)
    with pytest.raises(ValueError, match="allowed: png, svg, pdf"):
        save(column, tmp_path / "figure.tiff")


def test_notebook_compare_marks_the_campaign_orders(run_dir: Path) -> None:
    fig = lp.compare(run_dir, run_dir, ["display_gap"])
    legend = [t.get_text() for t in _plot_axes(fig)[0].get_legend().get_texts()]
    assert "campaign order" in legend


def test_summary_of_another_model_labels_its_metrics(tmp_path: Path) -> None:
    table = tidy(
        {("acting", "all"): [0.1, 0.5, 0.9], ("n_acting", "all"): [10, 50, 90]}, dated=False
    )
    path = draw_summary(table, tmp_path / "s.png", fmt="svg")
    assert path.name == "s.svg" and path.read_bytes()[:5] == b"<?xml"
