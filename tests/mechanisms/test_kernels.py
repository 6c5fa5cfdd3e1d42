"""Unit tests of the mechanism kernels on hand-built populations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from loyalsim.mechanisms import (
    adaptation,
    beliefs,
    contagion,
    enforcement,
    lapses,
    sessions,
    struggle,
)
from loyalsim.mechanisms.policy import REGIME_NONE, REGIME_STRUGGLE, REGIME_WARNING
from loyalsim.mechanisms.threat import perceived_threat, severity_by_regime

SEVERITY = severity_by_regime(0.15, 0.6)


def _lapse_run(
    n: int,
    fatigue: float,
    attentive: bool,
    sessions_per_week: int = 3,
    concealment: float = 0.0,
    attendance: float = 1.0,
    fatigue_out: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Attended, lapses and detected; the week's fatigue goes to ``fatigue_out`` if given."""
    f32 = np.float32
    unit_start = np.array([0, n], np.int64)
    attended = np.zeros(n, np.uint8)
    n_l = np.zeros(n, np.uint8)
    n_d = np.zeros(n, np.uint8)
    params = np.array([attendance, -2.0, 2.0, 1.5, 1.0, 1.0, 0.2, 0.3, 0.08, 0.25, 0.1])
    if fatigue_out is None:
        fatigue_out = np.empty(n, f32)
    fatigue_out[:] = fatigue
    lapses.apply(
        unit_start,
        np.array([sessions_per_week], np.uint8),
        np.zeros(1, np.uint8),
        np.ones(1, f32),
        np.zeros(n, np.uint16),
        np.array([REGIME_WARNING], np.uint8),
        np.zeros(1, f32),
        np.ones(1, f32),
        np.array([attentive]),
        SEVERITY,
        np.ones(3),
        np.full(n, 0.5, f32),
        np.zeros(n, f32),
        np.zeros(n, f32),
        np.full(n, concealment, f32),
        fatigue_out,
        attended,
        n_l,
        n_d,
        np.zeros(n, np.uint8),  # everyone free
        params,
        np.uint64(12345),
    )
    return attended, n_l, n_d


def test_sessions_rise_with_intensity_and_are_capped() -> None:
    out = np.zeros(2000, np.uint8)
    prov = np.repeat(np.arange(2, dtype=np.uint8), 1000)
    sessions.draw_sessions(prov, np.array([0.0, 1.25], np.float32), 1.0, 2.0, 7, np.uint64(7), out)
    assert np.all(out[:1000] == 1)
    assert set(np.unique(out[1000:])) == {3, 4}
    assert abs(out[1000:].mean() - 3.5) < 0.1
    sessions.draw_sessions(prov, np.array([0.0, 10.0], np.float32), 1.0, 2.0, 7, np.uint64(7), out)
    assert out[1000:].max() == 7


def test_lapse_and_detection_rates_and_fatigue_follow_the_rule() -> None:
    n, sessions_per_week = 40_000, 3
    fatigue = np.empty(n, np.float32)
    attended, n_l, n_d = _lapse_run(n, 0.4, attentive=True, attendance=0.9, fatigue_out=fatigue)
    threat = SEVERITY[REGIME_WARNING]  # intensity 0, fear 0
    p_lapse = 1.0 / (1.0 + math.exp(-(-2.0 + 2.0 * 0.4 - 1.5 * 0.5 - 1.0 * threat)))
    assert attended.mean() == pytest.approx(0.9 * sessions_per_week, abs=0.02)
    assert n_l.sum() / attended.sum() == pytest.approx(p_lapse, abs=0.006)
    assert n_d.sum() / n_l.sum() == pytest.approx(0.2, abs=0.012)
    # Fatigue: weekly recovery, then f <- f + 0.08 (1 - f) once per session attended.
    for a in range(sessions_per_week + 1):
        f = 0.4 * (1.0 - 0.25)
        for _ in range(a):
            f += 0.08 * (1.0 - f)
        assert np.allclose(fatigue[attended == a], f, atol=1e-6)


