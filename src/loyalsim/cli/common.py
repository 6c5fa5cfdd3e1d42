"""Helpers shared by the command modules: error output and exit codes."""

from __future__ import annotations

from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

err_console = Console(stderr=True, highlight=False)
out_console = Console(highlight=False)

EXIT_BAD_INPUT = 2


def fail_input(message: str) -> NoReturn:
    """Report bad input and exit with code 2."""
    # Messages quote user input, which may contain [brackets] that rich reads as markup.
    err_console.print(f"[bold red]error:[/] {escape(message)}", markup=True, soft_wrap=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def parse_sets(pairs: list[str] | None) -> dict[str, Any]:
    """``--set key=value`` options as a dict (values read as TOML)."""
    from loyalsim.scenario.io import parse_value

    out: dict[str, Any] = {}
    for pair in pairs or []:
        if "=" not in pair:
            fail_input(f"--set {pair!r}: expected dotted.key=value")
        key, value = pair.split("=", 1)
        if not key.strip():
            fail_input(f"--set {pair!r}: empty key")
        out[key.strip()] = parse_value(value.strip())
    return out
