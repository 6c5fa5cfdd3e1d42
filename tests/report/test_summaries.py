"""The printed run summary: totals by metric kind, numbers printed as people read them."""

from __future__ import annotations

from pathlib import Path

import pytest

from loyalsim import catalogue
from loyalsim.cli.run import _print_summary
from loyalsim.report.summaries import final_values, format_number, summary_rows
from loyalsim.store.rundir import read_run
from tests.report.tidy import tidy


def test_run_totals_are_sums_for_counts_and_blank_for_every_other_kind() -> None:
    table = tidy(
        {
            ("releases", "all"): [0, 355, 0, 2],  # count: the amnesty's releases
            ("reviews", "all"): [0, 2905, 0, 0],  # count
            ("qualified_denied", "all"): [0, 40, 1, 0],  # count
            ("n_people", "all"): [300_000] * 4,  # level
            ("inmates", "all"): [3000, 2700, 2710, 2720],  # level
            ("display_public", "all"): [0.5, 0.6, 0.7, 0.8],  # mean
            ("hidden_dissent", "all"): [0.1, 0.1, 0.2, 0.2],  # share
            ("share_releases_bought", "all"): [0.0, 0.2, 0.0, 0.0],  # ratio
        }
    )
    rows = {name: (last, total) for name, last, total in final_values(table)}
    assert rows["releases"] == (2.0, 357.0)
    assert rows["reviews"] == (0.0, 2905.0)
    assert rows["qualified_denied"] == (0.0, 41.0)
    for name in (
        "n_people",
        "inmates",
        "display_public",
        "hidden_dissent",
        "share_releases_bought",
    ):
        assert catalogue.METRICS[name].kind != "count"
        assert rows[name][1] is None, name
    printed = {name: (last, total) for name, last, total in summary_rows(table)}
    assert printed["n_people"] == ("300,000", "")
    assert printed["releases"] == ("2", "357")
    assert printed["reviews"] == ("0", "2,905")
    assert printed["display_public"] == ("0.8", "")


@pytest.mark.parametrize(
    ("value", "text"),
    [(3e5, "300,000"), (26_000_000.0, "26,000,000"), (0.0, "0"), (0.12345, "0.1235"), (None, "")],
)
def test_whole_numbers_print_as_integers(value: float | None, text: str) -> None:
    assert format_number(value) == text


def test_printed_summary_of_a_run_shows_amnesty_totals(
    run_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table, manifest = read_run(run_dir)
    _print_summary(table, manifest)
    lines = {
        line.split("│")[1].strip(): line
        for line in capsys.readouterr().out.splitlines()
        if line.count("│") >= 4
    }
    for name in ("releases", "reviews", "qualified_denied", "lapses"):
        total = lines[name].split("│")[3].strip()
        expected = sum(v for s, v in _values(table, name))
        assert total == format_number(expected), name
    assert lines["n_people"].split("│")[2].strip() == "6,000"
    assert lines["n_people"].split("│")[3].strip() == ""


def _values(table, metric):  # type: ignore[no-untyped-def]
    rows = table.to_pylist()
    return [(r["step"], r["value"]) for r in rows if r["metric"] == metric and r["group"] == "all"]
