"""Helpers shared by the command modules: error output, exit codes, --set and --out checks."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import tempfile
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

err_console = Console(stderr=True, highlight=False)
out_console = Console(highlight=False)

EXIT_BAD_INPUT = 2
RUNS_FOLDER = Path("runs")


def fail_input(message: str) -> NoReturn:
    """Report bad input and exit with code 2."""
    # Messages quote user input, which may contain [brackets] that rich reads as markup.
    err_console.print(f"[bold red]error:[/] {escape(message)}", markup=True, soft_wrap=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def parse_sets(pairs: list[str] | None) -> dict[str, Any]:
    """``--set key=value`` options as a dict (values read as TOML, one line each)."""
    from loyalsim.scenario.io import ScenarioError, parse_value

    out: dict[str, Any] = {}
    for pair in pairs or []:
        if "=" not in pair:
            fail_input(f"--set {pair!r}: expected dotted.key=value")
        key, value = pair.split("=", 1)
        key = key.strip()
        if not key:
            fail_input(f"--set {pair!r}: empty key")
        try:
            # Control characters are refused before the spaces around the value are trimmed:
            # trimming would hide a leading or trailing newline.
            parse_value(value, key)
            out[key] = parse_value(value.strip(), key)
        except ScenarioError as exc:
            fail_input(f"--set {exc}")
    return out


def _missing_parents(path: Path) -> list[Path]:
    """The ancestors of ``path`` (itself included) that do not exist yet, outermost first."""
    missing = []
    for candidate in (path, *path.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    return missing[::-1]


def check_output_dir(out: Path, force: bool) -> None:
    """Refuse, before any work, an --out that exists with files or cannot be written.

    A probe directory is made (and removed at once) where the run will write its files,
    so that a read-only, virtual (``/proc``) or non-directory location is refused now,
    not after the whole run. Folders the probe had to make are removed too.
    """
    from loyalsim.store.rundir import OutputExistsError, check_writable

    try:
        check_writable(out, force)
    except OutputExistsError as exc:
        fail_input(str(exc))
    except OSError as exc:
        fail_input(f"--out {str(out)!r}: cannot be used ({exc.strerror or exc})")
    created: list[Path] = []
    try:
        for folder in _missing_parents(out.parent):
            folder.mkdir()
            created.append(folder)
        probe = tempfile.mkdtemp(prefix=f".{out.name}.probe-", dir=out.parent)
        Path(probe).rmdir()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        fail_input(
            f"--out {str(out)!r}: cannot write there ({reason}); "
            "allowed: a new or empty directory in a writable location"
        )
    finally:
        for folder in reversed(created):
            folder.rmdir()


def default_run_dir(scenario_name: str, now: dt.datetime | None = None) -> Path:
    """A new directory for a run without --out: ``runs/<scenario>-<date>-<time>-<id>``."""
    slug = re.sub(r"[^a-z0-9]+", "-", scenario_name.lower()).strip("-")[:40] or "run"
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    while True:
        candidate = RUNS_FOLDER / f"{slug}-{stamp}-{secrets.token_hex(3)}"
        if not candidate.exists():
            return candidate
