"""``loyalsim export``: tidy and wide tables as CSV, Excel and Parquet; refusals exit 2."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from loyalsim.cli import app
from loyalsim.report.export import widen
from tests.report.tidy import tidy

runner = CliRunner()


def test_tidy_csv_has_every_stored_row(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "tidy.csv"
    result = runner.invoke(app, ["export", str(run_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    stored = pq.read_table(run_dir / "timeseries.parquet")
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == stored.num_rows
    assert list(rows[0]) == ["run_id", "step", "date", "metric", "group", "value"]
    assert not list(tmp_path.glob(".*partial"))


def test_wide_has_one_column_per_metric_or_per_metric_and_group() -> None:
    table = tidy(
        {
            ("lapses", "all"): [1, 2],
            ("display_gap", "all"): [0.1, 0.2],
            ("lapses", "age:16-30"): [3, 4],
        }
    )
    one = widen(table.filter(table["group"].to_numpy(zero_copy_only=False) == "all"), [])
    assert set(one.column_names) == {"run_id", "step", "date", "lapses", "display_gap"}
    assert one["lapses"].to_pylist() == [1.0, 2.0]
    both = widen(table, [])
    assert {"lapses[all]", "lapses[age:16-30]", "display_gap[all]"} <= set(both.column_names)
    assert both.num_rows == 2 and both["lapses[age:16-30]"].to_pylist() == [3.0, 4.0]


def test_xlsx_and_parquet(run_dir: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "wide.xlsx"
    result = runner.invoke(
        app,
        [
            "export",
            str(run_dir),
            "--out",
            str(xlsx),
            "--format",
            "xlsx",
            "--wide",
            "--group",
            "all",
        ],
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(xlsx) as book:
        names = book.namelist()
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = (
            book.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in names else ""
        )
    assert "display_gap" in sheet + strings and sheet.count("<row ") == 71  # header + 70 weeks
    parquet = tmp_path / "t.parquet"
    assert (
        runner.invoke(
            app, ["export", str(run_dir), "--out", str(parquet), "--format", "parquet"]
        ).exit_code
        == 0
    )
    assert pq.read_table(parquet).num_rows == pq.read_table(run_dir / "timeseries.parquet").num_rows


def test_bad_input_exits_2_and_writes_nothing(run_dir: Path, tmp_path: Path) -> None:
    kept = tmp_path / "kept.csv"
    kept.write_text("keep")
    cases = [
        (["export", str(tmp_path), "--out", str(tmp_path / "x.csv")], "neither a run directory"),
        (
            ["export", str(run_dir), "--out", str(tmp_path / "x.ods"), "--format", "ods"],
            "allowed: csv, xlsx, parquet",
        ),
        (["export", str(run_dir), "--out", str(kept)], "use --force"),
        (["export", str(run_dir), "--out", str(tmp_path)], "is a directory"),
        (
            ["export", str(run_dir), "--out", str(tmp_path / "x.csv"), "--group", "al"],
            "did you mean 'all'",
        ),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert message in " ".join(result.output.split()), (args, result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.csv"]
    assert kept.read_text() == "keep"
