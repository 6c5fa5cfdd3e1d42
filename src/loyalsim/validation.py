"""``loyalsim validate``: run the reproduction checks of the classic models and report them.

Each model package keeps its checks in a ``validation`` module exposing ``CHECKS``; this
runner collects them, runs them (quick: small grids and few seeds; full: many seeds) and
prints one table. A model whose package is not importable yet is skipped with a note.
"""

from __future__ import annotations

import importlib

from rich.console import Console
from rich.table import Table

from loyalsim.models.checks import Check, CheckResult

VALIDATION_MODULES: dict[str, str] = {
    "civil_violence": "loyalsim.models.civil_violence.validation",
    "emperors_dilemma": "loyalsim.models.emperors_dilemma.validation",
    "thresholds": "loyalsim.models.thresholds.validation",
}


def collect(model: str | None = None, console: Console | None = None) -> list[Check]:
    """The checks of ``model`` (all models when None); raises KeyError for unknown names."""
    if model is not None and model not in VALIDATION_MODULES:
        allowed = ", ".join(sorted(VALIDATION_MODULES))
        raise KeyError(f"no validation for model {model!r}; allowed: {allowed}")
    names = [model] if model is not None else list(VALIDATION_MODULES)
    checks: list[Check] = []
    for name in names:
        try:
            module = importlib.import_module(VALIDATION_MODULES[name])
        except ImportError as err:
            # Only a missing package is skipped; an error inside an existing one surfaces.
            missing = getattr(err, "name", None) or ""
            if not VALIDATION_MODULES[name].startswith(missing) or not missing:
                raise
            if console is not None:
                console.print(
                    f"[yellow]skipped {name}: its validation module is not "
                    f"available yet ({err})[/yellow]"
                )
            continue
        checks.extend(module.CHECKS)
    return checks


def run_checks(checks: list[Check], quick: bool) -> list[CheckResult]:
    """Run every check in order."""
    return [check.run(quick) for check in checks]


def render(results: list[CheckResult]) -> Table:
    """The results as a rich table."""
    table = Table(title="loyalsim validation", show_lines=True)
    for column in ("model", "check", "source", "expected", "obtained", "tolerance", "result"):
        table.add_column(column)
    for r in results:
        verdict = "[green]pass[/green]" if r.passed else "[red]FAIL[/red]"
        table.add_row(r.model, r.check, r.source, r.expected, r.obtained, r.tolerance, verdict)
    return table


def main(quick: bool = False, model: str | None = None) -> int:
    """Run and print the checks; 0 if all pass, 1 otherwise."""
    console = Console()
    results = run_checks(collect(model, console), quick)
    console.print(render(results))
    n_failed = sum(not r.passed for r in results)
    console.print(f"{len(results) - n_failed} passed, {n_failed} failed")
    return 0 if n_failed == 0 else 1
