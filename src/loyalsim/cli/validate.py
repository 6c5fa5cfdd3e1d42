"""``loyalsim validate``: reproduce the classic models' published results."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command()(validate)


def validate(
    quick: Annotated[
        bool, typer.Option(help="Small grids and few seeds (seconds, not minutes).")
    ] = False,
    model: Annotated[str | None, typer.Option(help="Only this model's checks.")] = None,
) -> None:
    """Run the reproduction checks; print a table; exit 1 if any check fails."""
    from loyalsim.validation import main

    code = main(quick=quick, model=model)
    raise typer.Exit(code)