def test_lapse_prob_rises_with_fatigue() -> None:
    _, low, _ = _lapse_run(20_000, fatigue=0.0, attentive=True)
    _, high, _ = _lapse_run(20_000, fatigue=1.0, attentive=True)
    assert high.mean() > 2 * low.mean()


def test_checking_attentiveness_detects_more_lapses_and_concealment_hides_them() -> None:
    _, l_att, d_att = _lapse_run(50_000, 0.5, attentive=True)
    _, l_only, d_only = _lapse_run(50_000, 0.5, attentive=False)
    _, l_hid, d_hid = _lapse_run(50_000, 0.5, attentive=True, concealment=0.8)
    rate = lambda d, lp: d.sum() / lp.sum()  # noqa: E731
    assert rate(d_att, l_att) > 2.5 * rate(d_only, l_only)
    assert abs(rate(d_att, l_att) - 0.2) < 0.02
    assert rate(d_hid, l_hid) < 0.5 * rate(d_att, l_att)


def test_counts_are_ordered_attended_ge_lapses_ge_detected() -> None:
    att, n_l, n_d = _lapse_run(5000, 0.7, attentive=True)
    assert np.all(att <= 3) and np.all(n_l <= att) and np.all(n_d <= n_l)


def test_enforcement_warns_or_opens_one_case_per_person() -> None:
    n = 6
    cell = np.array([0, 0, 1, 1, 2, 1], np.uint16)
    regime = np.array([REGIME_WARNING, REGIME_STRUGGLE, REGIME_NONE], np.uint8)
    detected = np.array([2, 0, 3, 1, 5, 1], np.uint8)
    due = np.array([-1, -1, -1, -1, -1, 4], np.int16)
    warn = np.zeros(n, np.uint8)
    accused = np.zeros(n, np.uint8)
    times = np.zeros(n, np.uint8)
    enforcement.apply(cell, regime, detected, due, warn, accused, times, 1.0, 9, np.uint64(1))
    assert list(warn) == [2, 0, 0, 0, 0, 0]
    assert list(accused) == [0, 0, 1, 1, 0, 0]  # person 5 already has a pending case
    assert list(due) == [-1, -1, 9, 9, -1, 4]
    assert np.all(accused <= detected)


def test_struggle_session_counts_every_criticism_exactly() -> None:
    # One unit of 7 people, teams of 4: team A = 0..3 (two accused), team B = 4..6 (none).
    unit_start = np.array([0, 7], np.int64)
    org = np.array([0, 1, 0, 1, 0, 0, 0], np.uint8)
    loyalty = np.array([0.9, 0.2, 0.8, 0.5, 0.9, 0.1, 0.1], np.float32)
    due = np.array([3, -1, 3, -1, -1, -1, 5], np.int16)
    z = lambda: np.zeros(7, np.uint8)  # noqa: E731
    struggled, attended, sincere, false = z(), z(), z(), z()
    orgs = np.zeros(1, np.uint8)
    struggle.apply(
        unit_start, 4, org, loyalty, due, 3, 0.7, struggled, attended, sincere, false, orgs, z()
    )
    assert list(struggled) == [1, 0, 1, 0, 0, 0, 0]
    # Non-accused team-mates criticise both accused; each accused criticises the other.
    assert list(attended) == [1, 2, 1, 2, 0, 0, 0]
    assert list(sincere) == [1, 0, 1, 0, 0, 0, 0]
    assert list(false) == [0, 2, 0, 2, 0, 0, 0]
    assert orgs[0] == 0b01  # the youth league (code 0) held the session
    assert list(due) == [-1, -1, -1, -1, -1, -1, 5]


