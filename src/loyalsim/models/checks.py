"""One reproduction check of a published result, as ``loyalsim validate`` prints it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one check: what the source says and what loyalsim obtained."""

    model: str
    check: str
    source: str
    expected: str
    obtained: str
    tolerance: str
    passed: bool


@dataclass(frozen=True)
class Check:
    """A named check; ``run(quick)`` does the work (``quick`` = small grids, few seeds)."""

    model: str
    name: str
    source: str
    run: Callable[[bool], CheckResult]
