"""``loyalsim discover``: scenario discovery (PRIM and CART) on a stored sweep."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from loyalsim.cli.common import fail_input, out_console


def register(app: typer.Typer) -> None:
    app.command()(discover)


def _num(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def discover(
    sweep_dir: Annotated[Path, typer.Argument(help="Sweep directory.")],
    outcome: Annotated[
        str,
        typer.Option(
            help="Condition per run, e.g. 'loyalty_private[province:South Hamgyong]@last "
            "- baseline < 0', or a name from the sweep file's [outcomes]."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Discovery directory.")],
    baseline: Annotated[
        Path | None,
        typer.Option(help="Sweep directory with the same design to pair runs with."),
    ] = None,
    threshold: Annotated[float, typer.Option(help="Density a PRIM box must reach (0 to 1).")] = 0.8,
    boxes: Annotated[int, typer.Option(min=1, max=20, help="PRIM boxes at most.")] = 3,
    depth: Annotated[int, typer.Option(min=1, max=10, help="Depth of the CART tree.")] = 3,
    force: Annotated[
        bool, typer.Option(help="Replace a non-empty directory that is not a discovery.")
    ] = False,
) -> None:
    """Which parameter ranges make OUTCOME hold: PRIM boxes and a classification tree."""
    from loyalsim.discover.expression import OutcomeError
    from loyalsim.discover.run import DiscoveryDirError, prepare_dir, write_discovery
    from loyalsim.discover.run import discover as run_discovery

    try:
        prepare_dir(out, force)
    except DiscoveryDirError as exc:
        fail_input(escape(str(exc)))
    try:
        found = run_discovery(sweep_dir, outcome, baseline, threshold, boxes, depth)
    except OutcomeError as exc:
        fail_input(escape(str(exc)))
    write_discovery(found, sweep_dir, baseline, out, threshold)
    cases = found.cases
    out_console.print(
        f"outcome {escape(repr(found.outcome.text))} holds in {int(cases.y.sum())} of "
        f"{len(cases.y)} runs"
        + (f" ({cases.dropped} runs without a defined outcome left out)" if cases.dropped else "")
    )
    tab = Table(title="PRIM boxes (qp: quasi-p-value of each limit)")
    for col in ("box", "coverage", "density", "parameter", "low", "high", "qp low", "qp high"):
        tab.add_column(col, justify="left" if col == "parameter" else "right", overflow="fold")
    for box in found.boxes:
        for i, lim in enumerate(box.limits or [None]):
            head = (
                [str(box.number), _num(box.coverage), _num(box.density)] if i == 0 else ["", "", ""]
            )
            if lim is None:
                tab.add_row(*head, "(no restriction)", "", "", "", "")
                continue
            low = ", ".join(map(str, lim.low)) if isinstance(lim.low, list) else _num(lim.low)
            high = "" if isinstance(lim.high, list) else _num(lim.high)
            tab.add_row(*head, lim.parameter, low, high, _num(lim.qp_low), _num(lim.qp_high))
    out_console.print(tab)
    out_console.print(
        f"classification tree (depth {found.tree.depth}, accuracy {found.tree.accuracy:.3f}):"
    )
    out_console.print(escape(found.tree.rules), highlight=False)
    out_console.print(f"{out}: boxes.parquet, tradeoff.png, box.png; `loyalsim report {out}`")