def _beliefs(age_group: int, accused: int, false_crit: int, regime: int) -> tuple[float, ...]:
    f32 = np.float32
    one = lambda v, t=f32: np.array([v], t)  # noqa: E731
    loyalty, res, fear, disp = one(0.6), one(0.1), one(0.0), one(0.6)
    params = np.array(
        [
            1.8,
            0.1,
            0.15,
            0.6,
            0.05,
            0.08,
            0.3,
            0.1,
            0.005,
            0.003,
            0.004,
            0.005,
            0.3,
            0.02,
            0.006,
            0.01,
        ]
    )
    beliefs.apply(
        one(0, np.uint16),
        one(regime, np.uint8),
        one(1.0),
        SEVERITY,
        one(age_group, np.uint8),
        one(accused, np.uint8),
        one(0, np.uint8),
        one(false_crit, np.uint8),
        one(false_crit, np.uint8),
        one(3, np.uint8),
        one(0.2),
        one(0.6),
        loyalty,
        res,
        fear,
        disp,
        params,
    )
    return float(loyalty[0]), float(res[0]), float(fear[0]), float(disp[0])


def test_accusation_raises_display_resentment_fear_and_erodes_belief() -> None:
    calm = _beliefs(age_group=2, accused=0, false_crit=0, regime=REGIME_WARNING)
    hit = _beliefs(age_group=2, accused=1, false_crit=0, regime=REGIME_STRUGGLE)
    assert hit[0] < calm[0] and hit[1] > calm[1] and hit[2] > calm[2] and hit[3] > calm[3]


def test_false_criticism_erodes_belief() -> None:
    none = _beliefs(age_group=2, accused=0, false_crit=0, regime=REGIME_STRUGGLE)
    some = _beliefs(age_group=2, accused=0, false_crit=5, regime=REGIME_STRUGGLE)
    assert some[0] < none[0] and some[1] > none[1]


def test_the_young_respond_more_strongly() -> None:
    old = _beliefs(age_group=2, accused=1, false_crit=2, regime=REGIME_STRUGGLE)
    young = _beliefs(age_group=0, accused=1, false_crit=2, regime=REGIME_STRUGGLE)
    assert young[0] < old[0] and young[1] > old[1]


def test_threat_is_bounded_and_grows_with_severity_intensity_and_fear() -> None:
    assert perceived_threat(0.6, 0.0, 0.1, 0.0) < perceived_threat(0.6, 2.0, 0.1, 0.0)
    assert perceived_threat(0.15, 0.0, 0.1, 0.0) < perceived_threat(0.6, 0.0, 0.1, 0.0)
    assert perceived_threat(0.6, 5.0, 1.0, 0.9) == 1.0
    assert perceived_threat(0.0, 0.0, 0.1, 0.0) == 0.0


def test_contagion_moves_cynicism_toward_peers_simultaneously() -> None:
    n = 4
    f32 = np.float32
    unit_start = np.array([0, n], np.int64)
    hh = np.arange(n, dtype=np.int32)  # nobody shares a household
    friends = np.zeros((n, 0), np.int32)
    cyn = np.array([0.0, 0.0, 0.0, 1.0], f32)
    nxt = np.zeros(n, f32)
    sums = np.zeros(n)
    contagion.household_sums(hh, cyn, sums)
    params = np.array([0.0, 0.5, 1.0, 1.0, 0.3, 0.3, 0.5, 0.2, 0.3])  # only peers matter
    contagion.apply(
        unit_start,
        4,
        hh,
        sums,
        contagion.household_peer_factors(hh, n),
        friends,
        np.full(n, 2, np.uint8),
        np.zeros(n, f32),
        np.zeros(n, f32),
        np.ones(n, f32),
        cyn,
        nxt,
        params,
    )
    # Each of the first three sees team-mates' mean 1/3; the cynic sees 0.
    assert np.allclose(nxt, [1 / 6, 1 / 6, 1 / 6, 0.5], atol=1e-6)
    assert cyn[3] == 1.0  # the input is untouched until the swap


