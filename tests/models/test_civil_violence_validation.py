"""The quick versions of the civil-violence reproduction checks pass."""

from __future__ import annotations

import pytest

from loyalsim.models.civil_violence.validation import CHECKS, outburst_episodes


def test_outburst_episodes_counts_separate_spells():
    import numpy as np

    assert outburst_episodes(np.array([0, 60, 70, 10, 0, 51, 2])) == 2
    assert outburst_episodes(np.array([55, 0])) == 1


@pytest.mark.parametrize("check", CHECKS, ids=[c.name for c in CHECKS])
def test_quick_check_passes(check):
    result = check.run(True)
    assert result.passed, result.obtained
