"""Rules of the amnesty subsystem that hold in every run (A1, A5, A6, A8, A10), by Hypothesis."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalsim.engine.population import CUSTODY, FREE, SENTENCE_SERVED, SUPERVISED
from loyalsim.mechanisms.amnesty import BRIBERY, HERO, MERIT, SELF_REPORT, SOLDIER
from loyalsim.models.loyalty.schedule import init, iterate
from loyalsim.scenario.schemas.amnesty import OFFENCES, SENSITIVE
from tests.conftest import small

AMNESTY_STEP = 4

amnesty_params = st.fixed_dictionaries(
    {
        "amnesty.events.0.quota_share": st.floats(0.0, 1.0),
        "amnesty.min_served_fraction": st.floats(0.0, 1.0),
        "amnesty.full_reeducation": st.floats(0.0, 1.0),
        "amnesty.score_cutoff": st.floats(-1.0, 1.0),
        "amnesty.soldier_allows_excluded": st.booleans(),
        "amnesty.soldier_release_prob": st.floats(0.0, 1.0),
        "amnesty.bribery": st.booleans(),
        "amnesty.corruption": st.floats(0.0, 1.0),
        "amnesty.self_report_channel": st.booleans(),
        "amnesty.excluded": st.lists(st.sampled_from(OFFENCES), unique=True),
        "amnesty.hero_preference": st.floats(0.0, 1.0),
        "households.soldier_family_share": st.floats(0.0, 0.3),
        "households.hero_family_share": st.floats(0.0, 0.3),
        "custody.initial_self_reported_share": st.floats(0.0, 1.0),
    }
)


def _scenario(params: dict[str, object], n: int, n_steps: int):  # type: ignore[no-untyped-def]
    return small(
        n=n,
        **{
            "time.n_steps": n_steps,
            "custody.initial_inmate_share": 0.08,
            "amnesty.events": [
                {"name": "test", "date": dt.date(2025, 1, 6) + dt.timedelta(weeks=AMNESTY_STEP)}
            ],
        },
        **params,
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=amnesty_params, seed=st.integers(0, 2**32))
def test_releases_obey_exclusion_eligibility_and_single_channel(params, seed) -> None:  # type: ignore[no-untyped-def]
    scn = _scenario(params, n=3000, n_steps=AMNESTY_STEP + 1)
    state, _ = init(scn, seed)
    n = state.people.n
    am = scn.amnesty
    excluded_codes = [OFFENCES.index(x) for x in am.excluded]
    for _week in iterate(state, _):
        st_ = state
        jus = st_.amnesty
        counts = np.bincount(jus.status, minlength=3)
        assert counts.sum() == n and set(np.unique(jus.status)) <= {FREE, CUSTODY, SUPERVISED}
        if st_.step - 1 != AMNESTY_STEP:
            assert not np.isin(
                jus.release_channel, [MERIT, SOLDIER, HERO, SELF_REPORT, BRIBERY]
            ).any()
            continue
        released = np.flatnonzero(
            (jus.release_channel > 0) & (jus.release_channel != SENTENCE_SERVED)
        )
        channel = jus.release_channel[released]
        assert np.all(jus.status[released] == SUPERVISED)
        assert np.all(jus.is_reviewed[released] == 1)
        # Exactly one channel each: the codes are single values in 1..5.
        assert np.all((channel >= MERIT) & (channel <= BRIBERY))
        excluded = np.isin(jus.offence[released], excluded_codes)
        self_rep = jus.is_self_reported[released] == 1
        allowed = (
            ~excluded
            | (self_rep & am.self_report_channel)
            | ((channel == SOLDIER) & am.soldier_allows_excluded)
        )
        assert np.all(allowed)
        assert not np.any(excluded & (channel == BRIBERY))
        # Merit and self-report releases met the rules; a picked hero family need not (A2).
        by_rules = np.isin(channel, [MERIT, SELF_REPORT])
        served = jus.served_weeks[released][by_rules]
        sentence = jus.sentence_weeks[released][by_rules]
        assert np.all(served >= am.min_served_fraction * sentence)
        assert np.all(jus.reeducation[released][by_rules] >= am.full_reeducation)
        assert np.all(jus.is_passed_rules[released][by_rules] == 1)
        hero_family = state.households.is_hero_family[state.people.household_idx]
        assert np.all(hero_family[released[channel == HERO]])
        if am.hero_preference == 0:
            assert not np.any(channel == HERO)
        assert np.all(channel[channel == SELF_REPORT] == SELF_REPORT)
        assert np.all(excluded[channel == SELF_REPORT])
        if not am.bribery:
            assert not np.any(channel == BRIBERY)
        reviewed = int(jus.is_reviewed.sum())
        quota = int(np.floor(scn.amnesty.events[0].quota_share * reviewed))
        assert int(np.isin(channel, [MERIT, HERO, SELF_REPORT, BRIBERY]).sum()) <= quota
        assert np.all(jus.is_qualified_denied[released] == 0)
        assert np.all(jus.is_refused_on_score[released] == 0)
        # Every reviewed inmate has at most one outcome; refused ones met the rules (A7).
        refused, denied = jus.is_refused_on_score == 1, jus.is_qualified_denied == 1
        assert not np.any(refused & denied)
        assert np.all(jus.is_passed_rules[refused] == 1)
        assert np.all(jus.is_reviewed[refused | denied | (jus.is_passed_rules == 1)] == 1)
        assert np.all(jus.step_denied[denied] == AMNESTY_STEP)
        assert np.all(jus.step_denied[~denied] == -1)
        sup = scn.supervision
        left = jus.supervision_left[released]
        assert np.all((left >= sup.min_weeks) & (left <= sup.max_weeks))


def test_supervision_lasts_six_to_twelve_months_then_freedom_or_rearrest() -> None:
    scn = _scenario(
        {
            "amnesty.events.0.quota_share": 0.5,
            "amnesty.full_reeducation": 0.0,
            "amnesty.min_served_fraction": 0.0,
            "amnesty.score_cutoff": -1.0,
        },
        n=4000,
        n_steps=AMNESTY_STEP + 60,
    )
    state, ctx = init(scn, 7)
    started: dict[int, int] = {}
    ended: dict[int, tuple[int, int]] = {}
    previous = state.amnesty.status.copy()
    for _week in iterate(state, ctx):
        st_ = state
        t = st_.step - 1
        status = st_.amnesty.status
        for i in np.flatnonzero((previous != SUPERVISED) & (status == SUPERVISED)):
            started[int(i)] = t
        for i in np.flatnonzero((previous == SUPERVISED) & (status != SUPERVISED)):
            ended.setdefault(int(i), (t, int(status[i])))
        previous = status.copy()
    assert len(started) > 50
    for person, t0 in started.items():
        t1, after = ended[person]
        weeks = t1 - t0
        if after == FREE:
            assert 26 <= weeks <= 52
        else:
            assert after == CUSTODY and weeks <= 52
    assert any(after == CUSTODY for _, after in ended.values())  # some are re-arrested
    assert any(after == FREE for _, after in ended.values())


def test_sensitive_offences_are_the_default_exclusions() -> None:
    scn = small(n=500)
    assert sorted(scn.amnesty.excluded) == sorted(SENSITIVE)
    assert {"border_crossing", "large_smuggling", "foreign_contact"} == set(SENSITIVE)


def test_subsystem_off_keeps_everyone_free_and_adds_no_amnesty_rows() -> None:
    from loyalsim.models.loyalty import simulate

    scn = small(n=2000, **{"amnesty.enabled": False, "time.n_steps": 3})
    state, ctx = init(scn, 1)
    for _week in iterate(state, ctx):
        st_ = state
        assert np.all(st_.amnesty.status == FREE)
    table = simulate(scn, 1, "off")
    assert "inmates" not in set(table["metric"].to_pylist())
