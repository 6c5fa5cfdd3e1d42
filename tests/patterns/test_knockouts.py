"""Knock-out tests of the campaign's mechanism claims (C1-C14): switch a mechanism off (its
weight to 0, or its switch) and the claim's observable moves the expected way, in every seed.

Runs are short (January to October 2026, around the provincial order of 2 February) and
small; each comparison uses the same seeds with and without the mechanism, so that the
difference is the mechanism's, not the draws'.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from loyalsim.experiment.single import run_config
from loyalsim.scenario.io import load

SH = "province:South Hamgyong"
SEEDS = (1, 2, 3)
WINDOW: dict[str, Any] = {"time.start": dt.date(2026, 1, 5), "time.n_steps": 40}
POPULATION = 12_000
NO_ORDERS: dict[str, Any] = {"enforcement.orders": []}


@lru_cache(maxsize=128)
def _run(seed: int, overrides: tuple[tuple[str, Any], ...]) -> pa.Table:
    values = {k: list(v) if isinstance(v, tuple) else v for k, v in overrides}
    config = load("default", {**WINDOW, **values}, population=POPULATION)
    return run_config(config, seed)[0]


def run(seed: int, **overrides: Any) -> pa.Table:
    """The default scenario (shortened) with dotted overrides, cached per seed."""
    frozen = tuple(
        sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in overrides.items())
    )
    return _run(seed, frozen)


def series(table: pa.Table, metric: str, group: str = SH) -> np.ndarray:
    mask = pc.and_(pc.equal(table["metric"], metric), pc.equal(table["group"], group))
    return table.filter(mask).sort_by("step")["value"].to_numpy()


def late(table: pa.Table, metric: str, group: str = SH) -> float:
    """Mean over the last 13 weeks (under the order)."""
    return float(series(table, metric, group)[-13:].mean())


def total(table: pa.Table, metric: str, group: str = SH) -> float:
    return float(series(table, metric, group).sum())


def knocked(name: str, value: Any) -> dict[str, Any]:
    return {name: value}


def each_seed(check: Any) -> None:
    for seed in SEEDS:
        check(seed)


def test_c1_sessions_follow_campaign_intensity() -> None:
    def check(seed: int) -> None:
        with_intensity = total(run(seed), "sessions_attended")
        without = total(
            run(seed, **knocked("sessions.per_week_per_intensity", 0.0)), "sessions_attended"
        )
        assert without < 0.8 * with_intensity

    each_seed(check)


def test_c2_lapses_open_cases_only_when_monitors_detect_them() -> None:
    def check(seed: int) -> None:
        assert total(run(seed), "accused") > 0
        blind = run(seed, **knocked("lapses.detect_base", 0.0))
        assert total(blind, "detections") == 0 and total(blind, "accused") == 0

    each_seed(check)


def test_c3_the_struggle_regime_turns_detections_into_cases_not_warnings() -> None:
    warn_only = {f"enforcement.orders.{k}.regime": "warning" for k in (1, 2)}

    def check(seed: int) -> None:
        struggle, warning = run(seed), run(seed, **warn_only)
        assert total(struggle, "accused") > 0 and total(warning, "accused") == 0
        assert total(warning, "warnings") > total(struggle, "warnings")

    each_seed(check)


def test_c4_the_dated_order_puts_the_province_under_the_struggle_regime() -> None:
    def check(seed: int) -> None:
        ordered, none = run(seed), run(seed, **NO_ORDERS)
        assert late(ordered, "share_struggle_regime") > 0.5
        assert late(none, "share_struggle_regime") == 0
        assert late(ordered, "intensity") > late(none, "intensity")

    each_seed(check)


def test_c5_targeting_spares_the_untargeted() -> None:
    everyone = {"enforcement.orders.1.organisations": ["*"]}

    def check(seed: int) -> None:
        assert total(run(seed), "accused", "age:61+") == 0
        assert total(run(seed, **everyone), "accused", "age:61+") > 0

    each_seed(check)


def test_c6_organisations_hold_struggle_sessions_only_for_cases() -> None:
    def check(seed: int) -> None:
        assert total(run(seed), "struggle_sessions") > 0
        assert total(run(seed, **knocked("enforcement.case_prob", 0.0)), "struggle_sessions") == 0

    each_seed(check)


def test_c7_voicing_false_criticism_adds_resentment() -> None:
    off = {"beliefs.resentment_false_criticism": 0.0, "beliefs.erosion_false_criticism": 0.0}

    def check(seed: int) -> None:
        assert late(run(seed), "criticisms_false") > late(run(seed), "criticisms_sincere")
        assert late(run(seed), "resentment") > late(run(seed, **off), "resentment")

    each_seed(check)


def test_c8_checking_attentiveness_raises_detection_per_lapse() -> None:
    attendance_only = {f"enforcement.orders.{k}.checks_attentiveness": False for k in (1, 2)}

    def check(seed: int) -> None:
        def rate(table: pa.Table) -> float:
            return total(table, "detections") / total(table, "lapses")

        assert rate(run(seed)) > 1.5 * rate(run(seed, **attendance_only))

    each_seed(check)


def test_c9_the_young_respond_more_strongly() -> None:
    def gap(table: pa.Table) -> float:
        return late(table, "resentment", "age:16-30") - late(table, "resentment", "age:46-60")

    def check(seed: int) -> None:
        assert gap(run(seed)) > gap(run(seed, **knocked("beliefs.young_multiplier", 1.0)))

    each_seed(check)


def test_c10_ties_carry_the_campaigns_cynicism_to_the_untargeted() -> None:
    def check(seed: int) -> None:
        on = late(run(seed), "cynicism", "age:61+") - late(
            run(seed, **NO_ORDERS), "cynicism", "age:61+"
        )
        quiet = {"contagion.peer_rate": 0.0}
        off = late(run(seed, **quiet), "cynicism", "age:61+") - late(
            run(seed, **quiet, **NO_ORDERS), "cynicism", "age:61+"
        )
        assert on > 1.3 * off > 0

    each_seed(check)


@pytest.mark.parametrize(
    ("mechanism", "off", "loyalty_goes"),
    [
        (
            "erosion",
            {
                "beliefs.erosion_session_pressure": 0.0,
                "beliefs.erosion_false_criticism": 0.0,
                "beliefs.erosion_accused": 0.0,
            },
            "up",
        ),
        (
            "internalisation",
            {"beliefs.internalise_ritual": 0.0, "beliefs.internalise_voice": 0.0},
            "down",
        ),
        ("inference", {"beliefs.inference_rate": 0.0}, "down"),
    ],
)
def test_c11_each_belief_mechanism_moves_private_loyalty_under_the_campaign(
    mechanism: str, off: dict[str, Any], loyalty_goes: str
) -> None:
    def check(seed: int) -> None:
        with_it, without = (
            late(run(seed), "loyalty_private"),
            late(run(seed, **off), "loyalty_private"),
        )
        assert (without > with_it) if loyalty_goes == "up" else (without < with_it), mechanism

    each_seed(check)


def test_c11_fear_decays() -> None:
    def check(seed: int) -> None:
        assert late(run(seed, **knocked("beliefs.fear_decay", 0.0)), "fear") > late(
            run(seed), "fear"
        )

    each_seed(check)


def test_c13_monitors_learning_from_what_they_miss_keeps_detection_up() -> None:
    def rate(table: pa.Table) -> float:
        return float(series(table, "detections")[-13:].sum() / series(table, "lapses")[-13:].sum())

    def check(seed: int) -> None:
        assert rate(run(seed)) > rate(run(seed, **knocked("adaptation.monitor_learn_missed", 0.0)))
        assert late(run(seed), "monitor_skill") > late(run(seed, **NO_ORDERS), "monitor_skill")

    each_seed(check)


def test_c13_concealment_is_learned_and_unlearned() -> None:
    def check(seed: int) -> None:
        assert late(run(seed), "concealment") > late(run(seed, **NO_ORDERS), "concealment")
        never_forget = run(seed, **knocked("adaptation.conceal_forget", 0.0))
        assert late(never_forget, "concealment") > late(run(seed), "concealment")

    each_seed(check)


def test_c14_fear_holds_back_open_dissent() -> None:
    def check(seed: int) -> None:
        fearless = run(seed, **knocked("dissent.fear_weight", 0.0))
        assert late(fearless, "open_dissent") > late(run(seed), "open_dissent")

    each_seed(check)
