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
    inference,
    lapses,
    sessions,
    struggle,
)
from loyalsim.mechanisms.policy import REGIME_NONE, REGIME_STRUGGLE, REGIME_WARNING
from loyalsim.mechanisms.threat import perceived_threat
from tests import hand
from tests.hand import SEVERITY

BELIEFS = beliefs.Params(
    young_multiplier=1.8,
    intensity_threat=0.1,
    fear_per_struggle_attended=0.15,
    fear_per_accusation=0.6,
    fear_per_warning=0.05,
    fear_decay=0.08,
    display_rate=0.3,
    erosion_accused=0.1,
    erosion_false_criticism=0.005,
    erosion_session_pressure=0.003,
    erosion_cynicism=0.004,
    loyalty_recovery=0.005,
    internalise_ritual=0.0,
    internalise_voice=0.0,
    justification_discount=0.5,
    resentment_accused=0.3,
    resentment_false_criticism=0.02,
    resentment_session_pressure=0.006,
    resentment_decay=0.01,
)


def _contagion_params(
    self_rate: float,
    peer_rate: float,
    young: float,
    weights: tuple[float, float, float],
    own: tuple[float, float, float],
    team_size: int,
    friends: int,
) -> contagion.Params:
    w_r, w_f, w_d = own
    return contagion.Params(
        self_rate=self_rate,
        team_weight=weights[0],
        household_weight=weights[1],
        friend_weight=weights[2] if friends else 0.0,
        resentment_weight=w_r,
        fatigue_weight=w_f,
        doubt_weight=w_d,
        inv_own=1.0 / (w_r + w_f + w_d),
        inv_friends=1.0 / max(friends, 1),
        rate_young=min(1.0, young * peer_rate),
        rate_other=min(1.0, peer_rate),
        team_size=team_size,
    )


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
    p = lapses.Params(
        attendance=attendance,
        base_logit=-2.0,
        fatigue_weight=2.0,
        belief_weight=1.5,
        cynicism_weight=1.0,
        countermeasure_weight=1.0,
        detect_base=0.2,
        attendance_only_factor=0.3,
        fatigue_recovery=0.25,
        intensity_threat=0.1,
        venue_factor=np.ones(3),
        fatigue_keep=lapses.fatigue_keep_table(0.08),
    )
    ppl = hand.people(n, fatigue=fatigue, concealment=concealment)
    units = hand.units([n], n_sessions=[sessions_per_week])
    pol = hand.policy([REGIME_WARNING], attentive=attentive)
    lapses.apply(p, ppl, units, np.zeros(n, np.uint8), pol, SEVERITY, np.uint64(12345))
    if fatigue_out is not None:
        fatigue_out[:] = ppl.fatigue
    return ppl.n_sessions_attended, ppl.n_lapses, ppl.n_detected


def test_sessions_rise_with_intensity_and_are_capped() -> None:
    prov = np.repeat(np.arange(2, dtype=np.uint8), 1000)
    units = hand.units([1] * 2000, province_idx=prov)
    p = sessions.Params(base_per_week=1.0, per_week_per_intensity=2.0, max_per_week=7)
    sessions.apply(p, units, np.array([0.0, 1.25], np.float32), np.uint64(7))
    out = units.n_sessions
    assert np.all(out[:1000] == 1)
    assert set(np.unique(out[1000:])) == {3, 4}
    assert abs(out[1000:].mean() - 3.5) < 0.1
    sessions.apply(p, units, np.array([0.0, 10.0], np.float32), np.uint64(7))
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
    ppl = hand.people(
        6,
        cell_idx=[0, 0, 1, 1, 2, 1],
        n_detected=[2, 0, 3, 1, 5, 1],
        step_struggle_due=[-1, -1, -1, -1, -1, 4],
    )
    regime = np.array([REGIME_WARNING, REGIME_STRUGGLE, REGIME_NONE], np.uint8)
    p = enforcement.Params(case_prob=1.0, struggle_delay_weeks=2)
    enforcement.apply(p, ppl, regime, 7, np.uint64(1))
    assert list(ppl.n_warnings) == [2, 0, 0, 0, 0, 0]
    assert list(ppl.is_accused_new) == [0, 0, 1, 1, 0, 0]  # person 5 already has a case
    assert list(ppl.step_struggle_due) == [-1, -1, 9, 9, -1, 4]
    assert np.all(ppl.is_accused_new <= ppl.n_detected)