def test_contagion_weighs_team_household_and_friends_by_the_rule() -> None:
    # Two teams of three; households {0, 1}, {2} (alone) and {3, 4, 5}; one friend each.
    n, f32 = 6, np.float32
    hh = np.array([0, 0, 1, 2, 2, 2], np.int32)
    friends = ((np.arange(n) + 3) % n).astype(np.int32)[:, None]
    cyn = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], f32)
    res, fat, loy = np.full(n, 0.5, f32), np.full(n, 0.4, f32), np.full(n, 0.7, f32)
    ages = np.array([0, 1, 2, 0, 1, 2], np.uint8)
    self_rate, peer_rate, young = 0.1, 0.3, 2.0
    w_t, w_h, w_f, w_r, w_fa, w_d = 1.0, 2.0, 3.0, 0.5, 0.2, 0.3
    params = np.array([self_rate, peer_rate, young, w_t, w_h, w_f, w_r, w_fa, w_d])
    sums, nxt = np.zeros(3), np.zeros(n, f32)
    contagion.household_sums(hh, cyn, sums)
    contagion.apply(
        np.array([0, n], np.int64),
        3,
        hh,
        sums,
        contagion.household_peer_factors(hh, 3),
        friends,
        ages,
        res,
        fat,
        loy,
        cyn,
        nxt,
        params,
    )
    c = cyn.astype(np.float64)
    for i in range(n):
        team = [j for j in range(3 * (i // 3), 3 * (i // 3) + 3) if j != i]
        house = [j for j in range(n) if hh[j] == hh[i] and j != i]
        peer = w_t * c[team].mean() + w_f * c[friends[i, 0]]
        weight = w_t + w_f
        if house:
            peer, weight = peer + w_h * c[house].mean(), weight + w_h
        own = (w_r * res[i] + w_fa * fat[i] + w_d * (1 - loy[i])) / (w_r + w_fa + w_d)
        rate = min(1.0, (young if ages[i] == 0 else 1.0) * peer_rate)
        expected = c[i] + self_rate * (own - c[i]) + rate * (peer / weight - c[i])
        assert nxt[i] == pytest.approx(expected, abs=1e-6), i


def test_concealment_is_learned_and_bounded() -> None:
    conceal = np.array([0.1, 0.1, 0.85], np.float32)
    adaptation.apply_people(
        np.array([0, 3, 50], np.uint8), np.array([0, 1, 50], np.uint8), conceal, 0.02, 0.05, 0.9
    )
    assert conceal[0] == np.float32(0.1)
    assert 0.1 < conceal[1] < 0.9 and conceal[2] <= 0.9 + 1e-6


def test_monitors_improve_only_with_a_learning_rate_and_intensity() -> None:
    skill = np.ones(3, np.float32)
    adaptation.apply_monitors(skill, np.array([0, 1, 1], np.uint8), np.array([0.0, 1.0]), 0.0, 3.0)
    assert np.all(skill == 1.0)
    adaptation.apply_monitors(skill, np.array([0, 1, 1], np.uint8), np.array([0.0, 1.0]), 0.1, 3.0)
    assert skill[0] == 1.0 and np.allclose(skill[1:], 1.2)


def test_people_in_custody_neither_attend_nor_stand_accused() -> None:
    unit_start = np.array([0, 4], np.int64)
    org = np.zeros(4, np.uint8)
    due = np.array([3, 3, -1, -1], np.int16)
    status = np.array([1, 0, 1, 0], np.uint8)  # persons 0 and 2 in custody
    z = lambda: np.zeros(4, np.uint8)  # noqa: E731
    struggled, attended, sincere, false = z(), z(), z(), z()
    struggle.apply(
        unit_start,
        4,
        org,
        np.full(4, 0.1, np.float32),
        due,
        3,
        0.7,
        struggled,
        attended,
        sincere,
        false,
        np.zeros(1, np.uint8),
        status,
    )
    assert list(struggled) == [0, 1, 0, 0]
    assert list(false) == [0, 0, 0, 1]
    assert list(due) == [-1, -1, -1, -1]
