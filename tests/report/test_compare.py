"""Honest comparisons: sizes, kinds of metric, replicate sets, intervals, where figures go."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from typer.testing import CliRunner

from loyalsim.cli import app
from loyalsim.report.compare import CompareError, compare_sets, load_set, size_note
from loyalsim.store.rundir import write_run
from tests.report.tidy import tidy

runner = CliRunner()


def _run(
    folder: Path, name: str, people: int, lapses: float, gap: float, scenario: str = "x"
) -> Path:
    """A stored run of 8 weeks with constant values (the last quarter is weeks 6 and 7)."""
    table = tidy(
        {
            ("n_people", "all"): [people] * 8,
            ("lapses", "all"): [lapses] * 8,
            ("display_gap", "all"): [gap] * 8,
            ("hidden_dissent", "all"): [0.001] * 8,
        },
        run_id=name,
    )
    manifest = {"run_id": name, "scenario_name": scenario, "seed": 1}
    return write_run(folder / name, table, 'model = "none"\n', manifest, None)


def test_different_population_sizes_are_compared_per_1000_people(tmp_path: Path) -> None:
    a = load_set([_run(tmp_path, "a", 1000, 50.0, 0.1)])
    b = load_set([_run(tmp_path, "b", 4000, 200.0, 0.3)])
    assert "per 1,000 people" in size_note(a, b, per_capita=True)
    rows = {r.metric: r for r in compare_sets(a, b)}
    assert rows["lapses"].mean_a == 50.0 and rows["lapses"].mean_b == 50.0  # same rate
    assert rows["lapses"].diff == 0.0 and "per 1,000 people" in rows["lapses"].unit
    with pytest.raises(CompareError, match="different population sizes"):
        size_note(a, b, per_capita=False)


def test_relative_change_only_for_counts_away_from_zero(tmp_path: Path) -> None:
    a = load_set([_run(tmp_path, "a", 1000, 50.0, 0.001)])
    b = load_set([_run(tmp_path, "b", 1000, 75.0, 0.4)])
    rows = {r.metric: r for r in compare_sets(a, b)}
    assert rows["lapses"].relative == pytest.approx(0.5)
    assert rows["display_gap"].relative is None  # a mean: absolute difference only
    assert rows["display_gap"].diff == pytest.approx(0.399)
    assert rows["hidden_dissent"].relative is None  # a share
    few = load_set([_run(tmp_path, "c", 1000, 3.0, 0.1)])
    rows = {r.metric: r for r in compare_sets(few, b)}
    assert rows["lapses"].relative is None  # 3 events a week: too few for a percentage


def test_replicate_sets_get_welch_intervals(tmp_path: Path) -> None:
    side_a = [_run(tmp_path, f"a{k}", 1000, v, 0.1) for k, v in enumerate((40.0, 50.0, 60.0))]
    side_b = [
        _run(tmp_path, f"b{k}", 1000, v, 0.1) for k, v in enumerate((70.0, 80.0, 90.0, 100.0))
    ]
    rows = {r.metric: r for r in compare_sets(load_set(side_a), load_set(side_b))}
    r = rows["lapses"]
    assert (r.n_a, r.n_b, r.diff) == (3, 4, 35.0)
    expected = stats.ttest_ind(
        [90, 100, 80, 70], [40, 50, 60], equal_var=False
    ).confidence_interval(0.95)
    assert math.isclose(r.low, expected.low) and math.isclose(r.high, expected.high)
    single = compare_sets(load_set(side_a[:1]), load_set(side_b[:1]))
    assert all(math.isnan(x.low) for x in single)


def test_cli_compares_sets_and_writes_a_new_figure_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = tmp_path / "runs"
    a = [str(_run(runs, f"a{k}", 1000, 40.0 + k, 0.1, "base")) for k in range(3)]
    b = [str(_run(runs, f"b{k}", 1000, 60.0 + k, 0.2, "alt")) for k in range(3)]
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = runner.invoke(app, ["compare", *a, "vs", *b, "--metric", "lapses"])
    assert result.exit_code == 0, result.output
    assert "95 % interval" in result.output and "+20" in result.output
    assert "[+" in result.output  # an interval, not n/a
    first = sorted(os.listdir(work))
    assert first == ["compare-base-vs-alt.png"]
    assert not any(p.name.startswith("compare") for r in a + b for p in Path(r).iterdir())
    again = runner.invoke(app, ["compare", *a, "vs", *b, "--format", "svg"])
    assert again.exit_code == 0, again.output
    assert sorted(os.listdir(work)) == ["compare-base-vs-alt.png", "compare-base-vs-alt.svg"]
    third = runner.invoke(app, ["compare", *a, "vs", *b])
    assert "compare-base-vs-alt-2.png" in os.listdir(work) and third.exit_code == 0


def test_cli_refusals_exit_2_and_write_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = str(_run(tmp_path, "a", 1000, 50.0, 0.1))
    b = str(_run(tmp_path, "b", 2000, 50.0, 0.1))
    monkeypatch.chdir(tmp_path)
    existing = tmp_path / "fig.png"
    existing.write_bytes(b"keep")
    cases = [
        (["compare", a, b, "--absolute"], "different population sizes"),
        (["compare", a, b, "--out", str(existing)], "use --force"),
        (["compare", a, b, "--out", str(Path(b) / "fig.png")], "inside the input run"),
        (["compare", a, b, "--group", "provnce:X"], "unknown group 'provnce:X'"),
        (["compare", a, b, "--metric", "lapse"], "did you mean 'lapses'"),
        (["compare", a, b, "--format", "tiff"], "allowed: png, svg, pdf"),
        (["compare", a, "vs"], "both sides"),
        (["compare", a], "give two"),
        (["compare", a, str(tmp_path / "nope")], "not a complete run directory"),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert message in " ".join(result.output.split()), (args, result.output)
    assert existing.read_bytes() == b"keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "fig.png"]
    forced = runner.invoke(app, ["compare", a, b, "--out", str(existing), "--force"])
    assert forced.exit_code == 0, forced.output
    assert existing.read_bytes()[:4] == b"\x89PNG"


def test_welch_difference_matches_the_rule() -> None:
    from loyalsim.report.sweep_compare import welch

    diff, low, high = welch(np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0]))
    assert diff == 2.0 and low < 2.0 < high


def test_sweeps_of_different_sizes_refuse_counts_but_compare_means(
    sweep_dir: Path, tmp_path: Path
) -> None:
    import shutil

    from loyalsim.report.sweep_compare import compare_sweeps, sweep_population

    other = tmp_path / "bigger"
    shutil.copytree(sweep_dir, other)
    text = (other / "sweep.toml").read_text().replace("= 1500", "= 3000")
    (other / "sweep.toml").write_text(text)
    assert (sweep_population(sweep_dir), sweep_population(other)) == (1500, 3000)
    with pytest.raises(ValueError, match="different numbers of people"):
        compare_sweeps(sweep_dir, other, ["accused"])
    rows = compare_sweeps(sweep_dir, other, ["display_gap"])
    assert rows and rows[0].diff == 0.0
    result = runner.invoke(app, ["compare", str(sweep_dir), str(other)])
    assert result.exit_code == 2 and "grow with the population" in " ".join(result.output.split())