def test_struggle_session_counts_every_criticism_exactly() -> None:
    # One unit of 7 people, teams of 4: team A = 0..3 (two accused), team B = 4..6 (none).
    ppl = hand.people(
        7,
        organisation=[0, 1, 0, 1, 0, 0, 0],
        loyalty_private=[0.9, 0.2, 0.8, 0.5, 0.9, 0.1, 0.1],
        step_struggle_due=[3, -1, 3, -1, -1, -1, 5],
    )
    units = hand.units([7])
    p = struggle.Params(sincere_loyalty_threshold=0.7, team_size=4)
    struggle.apply(p, ppl, units, 3, np.zeros(7, np.uint8))
    assert list(ppl.is_struggled) == [1, 0, 1, 0, 0, 0, 0]
    # Non-accused team-mates criticise both accused; each accused criticises the other.
    assert list(ppl.n_struggles_attended) == [1, 2, 1, 2, 0, 0, 0]
    assert list(ppl.n_criticisms_sincere) == [1, 0, 1, 0, 0, 0, 0]
    assert list(ppl.n_criticisms_false) == [0, 2, 0, 2, 0, 0, 0]
    assert units.struggle_orgs[0] == 0b01  # the youth league (code 0) held the session
    assert list(ppl.step_struggle_due) == [-1, -1, -1, -1, -1, -1, 5]


def _beliefs(age_group: int, accused: int, false_crit: int, regime: int) -> tuple[float, ...]:
    ppl = hand.people(
        1,
        loyalty_private=0.6,
        loyalty_initial=0.6,
        display_public=0.6,
        resentment=0.1,
        cynicism=0.2,
        age_group=age_group,
        is_struggled=accused,
        n_criticisms_false=false_crit,
        n_struggles_attended=false_crit,
        n_sessions_attended=3,
    )
    beliefs.apply(BELIEFS, ppl, hand.policy([regime], intensity=1.0), SEVERITY)
    return (
        float(ppl.loyalty_private[0]),
        float(ppl.resentment[0]),
        float(ppl.fear[0]),
        float(ppl.display_public[0]),
    )


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


def _contagion(p: contagion.Params, ppl: hand.People, team_sizes: list[int]) -> None:
    n_households = int(ppl.household_idx.max()) + 1
    sums = np.zeros(n_households)
    contagion.household_sums(ppl.household_idx, ppl.cynicism, sums)
    factor = contagion.household_peer_factors(ppl.household_idx, n_households)
    contagion.apply(p, ppl, hand.units([sum(team_sizes)]), sums, factor)


def test_contagion_moves_cynicism_toward_peers_simultaneously() -> None:
    ppl = hand.people(4, cynicism=[0.0, 0.0, 0.0, 1.0], age_group=2, loyalty_private=1.0)
    p = _contagion_params(0.0, 0.5, 1.0, (1.0, 0.3, 0.3), (0.5, 0.2, 0.3), 4, 0)
    _contagion(p, ppl, [4])  # only peers matter; nobody shares a household
    # Each of the first three sees team-mates' mean 1/3; the cynic sees 0.
    assert np.allclose(ppl.cynicism_next, [1 / 6, 1 / 6, 1 / 6, 0.5], atol=1e-6)
    assert ppl.cynicism[3] == 1.0  # the input is untouched until the swap


