"""Reproduction checks of Granovetter (1978) and of the Kuran-style model (Kuran 1991)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from loyalsim.engine.rng import Streams
from loyalsim.engine.thresholds import cascade_fixed_point, cascade_share
from loyalsim.models.checks import Check, CheckResult
from loyalsim.models.thresholds import granovetter
from loyalsim.models.thresholds.simulate import KURAN_METRICS, run_kuran
from loyalsim.scenario.schemas.thresholds import GRANOVETTER, KURAN, ThresholdsConfig

MODEL = "thresholds"
_NO_FRIENDS = (np.zeros(101, dtype=np.int64), np.zeros(0, dtype=np.int64))


def _crowd(**crowd: Any) -> ThresholdsConfig:
    return ThresholdsConfig.model_validate({"crowd": crowd})


def _joined(thresholds: np.ndarray) -> int:
    """Equilibrium by the agent rule, cross-checked against ``core.cascade_fixed_point``."""
    n = thresholds.shape[0]
    indptr = np.zeros(n + 1, dtype=np.int64)
    by_agents = granovetter.equilibrium(thresholds, indptr, _NO_FRIENDS[1], 1.0)
    counts = np.bincount(np.minimum(np.ceil(thresholds).astype(np.int64), n), minlength=n + 1)
    if by_agents != int(cascade_fixed_point(counts)):
        raise AssertionError("agent rule and core.cascade_fixed_point disagree")
    return by_agents


def check_uniform(quick: bool) -> CheckResult:
    """Thresholds 0..99, one each: the crowd joins one by one, all 100."""
    cfg = _crowd(distribution="uniform")
    joined = _joined(granovetter.crowd_thresholds(cfg.crowd, Streams(0).get("thresholds")))
    return CheckResult(
        MODEL,
        "uniform crowd of 100: everyone joins",
        GRANOVETTER,
        "100 of 100",
        f"{joined} of 100",
        "exact",
        joined == 100,
    )


def check_perturbed(quick: bool) -> CheckResult:
    """The same crowd with the threshold-1 actor moved to 2: only the instigator acts."""
    cfg = _crowd(distribution="perturbed", perturb_from=1, perturb_to=2)
    joined = _joined(granovetter.crowd_thresholds(cfg.crowd, Streams(0).get("thresholds")))
    return CheckResult(
        MODEL,
        "perturbed crowd (threshold 1 -> 2): one joins",
        GRANOVETTER,
        "1 of 100",
        f"{joined} of 100",
        "exact",
        joined == 1,
    )


def _expected_equilibrium(spread: float, mean: float = 25.0, n: int = 100) -> float:
    """Fixed point of r -> n·P(t <= r) for t ~ Normal(mean, spread) (negatives join at 0)."""
    r = 0.0
    for _ in range(100_000):
        nxt = n * 0.5 * (1.0 + math.erf((r - mean) / (spread * math.sqrt(2.0))))
        if nxt - r < 1e-10:
            return nxt
        r = nxt
    return r


def critical_spread_expected() -> float:
    """Smallest spread at which the expected crowd jumps to (almost) everyone (bisection)."""
    low, high = 5.0, 20.0
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (low, mid) if _expected_equilibrium(mid) > 50 else (mid, high)
    return high


def cascade_probability(spread: float, n_draws: int, seed: int) -> float:
    """Share of random normal crowds (mean 25, N 100) in which more than 50 join."""
    rng = Streams(seed).get(f"normal_crowds:{spread:.4f}")
    hits = 0
    for _ in range(n_draws):
        thresholds = np.maximum(rng.normal(25.0, spread, 100), 0.0)
        hits += _joined(thresholds) > 50
    return hits / n_draws


def check_normal_jump(quick: bool) -> CheckResult:
    """Normal thresholds, mean 25, N 100: the equilibrium jumps as the spread grows."""
    expected_sigma = critical_spread_expected()
    below, above = _expected_equilibrium(12.0), _expected_equilibrium(12.5)
    spreads = np.arange(4.0, 20.01, 2.0 if quick else 0.5)
    n_draws = 40 if quick else 2000
    probs = np.array([cascade_probability(s, n_draws, seed=7) for s in spreads])
    # Critical spread of random crowds: where half of them cascade (linear interpolation).
    k = int(np.argmax(probs >= 0.5))
    if k == 0:
        random_sigma = float(spreads[0])
    else:
        frac = (0.5 - probs[k - 1]) / (probs[k] - probs[k - 1])
        random_sigma = float(spreads[k - 1] + frac * (spreads[k] - spreads[k - 1]))
    return CheckResult(
        MODEL,
        "normal thresholds (mean 25, N 100): critical spread",
        GRANOVETTER,
        "expected crowd jumps at spread ≈ 12.2",
        f"expected crowd: jump at {expected_sigma:.2f} ({below:.1f} joined at 12.0, "
        f"{above:.1f} at 12.5); random crowds: half cascade at {random_sigma:.1f} "
        f"({n_draws} draws per spread; P from {probs[0]:.2f} at {spreads[0]:.0f} "
        f"to {probs[-1]:.2f} at {spreads[-1]:.0f})",
        "± 0.1",
        abs(expected_sigma - 12.2) <= 0.1 and probs[0] < 0.1 and probs[-1] > 0.9,
    )


def check_sampled_crowds(quick: bool) -> CheckResult:
    """Crowds of 100 drawn from a large uniform population rarely reproduce its riot.

    With i.i.d. thresholds uniform on 0..n−1 everyone joins iff the sorted thresholds satisfy
    t_(k) <= k−1, i.e. the thresholds form a parking function: probability (n+1)^(n−1)/n^n.
    """
    n, n_crowds = 100, 1000 if quick else 20_000
    exact = math.exp((n - 1) * math.log(n + 1) - n * math.log(n))
    cfg = _crowd(distribution="uniform", size=n, population_size=n * 1000)
    rng = Streams(11).get("crowd_sample")
    population = granovetter.layout(cfg.crowd, cfg.crowd.population_size, rng)
    full = sum(_joined(rng.choice(population, size=n, replace=False)) == n for _ in range(n_crowds))
    share = full / n_crowds
    tol = 4.0 * math.sqrt(exact * (1 - exact) / n_crowds)
    return CheckResult(
        MODEL,
        "crowds sampled from a uniform population: share with a full riot",
        GRANOVETTER + " (sampling); parking-function count",
        f"{exact:.4f} ((n+1)^(n−1)/n^n, n = 100)",
        f"{share:.4f} of {n_crowds} crowds",
        f"± {tol:.4f} (4 s.e.)",
        abs(share - exact) <= tol,
    )


def check_friendship(quick: bool) -> CheckResult:
    """A friend counting double carries the perturbed crowd past its gap."""
    cfg = _crowd(distribution="perturbed")
    thresholds = granovetter.crowd_thresholds(cfg.crowd, Streams(0).get("thresholds"))
    instigator, blocked = int(np.argmin(thresholds)), int(np.flatnonzero(thresholds == 2)[0])
    edges = np.array([[instigator, blocked]])
    src, dst = (
        np.concatenate([edges[:, 0], edges[:, 1]]),
        np.concatenate([edges[:, 1], edges[:, 0]]),
    )
    order = np.argsort(src, kind="stable")
    indptr = np.zeros(101, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=100), out=indptr[1:])
    results = {w: granovetter.equilibrium(thresholds, indptr, dst[order], w) for w in (1.0, 2.0)}
    return CheckResult(
        MODEL,
        "friendship weight 2 between the instigator and a threshold-2 actor",
        GRANOVETTER + " (friendship)",
        "1 joins at weight 1, 100 at weight 2",
        f"{results[1.0]} at weight 1, {results[2.0]} at weight 2",
        "exact",
        results == {1.0: 1, 2.0: 100},
    )


def _kuran_config(private_mean: float, concentration: float, shift: float) -> ThresholdsConfig:
    return ThresholdsConfig.model_validate(
        {
            "run": {"kind": "kuran", "steps": 120},
            "kuran": {
                "private_mean": private_mean,
                "private_concentration": concentration,
                "punishment": 1.05,
                "punishment_shift": shift,
                "shock_step": 60,
            },
        }
    )


def check_kuran_hidden(quick: bool) -> CheckResult:
    """Same public equilibrium, different private distributions; a small shift tips one."""
    seeds = range(5 if quick else 100)
    public, private, after = [], [], []
    societies = {"latent": (0.5, 2.0), "content": (0.25, 20.0)}
    pub, priv = KURAN_METRICS.index("public_opposition"), KURAN_METRICS.index("privately_opposed")
    for seed in seeds:
        for name, (mean, conc) in societies.items():
            values = run_kuran(_kuran_config(mean, conc, -0.1), seed)
            public.append((name, values[59, 0, pub]))
            private.append((name, values[59, 0, priv]))
            after.append((name, values[-1, 0, pub]))

    def span(rows: list[tuple[str, float]], name: str) -> tuple[float, float]:
        vals = [v for n, v in rows if n == name]
        return min(vals), max(vals)

    pl, pc_ = span(public, "latent"), span(public, "content")
    vl, vc = span(private, "latent"), span(private, "content")
    al, ac = span(after, "latent"), span(after, "content")
    passed = max(pl[1], pc_[1]) - min(pl[0], pc_[0]) <= 0.005 and vl[0] - vc[1] >= 0.3
    passed = passed and al[0] >= 0.9 and ac[1] <= 0.05
    return CheckResult(
        MODEL,
        "same public equilibrium hides different private opposition; −0.1 tips one",
        KURAN,
        "equal public share before; only the latently opposed society tips after",
        f"public before {pl[0]:.3f}–{pl[1]:.3f} vs {pc_[0]:.3f}–{pc_[1]:.3f}; privately "
        f"opposed {vl[0]:.2f}–{vl[1]:.2f} vs {vc[0]:.2f}–{vc[1]:.2f}; public after "
        f"{al[0]:.2f}–{al[1]:.2f} vs {ac[0]:.2f}–{ac[1]:.2f} ({len(seeds)} seeds)",
        "public equal within 0.005; tipped >= 0.9, other <= 0.05",
        passed,
    )


def check_kuran_core_agrees(quick: bool) -> CheckResult:
    """The agent-level Kuran run settles where ``core.cascade_share`` predicts."""
    from loyalsim.models.thresholds import kuran

    cfg = _kuran_config(0.5, 2.0, -0.1)
    streams = Streams(3)
    opposition = kuran.private_opposition(cfg.kuran, streams.get("private_preference"))
    zealot = kuran.zealots(cfg.kuran, streams.get("zealots"))
    predicted = [
        cascade_share(kuran.revolutionary_thresholds(opposition, zealot, p, 1.0), np.int64(100_000))
        for p in (1.05, 0.95)
    ]
    values = run_kuran(cfg, 3)
    obtained = (values[59, 0, 0], values[-1, 0, 0])
    passed = all(abs(a - b) <= 1e-3 for a, b in zip(predicted, obtained, strict=True))
    return CheckResult(
        MODEL,
        "Kuran agent run matches the threshold fixed point (core)",
        KURAN + "; Granovetter 1978",
        f"{predicted[0]:.4f} then {predicted[1]:.4f}",
        f"{obtained[0]:.4f} then {obtained[1]:.4f}",
        "± 0.001",
        passed,
    )


CHECKS: list[Check] = [
    Check(MODEL, "uniform", GRANOVETTER, check_uniform),
    Check(MODEL, "perturbed", GRANOVETTER, check_perturbed),
    Check(MODEL, "normal_jump", GRANOVETTER, check_normal_jump),
    Check(MODEL, "sampled_crowds", GRANOVETTER, check_sampled_crowds),
    Check(MODEL, "friendship", GRANOVETTER, check_friendship),
    Check(MODEL, "kuran_hidden", KURAN, check_kuran_hidden),
    Check(MODEL, "kuran_core", KURAN, check_kuran_core_agrees),
]
