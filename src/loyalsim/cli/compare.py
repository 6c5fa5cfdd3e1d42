"""``loyalsim compare``: the difference between two runs, two sets of runs or two sweeps."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from loyalsim.cli.common import fail_input, out_console

SEPARATOR = "vs"


def register(app: typer.Typer) -> None:
    app.command()(compare)


def split_sides(paths: list[str]) -> tuple[list[Path], list[Path]]:
    """``A B`` or ``A1 A2 ... vs B1 B2 ...`` as the two sides."""
    if SEPARATOR in paths:
        k = paths.index(SEPARATOR)
        left, right = paths[:k], paths[k + 1 :]
        if not left or not right or SEPARATOR in right:
            fail_input("compare: give run directories on both sides of one 'vs': A1 A2 vs B1 B2")
    elif len(paths) == 2:
        left, right = paths[:1], paths[1:]
    else:
        fail_input(
            f"compare: got {len(paths)} directories; give two (A B) or two sets separated by "
            "'vs' (A1 A2 A3 vs B1 B2 B3)"
        )
    return [Path(p) for p in left], [Path(p) for p in right]


def compare(
    runs: Annotated[
        list[str],
        typer.Argument(
            help="A B (two run or sweep directories), or replicate sets: A1 A2 ... vs B1 B2 ...",
            show_default=False,
        ),
    ],
    group: Annotated[
        str, typer.Option(help="Group to compare, e.g. 'province:South Hamgyong'.")
    ] = "all",
    metric: Annotated[
        list[str] | None,
        typer.Option(help="Metric(s) to compare (default: all; sweeps: METRIC[@STEP])."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Figure file (default: a new compare-*.png here)."),
    ] = None,
    plot: Annotated[Path | None, typer.Option(hidden=True, help="Old name of --out.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="Figure format: png, svg or pdf.")] = "png",
    force: Annotated[bool, typer.Option(help="Replace an existing --out file.")] = False,
    absolute: Annotated[
        bool,
        typer.Option(help="Compare counts in absolute numbers, not per 1,000 people."),
    ] = False,
    by_point: Annotated[bool, typer.Option(help="Sweeps: one row per design point.")] = False,
) -> None:
    """Difference B - A of the observables (mean over the last quarter of each run), with a
    95 % interval when each side has two runs or more, and a figure."""
    from loyalsim.report.style import FORMATS
    from loyalsim.report.sweep_compare import is_sweep_dir

    if fmt not in FORMATS:
        fail_input(f"--format {fmt!r}: allowed: {', '.join(FORMATS)}")
    left, right = split_sides(runs)
    if any(is_sweep_dir(p) for p in left + right):
        if (
            len(left) != 1
            or len(right) != 1
            or not (is_sweep_dir(left[0]) and is_sweep_dir(right[0]))
        ):
            fail_input("compare needs run directories or exactly two sweep directories, not a mix")
        _compare_sweeps(left[0], right[0], group, metric, by_point)
        return
    _compare_runs(left, right, group, metric, out or plot, fmt, force, not absolute)


def _num(value: float) -> str:
    from loyalsim.report.summaries import format_number

    return format_number(value) if value == value else "n/a"


def _compare_runs(
    left: list[Path],
    right: list[Path],
    group: str,
    metrics: list[str] | None,
    out: Path | None,
    fmt: str,
    force: bool,
    per_capita: bool,
) -> None:
    from loyalsim.report.compare import (
        CompareError,
        check_out,
        compare_sets,
        default_out,
        load_set,
        size_note,
    )
    from loyalsim.report.compare_figs import draw_comparison
    from loyalsim.report.markers import events_of_run

    try:
        a, b = load_set(left), load_set(right)
        note = size_note(a, b, per_capita)
        rows = compare_sets(a, b, group, metrics, per_capita)
        target = out if out is not None else default_out(a, b, fmt)
        check_out(target, left + right, force)
    except (FileNotFoundError, CompareError) as exc:
        fail_input(str(exc))
    ci = len(left) > 1 and len(right) > 1
    title = f"B - A, group {group!r}, mean over the last quarter of each run"
    tab = Table(title=title + (" (95 % interval: Welch)" if ci else ""))
    tab.add_column("metric", no_wrap=True)
    tab.add_column("unit")
    for col in ("A", "B", "B - A", "95 % interval", "relative"):
        tab.add_column(col, justify="right")
    for r in rows:
        interval = f"[{r.low:+.4g}, {r.high:+.4g}]" if r.low == r.low else "n/a"
        rel = f"{r.relative:+.1%}" if r.relative is not None else ""
        tab.add_row(
            r.metric, r.unit, _num(r.mean_a), _num(r.mean_b), f"{r.diff:+.4g}", interval, rel
        )
    out_console.print(f"A = {a.label}: {', '.join(map(str, left))}")
    out_console.print(f"B = {b.label}: {', '.join(map(str, right))}")
    out_console.print(tab)
    if note:
        out_console.print(f"note: {note}")
    if not ci:
        out_console.print(
            "note: one run per side, so no interval; give replicates: A1 A2 A3 vs B1 B2 B3"
        )
    out_console.print("relative: counts only, where A has at least 10 events per week")
    # Both sides' events: a counterfactual without the order still shows where it would be.
    events = list(dict.fromkeys(events_of_run(left[0]) + events_of_run(right[0])))
    path = draw_comparison(a, b, target, group, metrics, per_capita, events, fmt, note)
    out_console.print(f"figure: {path}")


def _compare_sweeps(
    dir_a: Path, dir_b: Path, group: str, metrics: list[str] | None, by_point: bool
) -> None:
    from loyalsim.report.sweep_compare import compare_sweeps

    try:
        rows = compare_sweeps(dir_a, dir_b, metrics=metrics, group=group, by_point=by_point)
    except (FileNotFoundError, ValueError) as exc:
        fail_input(str(exc))
    tab = Table(title=f"sweeps: B - A, group {group!r}, 95 % interval (Welch)")
    for col in ("metric", "point", "n A", "mean A", "n B", "mean B", "B - A", "95 % interval"):
        tab.add_column(col, justify="left" if col in ("metric", "point") else "right")
    for r in rows:
        tab.add_row(
            r.metric,
            r.point,
            str(r.n_a),
            f"{r.mean_a:.4g}",
            str(r.n_b),
            f"{r.mean_b:.4g}",
            f"{r.diff:+.4g}",
            f"[{r.low:+.4g}, {r.high:+.4g}]",
        )
    out_console.print(tab)