def test_contagion_weighs_team_household_and_friends_by_the_rule() -> None:
    # Two teams of three; households {0, 1}, {2} (alone) and {3, 4, 5}; one friend each.
    n = 6
    hh = np.array([0, 0, 1, 2, 2, 2], np.int32)
    friends = ((np.arange(n) + 3) % n).astype(np.int32)[:, None]
    ages = np.array([0, 1, 2, 0, 1, 2], np.uint8)
    ppl = hand.people(
        n,
        friends=1,
        household_idx=hh,
        friend_idx=friends,
        cynicism=[0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
        resentment=0.5,
        fatigue=0.4,
        loyalty_private=0.7,
        age_group=ages,
    )
    self_rate, peer_rate, young = 0.1, 0.3, 2.0
    w_t, w_h, w_f, w_r, w_fa, w_d = 1.0, 2.0, 3.0, 0.5, 0.2, 0.3
    p = _contagion_params(self_rate, peer_rate, young, (w_t, w_h, w_f), (w_r, w_fa, w_d), 3, 1)
    _contagion(p, ppl, [3, 3])
    c, res, fat, loy = (ppl.cynicism.astype(np.float64), ppl.resentment, ppl.fatigue,
                        ppl.loyalty_private)  # fmt: skip
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
        assert ppl.cynicism_next[i] == pytest.approx(expected, abs=1e-6), i


def _adaptation(**changes: float) -> adaptation.Params:
    base = {
        "conceal_learn_lapse": 0.02,
        "conceal_learn_witness": 0.05,
        "conceal_max": 0.9,
        "conceal_forget": 0.0,
        "monitor_learn_missed": 0.0,
        "monitor_skill_decay": 0.0,
        "monitor_skill_max": 3.0,
        "monitor_skill_initial": 1.0,
    }
    return adaptation.Params(**{**base, **changes})


def test_concealment_is_learned_bounded_and_unlearned() -> None:
    def people() -> hand.People:
        return hand.people(
            3, concealment=[0.1, 0.1, 0.85], n_lapses=[0, 3, 50], n_struggles_attended=[0, 1, 50]
        )

    ppl = people()
    adaptation.apply_people(_adaptation(), ppl)
    conceal = ppl.concealment
    assert conceal[0] == np.float32(0.1)
    assert 0.1 < conceal[1] < 0.9 and conceal[2] <= 0.9 + 1e-6
    # Unused skill fades: exactly (learned) x (1 - forget).
    forgetting = people()
    adaptation.apply_people(_adaptation(conceal_forget=0.1), forgetting)
    assert np.allclose(forgetting.concealment, conceal * 0.9, atol=1e-6)


def test_monitors_learn_from_what_concealment_hid_and_fall_back_otherwise() -> None:
    # Unit 0 caught everything, unit 1 saw half hidden, unit 2 had no lapse worth seeing.
    units = hand.units([1, 1, 1], n_caught=[4, 2, 0], n_hidden=[0, 2, 0])
    adaptation.monitors(_adaptation(monitor_learn_missed=0.2), units)
    # skill 1 + 0.2 * share hidden * (3 - 1)
    assert np.allclose(units.monitor_skill, [1.0, 1.2, 1.0])
    units = hand.units([1], monitor_skill=[2.0])
    adaptation.monitors(_adaptation(monitor_skill_decay=0.25), units)
    assert np.isclose(units.monitor_skill[0], 1.75)


def test_internalisation_builds_belief_less_so_under_a_strong_threat() -> None:
    def loyalty_after(regime: int, ritual: float, discount: float) -> float:
        ppl = hand.people(1, loyalty_private=0.5, loyalty_initial=0.5, n_sessions_attended=3)
        p = BELIEFS._replace(
            internalise_ritual=ritual,
            justification_discount=discount,
            erosion_session_pressure=0.0,
            loyalty_recovery=0.0,
            erosion_cynicism=0.0,
        )
        beliefs.apply(p, ppl, hand.policy([regime]), SEVERITY)
        return float(ppl.loyalty_private[0])

    # No internalisation: nothing moves belief. With it: 3 sessions x rate x (1 - j T).
    assert loyalty_after(REGIME_WARNING, 0.0, 0.5) == pytest.approx(0.5)
    gained = loyalty_after(REGIME_WARNING, 0.01, 0.5) - 0.5
    assert gained == pytest.approx(3 * 0.01 * (1 - 0.5 * SEVERITY[REGIME_WARNING]) * 0.5, rel=1e-5)
    assert loyalty_after(REGIME_STRUGGLE, 0.01, 0.5) - 0.5 < gained  # a stronger threat
    assert loyalty_after(REGIME_STRUGGLE, 0.01, 0.0) - 0.5 == pytest.approx(
        gained / (1 - 0.5 * SEVERITY[REGIME_WARNING]), rel=1e-5
    )


def test_inference_moves_belief_toward_the_display_of_team_mates_and_friends() -> None:
    # One team of three; person 0's friend is person 3 (another team of one).
    ppl = hand.people(
        4,
        friends=1,
        friend_idx=[[3], [0], [0], [0]],
        display_public=[0.9, 0.5, 0.7, 0.3],
        loyalty_private=[0.4, 0.4, 0.4, 0.4],
    )
    inference.apply(inference.Params(inference_rate=0.5, team_size=3), ppl, hand.units([3, 1]))
    seen0 = (0.5 + 0.7 + 0.3) / 3
    assert ppl.loyalty_private[0] == pytest.approx(0.4 + 0.5 * (seen0 - 0.4), abs=1e-6)
    assert ppl.loyalty_private[3] == pytest.approx(0.4 + 0.5 * (0.9 - 0.4), abs=1e-6)
    # Display is read, never written.
    assert list(ppl.display_public) == pytest.approx([0.9, 0.5, 0.7, 0.3])


def test_people_in_custody_neither_attend_nor_stand_accused() -> None:
    ppl = hand.people(4, loyalty_private=0.1, step_struggle_due=[3, 3, -1, -1])
    status = np.array([1, 0, 1, 0], np.uint8)  # persons 0 and 2 in custody
    p = struggle.Params(sincere_loyalty_threshold=0.7, team_size=4)
    struggle.apply(p, ppl, hand.units([4]), 3, status)
    assert list(ppl.is_struggled) == [0, 1, 0, 0]
    assert list(ppl.n_criticisms_false) == [0, 0, 0, 1]
    assert list(ppl.step_struggle_due) == [-1, -1, -1, -1]
