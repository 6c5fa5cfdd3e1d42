"""Invariants that hold for any valid scenario (Hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalsim.engine.thresholds import cascade_share
from loyalsim.models.loyalty.schedule import init, iterate
from loyalsim.observe.metrics import METRICS
from loyalsim.observe.recorder import Recorder
from tests.conftest import small

FLOAT_STATE = (
    "loyalty_private",
    "display_public",
    "resentment",
    "fatigue",
    "concealment",
    "cynicism",
    "fear",
    "speak_threshold",
)

scenario_params = st.fixed_dictionaries(
    {
        "lapses.base_logit": st.floats(-6.0, 3.0),
        "lapses.detect_base": st.floats(0.0, 1.0),
        "lapses.fatigue_per_session": st.floats(0.0, 1.0),
        "beliefs.young_multiplier": st.floats(1.0, 5.0),
        "beliefs.erosion_accused": st.floats(0.0, 1.0),
        "beliefs.resentment_accused": st.floats(0.0, 1.0),
        "contagion.peer_rate": st.floats(0.0, 1.0),
        "enforcement.case_prob": st.floats(0.0, 1.0),
        "enforcement.struggle_delay_weeks": st.integers(0, 4),
        "sessions.per_week_per_intensity": st.floats(0.0, 14.0),
        "enforcement.base_regime": st.sampled_from(["none", "warning", "struggle"]),
        "time.start": st.sampled_from(["2026-01-19", "2025-12-01"]),
    }
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=scenario_params, n=st.integers(300, 2500), seed=st.integers(0, 2**32))
def test_state_and_records_stay_valid(params: dict[str, object], n: int, seed: int) -> None:
    overrides = {k: v for k, v in params.items() if k != "time.start"}
    import datetime as dt

    overrides["time.start"] = dt.date.fromisoformat(str(params["time.start"]))
    overrides["time.n_steps"] = 8
    scn = small(n=n, **overrides)
    state, ctx = init(scn, seed)
    dtypes = {name: getattr(state.people, name).dtype for name in FLOAT_STATE}
    rec = Recorder(ctx, state)
    for _week in iterate(state, ctx, rec):
        st_ = state
        ppl = st_.people
        assert ppl.n == n
        for name in FLOAT_STATE:
            arr = getattr(ppl, name)
            assert arr.dtype == dtypes[name]
            assert np.all((arr >= 0.0) & (arr <= 1.0)), name
        assert np.all(ppl.n_lapses <= ppl.n_sessions_attended)
        assert np.all(ppl.n_detected <= ppl.n_lapses)
        assert np.all(ppl.is_accused_new <= (ppl.n_detected > 0))
        assert np.all(ppl.n_warnings <= ppl.n_detected)
    values = rec.values
    col = {m: i for i, m in enumerate(METRICS)}
    assert np.all(values[:, 0, col["n_people"]] == n)
    counts = [
        m
        for m in METRICS
        if m
        in ("lapses", "detections", "warnings", "accused", "struggle_sessions", "criticisms_false")
    ]
    for m in counts:
        assert np.nanmin(values[:, :, col[m]]) >= 0
    assert np.all(values[:, 0, col["accused"]] <= values[:, 0, col["detections"]])
    for m in ("hidden_dissent", "cascade_risk", "open_dissent", "detections_per_lapse"):
        v = values[:, :, col[m]]
        v = v[~np.isnan(v)]
        assert np.all((v >= 0) & (v <= 1)), m
    # The cascade includes at least the first movers.
    assert np.all(values[:, 0, col["cascade_risk"]] >= values[:, 0, col["hidden_dissent"]])


@given(st.lists(st.floats(-0.5, 1.5), min_size=1, max_size=300), st.integers(10, 500))
def test_cascade_share_is_a_fixed_point_of_the_threshold_map(
    thresholds: list[float], resolution: int
) -> None:
    arr = np.array(thresholds)
    share = cascade_share(arr, resolution)
    assert 0.0 <= share <= 1.0
    binned = np.ceil(np.clip(arr, 0, None) * resolution - 1e-9) / resolution
    acting = np.sum(np.where(arr <= 0, True, (arr <= 1.0) & (binned <= share + 1e-12)))
    assert acting == round(share * len(arr))
    # Lowering every threshold never shrinks the cascade.
    assert cascade_share(arr - 0.1, resolution) >= share
