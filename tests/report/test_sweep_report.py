"""The sweep report shows every kept metric and every design point, named by its values."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import loyalsim.plot as lp
from loyalsim.cli import app
from loyalsim.report import sweepfigs
from loyalsim.report.html import build_report

runner = CliRunner()
KEPT = [
    "display_public",
    "loyalty_private",
    "display_gap",
    "accused",
    "lapses",
    "hidden_dissent",
    "open_dissent",
    "resentment",
]
POINTS = [f"base_logit = {b}, case_prob = {c}" for b in (-3, -2, -1) for c in (0.1, 0.3, 0.6)]


def _figure_data(text: str, key: str) -> list[dict]:  # type: ignore[type-arg]
    section = text.split(f"data-key='{key}'", 1)[1].split("</section>", 1)[0]
    payload = re.search(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*\{", section, re.S)
    assert payload, key
    return json.loads(payload.group(1))


def test_every_kept_metric_and_every_design_point_is_in_the_report(
    factorial_sweep: Path, tmp_path: Path
) -> None:
    out = tmp_path / "sweep.html"
    result = runner.invoke(app, ["report", str(factorial_sweep), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    keys = re.findall(r"data-key='([a-z_]+)'", text)
    assert [k for k in keys if k.startswith("band_")] == [f"band_{m}" for m in KEPT]
    for metric in KEPT:
        traces = _figure_data(text, f"band_{metric}")
        names = [t["name"] for t in traces if t.get("showlegend", True) is not False]
        events = [t["name"] for t in traces if t.get("yaxis") == "y2"]
        assert names == POINTS + events, metric  # legends name the parameter values
        assert events == ["campaign order"]  # the 2 February 2026 orders, inside the sweep's weeks
        dated = [t for t in traces if t.get("mode") == "lines" and t.get("name") in POINTS]
        assert all(str(x).startswith("2026-") for t in dated for x in t["x"])
    assert '"title":{"text":"date"}' in text.replace(" ", "")
    rows = re.findall(r"<tr data-point='(\d+)'>", text)
    assert rows == [str(k) for k in range(9)]  # the table of points has every point
    for label in POINTS:
        assert label in text


def test_large_designs_show_every_point_with_its_interval(
    factorial_sweep: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sweepfigs, "MAX_BAND_POINTS", 4)
    seen: list[tuple[int, int]] = []
    figures, _, _table = sweepfigs.sweep_figures(
        factorial_sweep, lambda d, n, _: seen.append((d, n))
    )
    assert [f.key for f in figures] == [f"points_{m}" for m in KEPT]
    assert seen[-1] == (len(KEPT), len(KEPT))  # progress reached the end
    labels = figures[0].traces[0].x
    assert len(labels) == 9 and all(p in " ".join(labels) for p in POINTS)
    errors = figures[0].traces[0].error
    assert errors is not None and all(e >= 0 for e in errors)


def test_notebook_bands_draw_every_point(factorial_sweep: Path) -> None:
    fig = lp.bands(factorial_sweep, "display_gap")
    labels = [t.get_text() for t in fig.axes[-1].get_legend().get_texts()]
    assert labels == [*POINTS, "campaign order"]  # no amnesty: it falls outside the weeks


def test_sweep_export_adds_design_columns(factorial_sweep: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "wide.parquet"
    result = runner.invoke(
        app,
        [
            "export",
            str(factorial_sweep),
            "--out",
            str(out),
            "--format",
            "parquet",
            "--wide",
            "--group",
            "all",
        ],
    )
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert {"point_index", "replicate", "lapses.base_logit", "enforcement.case_prob"} <= set(
        table.column_names
    )
    assert set(KEPT) <= set(table.column_names)
    assert table.num_rows == 9 * 2 * 4  # points x replicates x steps
    report = build_report(factorial_sweep, tmp_path / "r.html")
    assert report.is_file()
