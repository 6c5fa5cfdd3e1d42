"""Outcome expressions: what parses, what it means, and what is refused."""

from __future__ import annotations

import numpy as np
import pytest

from loyalsim.discover.expression import MetricRef, OutcomeError, parse_outcome

SH = "province:South Hamgyong"


def test_references_parse_with_group_and_summary() -> None:
    outcome = parse_outcome(f"loyalty_private[{SH}]@last - baseline < 0")
    assert outcome.refs == (MetricRef("loyalty_private", SH, "last"),)
    assert outcome.uses_baseline
    refs = parse_outcome("fear@12 > 0.1 and display_gap[age:16-30]@mean(52..103) >= 1e-3").refs
    assert refs == (
        MetricRef("fear", "all", "step", 12),
        MetricRef("display_gap", "age:16-30", "mean", None, 52, 103),
    )


def test_evaluation_follows_arithmetic_and_logic() -> None:
    a, b = MetricRef("fear"), MetricRef("resentment", SH, "sum")
    outcome = parse_outcome(f"not (fear - 2 * resentment[{SH}]@sum > 0.5) or abs(fear) >= 3")
    values = {a: np.array([1.0, 2.0, -4.0, 0.0]), b: np.array([0.0, 0.5, 0.0, -1.0])}
    # fear - 2r: 1.0, 1.0, -4.0, 2.0 -> > 0.5: T T F T -> not: F F T F; abs(fear) >= 3: F F T F
    assert outcome.evaluate(values, {}).tolist() == [False, False, True, False]
    paired = parse_outcome("fear - baseline < 0")
    base = {a: np.array([2.0, 2.0, -5.0, 0.0])}
    assert paired.evaluate(values, base).tolist() == [True, False, False, False]
    chained = parse_outcome("0 < fear <= 1")
    assert chained.evaluate(values, {}).tolist() == [True, False, False, False]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fear >", "does not parse"),
        ("fear + 1", "must be a condition"),
        ("__import__('os').system('true') > 0", "quoted text is not allowed"),
        ("__import__(os).system(x) > 0", "is not allowed"),
        ("fear.real > 0", "is not allowed"),
        ("fear ** 2 > 0", "operator Pow is not allowed"),
        ("fear > 'a'", "quoted text is not allowed"),
        ("fear > 1j", "the constant 1j is not allowed"),
        ("max(fear, 1) > 0", "this call is not allowed"),
        ("fear@sometime > 0", "@sometime is not a summary"),
        ("fear@mean(9..3) > 0", "ends before it starts"),
        ("fear@last(1..3) > 0", "only mean, sum, min and max take"),
        ("fear - baseline > resentment", "bare `baseline` needs exactly one metric reference"),
        ("1 < 2", "names no metric"),
        ("[fear][0] > 1", "is not allowed"),
    ],
)
def test_bad_expressions_are_refused(text: str, message: str) -> None:
    with pytest.raises(OutcomeError, match=message.replace("(", r"\(").replace("*", r"\*")):
        parse_outcome(text)
