"""``loyalsim report`` and ``run --format``: output files, refusals, progress."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from loyalsim.cli import app
from loyalsim.cli.report import report_progress
from loyalsim.report import html as report_html

runner = CliRunner()


def test_a_directory_as_out_is_refused(run_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(run_dir), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "is a directory" in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_report_leaves_the_old_file_and_no_partial(
    run_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.html"
    out.write_text("previous report")

    def broken() -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(report_html, "_plotly_js", broken)
    with pytest.raises(KeyboardInterrupt):
        report_html.build_report(run_dir, out)
    assert out.read_text() == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_figures_are_saved_in_the_chosen_format(run_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "figs"
    result = runner.invoke(
        app,
        [
            "report",
            str(run_dir),
            "--out",
            str(tmp_path / "r.html"),
            "--figures",
            str(folder),
            "--format",
            "pdf",
        ],
    )
    assert result.exit_code == 0, result.output
    pdfs = sorted(folder.glob("*.pdf"))
    assert len(pdfs) >= 10 and all(p.read_bytes()[:4] == b"%PDF" for p in pdfs)
    assert runner.invoke(app, ["report", str(run_dir), "--format", "bmp"]).exit_code == 2


def test_progress_stays_quiet_for_quick_work_and_counts_to_the_end() -> None:
    calls: list[tuple[int, int, str]] = []
    with report_progress(after_s=3600) as progress:
        for k in range(3):
            progress(k + 1, 3, "metric")
            calls.append((k + 1, 3, "metric"))
    assert calls[-1] == (3, 3, "metric")


def test_run_writes_its_summary_figure_in_the_chosen_format(tmp_path: Path) -> None:
    out = tmp_path / "r"
    args = ["run", "default", "--out", str(out), "--population", "2000", "--set", "time.n_steps=6"]
    result = runner.invoke(app, [*args, "--format", "svg"])
    assert result.exit_code == 0, result.output
    assert (out / "summary.svg").read_bytes()[:5] == b"<?xml" and not (out / "summary.png").exists()
    assert "summary.svg" in result.output
    refused = runner.invoke(
        app, ["run", "default", "--out", str(tmp_path / "s"), "--format", "gif"]
    )
    assert refused.exit_code == 2 and "allowed: png, svg, pdf" in refused.output
    assert not (tmp_path / "s").exists()
