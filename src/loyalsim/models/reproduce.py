"""Reproduction checks of the classic models' published results (``loyalsim reproduce``).

Each classic model package keeps its checks in a ``validation`` module exposing ``CHECKS``;
this runner collects and runs them (quick: small grids and few seeds; full: many seeds).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from loyalsim.models.checks import Check, CheckResult

VALIDATION_MODULES: dict[str, str] = {
    "civil_violence": "loyalsim.models.civil_violence.validation",
    "emperors_dilemma": "loyalsim.models.emperors_dilemma.validation",
    "thresholds": "loyalsim.models.thresholds.validation",
}


def collect(model: str | None = None) -> list[Check]:
    """The checks of ``model`` (all models when None); raises KeyError for unknown names."""
    if model is not None and model not in VALIDATION_MODULES:
        allowed = ", ".join(sorted(VALIDATION_MODULES))
        raise KeyError(f"no reproduction checks for model {model!r}; allowed: {allowed}")
    names = [model] if model is not None else list(VALIDATION_MODULES)
    checks: list[Check] = []
    for name in names:
        checks.extend(importlib.import_module(VALIDATION_MODULES[name]).CHECKS)
    return checks


def run_checks(
    checks: list[Check],
    quick: bool,
    progress: Callable[[int, int, Check], None] | None = None,
) -> list[CheckResult]:
    """Run every check in order; ``progress(done, total, next_check)`` before each one."""
    results = []
    for k, check in enumerate(checks):
        if progress is not None:
            progress(k, len(checks), check)
        results.append(check.run(quick))
    return results
