"""What a sweep may keep: the metrics and groups its runs record, checked before any run.

A ``[keep]`` entry that names nothing a run records would store runs marked ok with no rows,
so names are checked against the metric catalogue (``loyalsim.catalogue``) and the groups
the scenario records: for the enforced-loyalty model ``all``, ``province:<name>`` for its
provinces, ``age:*``, ``org:*`` and, with the amnesty on, the amnesty groups; for the classic
models their fixed groups. Every scenario a sweep can produce is taken into account (the
base and each axis value), so a province or the amnesty switched on by an axis counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from loyalsim import catalogue
from loyalsim.experiment.sweepfile import Keep
from loyalsim.scenario.io import ScenarioError


def amnesty_only(name: str) -> bool:
    """Whether a metric belongs to the amnesty subsystem (its claims are all A1-A11)."""
    claims = catalogue.METRICS[name].claims
    return bool(claims) and all(c.startswith("A") for c in claims)


def recordable_metrics(config: BaseModel) -> list[str]:
    """Metric names a run of ``config`` records, in catalogue order."""
    model = str(getattr(config, "model", "loyalty"))
    names = catalogue.names(model)
    if model == "loyalty" and not _amnesty_on(config):
        names = [n for n in names if not amnesty_only(n)]
    return names


def recordable_groups(config: BaseModel) -> list[str] | None:
    """Group names a run of ``config`` records, or None for a model without a known list."""
    model = str(getattr(config, "model", "loyalty"))
    if model == "loyalty":
        scenario: Any = config
        provinces = [str(p.name) for p in scenario.population.provinces]
        return catalogue.loyalty_groups(provinces, _amnesty_on(config))
    groups = catalogue.CLASSIC_GROUPS.get(model)
    return list(groups) if groups is not None else None


def _amnesty_on(config: BaseModel) -> bool:
    amnesty: Any = getattr(config, "amnesty", None)
    return bool(getattr(amnesty, "enabled", False))


@dataclass
class Recordable:
    """The union of what a set of scenarios records (fed one scenario at a time)."""

    metrics: dict[str, None] = field(default_factory=dict)  # ordered set
    groups: dict[str, None] | None = field(default_factory=dict)

    def add(self, config: BaseModel) -> None:
        """Add what ``config`` records."""
        self.metrics.update(dict.fromkeys(recordable_metrics(config)))
        groups = recordable_groups(config)
        if groups is None or self.groups is None:
            self.groups = None
        else:
            self.groups.update(dict.fromkeys(groups))

    def check(self, keep: Keep) -> None:
        """ScenarioError naming the first ``keep`` entry that nothing records."""
        _check_names("keep.metrics", "metric", keep.metrics, self.metrics)
        if self.groups is not None:
            _check_names("keep.groups", "group", keep.groups, self.groups)


def _needs_amnesty(name: str) -> bool:
    return name in catalogue.AMNESTY_GROUPS or (name in catalogue.METRICS and amnesty_only(name))


def _check_names(where: str, what: str, given: list[str] | None, allowed: Iterable[str]) -> None:
    valid = list(allowed)
    for i, name in enumerate(given or []):
        if name in valid:
            continue
        shown = name if len(name) <= 80 else f"{name[:60]}... ({len(name)} characters)"
        message = f"{where}[{i}]: {catalogue.unknown_message(what, shown, valid)}"
        if _needs_amnesty(name):
            message += f"\n({name} is recorded only with amnesty.enabled = true)"
        raise ScenarioError(message)
