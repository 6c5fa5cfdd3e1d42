"""The ``loyalsim`` command: thin wrappers that parse, call the library and set exit codes.

Exit codes: 0 success, 1 a failed check or run, 2 bad input (nothing was written).
Command groups live in sibling modules, each with ``register(app)``.
"""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

app = typer.Typer(
    name="loyalsim",
    help="Agent-based simulator of coerced loyalty (synthetic population, aggregate outputs).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from loyalsim import __version__

        typer.echo(f"loyalsim {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Agent-based simulator of coerced loyalty (synthetic population, aggregate outputs)."""


COMMAND_MODULES = (
    "run",
    "compare",
    "export",
    "reproduce",
    "sweep",
    "report",
    "calibrate",
    "discover",
)

for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(f"loyalsim.cli.{_name}")
    except ModuleNotFoundError as _exc:  # a command group not written yet
        if _exc.name != f"loyalsim.cli.{_name}":
            raise
        continue
    _module.register(app)


def main() -> None:
    """Entry point of the ``loyalsim`` script."""
    app()
