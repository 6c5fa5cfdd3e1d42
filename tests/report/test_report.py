"""HTML reports and notebook figures, from stored results only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import loyalsim.plot as lp
from loyalsim.cli import app
from loyalsim.report.html import build_report

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
        "gap_by_org",
        "gap_by_province",
        "gap_by_group",
        "enforcement",
        "dissent",
        "custody",
        "amnesty_flow",
    } <= set(keys)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["run_id"] in text and "scenario_hash" in text
    assert "South Hamgyong party committee order" in text  # the order is marked
    assert "province_map" in keys
    assert "synthetic population" in text
    assert sorted(p.stem for p in png.glob("*.png")) == sorted(set(keys))
    assert not list(tmp_path.glob(".*partial"))


def test_sweep_report_has_replicate_bands_and_sensitivity_indices(
    sweep_dir: Path, tmp_path: Path
) -> None:
    out, png = tmp_path / "sweep.html", tmp_path / "png"
    result = runner.invoke(app, ["report", str(sweep_dir), "--out", str(out), "--png", str(png)])
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert "band_display_gap" in text and "band_accused" in text
    assert "base_logit = " in text and "case_prob = " in text  # points named by their values
    assert "sensitivity_display_gap" in text and "Morris indices" in text
    assert (png / "sensitivity_display_gap.png").is_file()


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
    lines = figures[0].axes[-1].get_lines()  # axes[0] is the track of event numbers
    assert len(lines) >= 4 and len(lines[0].get_xdata()) == 70
    assert all(f.axes for f in figures)
    with pytest.raises(ValueError, match="nothing to plot"):
        lp.timeseries(run_dir, ["no_such_metric"])


def test_sweep_figures_for_notebooks(sweep_dir: Path) -> None:
    band = lp.bands(sweep_dir, "display_gap")
    assert len(band.axes[0].get_lines()) >= 2  # one line per design point
    indices = lp.sensitivity(sweep_dir, "display_gap")
    labels = [t.get_text() for t in indices.axes[0].get_yticklabels()]
    assert set(labels) == {"lapses.base_logit", "enforcement.case_prob"}
    with pytest.raises(ValueError, match="nothing to plot"):
        lp.bands(sweep_dir, "no_such_metric")


def test_gap_over_time_has_one_line_per_group(run_dir: Path) -> None:
    fig = lp.gap_over_time(run_dir, by="org")
    names = [line.get_label() for line in fig.axes[-1].get_lines() if line.get_label()[0] != "_"]
    assert names == ["other", "trade union", "womens union", "youth league"]
    with pytest.raises(ValueError, match="allowed: age, org, province"):
        lp.gap_over_time(run_dir, by="county")


def test_report_of_another_model_shows_each_metric_by_step(tmp_path: Path) -> None:
    from loyalsim.experiment.single import write_config_run
    from loyalsim.scenario.io import load

    run = write_config_run(load("granovetter-normal"), tmp_path / "run", seed=1)[0]
    text = build_report(run, tmp_path / "report.html").read_text("utf-8")
    keys = set(re.findall(r"data-key='([a-z_]+)'", text))
    assert {"acting", "n_acting"} <= keys and "main" not in keys
