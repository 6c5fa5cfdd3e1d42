"""Shared fixtures: small scenarios that run in a second or two."""

from __future__ import annotations

import pytest

from loyalsim.scenario.io import load
from loyalsim.scenario.schemas.loyalty import Scenario

SMALL = 6_000


def small(name: str = "default", n: int = SMALL, **overrides: object) -> Scenario:
    """A preset scaled down to ``n`` people, with dotted overrides."""
    config = load(name, overrides=dict(overrides) or None, population=n)
    assert isinstance(config, Scenario)
    return config


@pytest.fixture
def small_default() -> Scenario:
    return small()
