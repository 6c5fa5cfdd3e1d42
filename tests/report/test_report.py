"""HTML reports and notebook figures, from stored results only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import loyalsim.plot as lp
from loyalsim.cli import app

runner = CliRunner()


def test_run_report_is_self_contained_with_every_figure(run_dir: Path, tmp_path: Path) -> None:
    out, png = tmp_path / "report.html", tmp_path / "png"
    result = runner.invoke(app, ["report", str(run_dir), "--out", str(out), "--png", str(png)])
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert not re.search(r"<script[^>]+src=", text)  # plotly.js is inlined, nothing fetched
    assert "Plotly.newPlot" in text and len(text) > 3_000_000
    keys = re.findall(r"data-key='([a-z_]+)'", text)
    assert {
        "main",
        "gap_by_age",
        "gap_by_group",
        "enforcement",
        "dissent",
        "custody",
        "amnesty_flow",
    } <= set(keys)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["run_id"] in text and "scenario_hash" in text
    assert "South Hamgyong party committee order" in text  # the order is marked
    assert "synthetic population" in text
    assert sorted(p.stem for p in png.glob("*.png")) == sorted(set(keys))
    assert not list(tmp_path.glob(".*partial"))


def test_sweep_report_has_replicate_bands(sweep_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "sweep.html"
    result = runner.invoke(app, ["report", str(sweep_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert "band_display_gap" in text and "band_accused" in text
    assert "point_index 0" in text and "point_index 1" in text


def test_report_of_something_else_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(tmp_path), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "neither a run directory" in result.output
    assert not (tmp_path / "r.html").exists()


def test_notebook_figures_come_from_the_stored_table(run_dir: Path) -> None:
    figures = [
        lp.timeseries(run_dir, ["display_public", "loyalty_private"], ["all", "age:16-30"]),
        lp.gap_by_group(run_dir),
        lp.enforcement(run_dir),
        lp.amnesty(run_dir),
        lp.compare(run_dir, run_dir, ["display_gap"]),
    ]
    lines = figures[0].axes[0].get_lines()
    assert len(lines) >= 4 and len(lines[0].get_xdata()) == 70
    assert all(f.axes for f in figures)
    with pytest.raises(ValueError, match="nothing to plot"):
        lp.timeseries(run_dir, ["no_such_metric"])
