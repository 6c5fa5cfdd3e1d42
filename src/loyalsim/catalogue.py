"""The metric catalogue: every observable loyalsim records, with its label, unit and kind.

One entry per metric name (the ``metric`` column of the tidy table), read from
``catalogue.toml`` beside this module. The recorder, reports,
figures, the explorer, ``compare``, calibration targets and ``docs/MODEL.md`` all read these
entries, so a metric is named, labelled and described once. The module is plain data (no
numpy, no numba) and sits below every layer that needs it.

Kinds say how a value may be aggregated:

- ``mean``  mean of a per-person quantity over the group's people (or over events, said so);
- ``share`` share of the group's people (0 to 1);
- ``ratio`` quotient of two counts of the same week (0 to 1 unless said otherwise);
- ``count`` events during the week: adding weeks gives a run total;
- ``level`` people or units present at the end of the week: adding weeks is meaningless.

``per_capita`` marks counts and levels that grow with the synthetic population's size, so
figures and comparisons show them per 1,000 people by default.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from loyalsim.scenario.schemas.amnesty import CHANNELS, OFFENCES
from loyalsim.scenario.schemas.loyalty import AGE_GROUPS, ORGANISATIONS

Kind = Literal["mean", "share", "ratio", "count", "level"]
KINDS: tuple[Kind, ...] = ("mean", "share", "ratio", "count", "level")


@dataclass(frozen=True)
class Metric:
    """One observable: how to label, scale and read it."""

    name: str
    label: str
    unit: str
    kind: Kind
    description: str
    claims: tuple[str, ...] = ()
    model: str = "loyalty"
    per_capita: bool = False

    @property
    def summable(self) -> bool:
        """Whether a total over weeks means something (event counts only)."""
        return self.kind == "count"


def _load() -> dict[str, Metric]:
    """Read ``catalogue.toml`` (shipped beside this module) into Metric entries."""
    text = resources.files("loyalsim").joinpath("catalogue.toml").read_text("utf-8")
    out: dict[str, Metric] = {}
    for model, entries in tomllib.loads(text).items():
        for name, e in entries.items():
            if name in out:
                raise ValueError(f"catalogue.toml: metric {name!r} is defined twice")
            if e["kind"] not in KINDS:
                raise ValueError(f"catalogue.toml: {model}.{name}.kind = {e['kind']!r}")
            scales = e.get("per_capita", e["kind"] in ("count", "level"))
            claims = tuple(e.get("claims", ()))
            out[name] = Metric(
                name, e["label"], e["unit"], e["kind"], e["description"], claims, model, scales
            )
    return out


METRICS: dict[str, Metric] = _load()


def metric(name: str) -> Metric:
    """The catalogue entry of ``name``; KeyError lists the nearest names."""
    if name in METRICS:
        return METRICS[name]
    raise KeyError(unknown_message("metric", name, list(METRICS)))


def names(model: str = "loyalty") -> list[str]:
    """Metric names of one model, in catalogue order."""
    return [m.name for m in METRICS.values() if m.model == model]


def label(name: str, per_capita: bool = False) -> str:
    """Axis label with unit, e.g. ``Private loyalty (score 0-1)``; unknown names pass."""
    entry = METRICS.get(name)
    if entry is None:
        return name
    unit = f"{entry.unit} per 1,000 people" if per_capita and entry.per_capita else entry.unit
    return f"{entry.label} ({unit})"


# Group vocabulary of the enforced-loyalty model (``kind:value``; ``all`` alone).
CORE_GROUP_KINDS = ("all", "province", "age", "org")
AMNESTY_GROUPS = (
    "hh:soldier_family",
    "hh:hero_family",
    "hh:released",
    "hh:denied",
    *(f"wealth:q{q}" for q in range(1, 6)),
    *(f"offence:{o}" for o in OFFENCES),
    *(f"channel:{c}" for c in CHANNELS),
    "channel:sentence_served",
)
CLASSIC_GROUPS: dict[str, tuple[str, ...]] = {
    "civil_violence": ("all", "group:blue", "group:green"),
    "emperors_dilemma": ("all", "belief:believer", "belief:disbeliever"),
    "thresholds": ("all", "private:opposed", "private:supporter"),
}


def core_groups(province_names: list[str]) -> list[str]:
    """Groups of the enforced-loyalty model without the amnesty subsystem, in record order."""
    return (
        ["all"]
        + [f"province:{p}" for p in province_names]
        + [f"age:{a}" for a in AGE_GROUPS]
        + [f"org:{o}" for o in ORGANISATIONS]
    )


def loyalty_groups(province_names: list[str], amnesty: bool) -> list[str]:
    """Every group a run of the enforced-loyalty model records."""
    return core_groups(province_names) + (list(AMNESTY_GROUPS) if amnesty else [])


def unknown_message(what: str, value: str, allowed: list[str]) -> str:
    """``unknown metric 'x'; did you mean 'y'? allowed: ...`` with the closest names first."""
    import difflib

    close = difflib.get_close_matches(value, allowed, n=3, cutoff=0.6)
    hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
    return f"unknown {what} {value!r}{hint}; allowed: {', '.join(allowed)}"
