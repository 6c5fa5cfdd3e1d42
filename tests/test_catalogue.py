"""The metric catalogue names exactly what every model records, with valid kinds."""

from __future__ import annotations

import datetime as dt

import pytest

from loyalsim import catalogue
from loyalsim.experiment.single import run_config
from loyalsim.scenario.io import load


def _recorded(source: str, **overrides: object) -> tuple[set[str], set[str]]:
    population = 5_000 if source in ("default", "no-campaign") else None
    # From the week of the autumn-2025 amnesty to 55 weeks later: releases, then a cohort
    # of releasees a year on (for the 12-month re-arrest share). Custody is raised from its
    # few tenths of a percent so that 5,000 people hold enough inmates for every outcome.
    window = {
        "time.start": dt.date(2025, 9, 29),
        "time.n_steps": 56,
        "custody.initial_inmate_share": 0.02,
    }
    extra = window if population else {}
    config = load(source, {**extra, **overrides} or None, population)
    table, _ = run_config(config, seed=1)
    return set(table["metric"].unique().to_pylist()), set(table["group"].unique().to_pylist())


@pytest.mark.parametrize(
    ("model", "sources"),
    [
        ("loyalty", ["default"]),
        ("civil_violence", ["civil-violence-run1", "civil-violence-run6"]),
        ("emperors_dilemma", ["emperors-dilemma-local"]),
        ("thresholds", ["granovetter-normal", "kuran"]),
    ],
)
def test_catalogue_lists_exactly_the_metrics_each_model_records(
    model: str, sources: list[str]
) -> None:
    recorded: set[str] = set()
    for source in sources:
        recorded |= _recorded(source)[0]
    assert recorded == set(catalogue.names(model))


def test_loyalty_groups_are_the_recorded_groups_with_and_without_the_amnesty() -> None:
    config = load("default", population=3_000)
    provinces = [p.name for p in config.population.provinces]
    _, with_amnesty = _recorded("default")
    _, without = _recorded("default", **{"amnesty.enabled": False})
    assert with_amnesty == set(catalogue.loyalty_groups(provinces, amnesty=True))
    assert without == set(catalogue.loyalty_groups(provinces, amnesty=False))


def test_every_entry_has_a_kind_label_unit_and_known_claims() -> None:
    claims = {f"C{k}" for k in range(1, 15)} | {f"A{k}" for k in range(1, 12)}
    for entry in catalogue.METRICS.values():
        assert entry.kind in catalogue.KINDS
        assert entry.label and entry.unit and entry.description
        assert set(entry.claims) <= claims, entry.name
        assert entry.summable == (entry.kind == "count")


def test_label_carries_the_unit_and_the_per_capita_scale() -> None:
    assert catalogue.label("accused") == "People accused (cases opened per week)"
    assert catalogue.label("accused", per_capita=True).endswith("per 1,000 people)")
    assert catalogue.label("loyalty_private", per_capita=True) == "Private loyalty (score 0-1)"


def test_unknown_metric_suggests_the_nearest_name() -> None:
    with pytest.raises(KeyError, match="did you mean 'accused'"):
        catalogue.metric("acused")
