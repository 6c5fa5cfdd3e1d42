"""Initial households and legal status for the amnesty subsystem (A1, A2, A9).

The stream is still named ``build.justice`` (the subsystem's former name): renaming it would
change every draw of the initial custody population.
"""

from __future__ import annotations

import numpy as np

from loyalsim.engine.population import CUSTODY, FREE, AmnestyState, Households
from loyalsim.engine.rng import Streams
from loyalsim.scenario.schemas.amnesty import OFFENCES, SENSITIVE
from loyalsim.scenario.schemas.loyalty import Scenario


def build_households(scn: Scenario, n_households: int, streams: Streams) -> Households:
    """Wealth (log-normal), a relative at the front, a war-hero family flag."""
    rng = streams.get("build.household_traits")
    hh = scn.households
    wealth = rng.lognormal(0.0, hh.wealth_sigma, n_households).astype(np.float32)
    order = np.argsort(wealth, kind="stable")
    rank = np.empty(n_households, np.float32)
    rank[order] = (np.arange(n_households) + 0.5) / max(n_households, 1)
    return Households(
        wealth=wealth,
        wealth_quintile=np.minimum((rank * 5).astype(np.uint8), 4),
        wealth_rank=rank,
        has_soldier_abroad=rng.random(n_households) < hh.soldier_family_share,
        is_hero_family=rng.random(n_households) < hh.hero_family_share,
    )


def arrest_mix(scn: Scenario) -> np.ndarray:
    """Share of each offence category among arrests at reference pressure."""
    cats = scn.offences.by_category()
    weights = np.array([c.base_rate * c.detect_prob for c in cats])
    total = weights.sum()
    return weights / total if total > 0 else np.full(len(cats), 1.0 / len(cats))


def custody_mix(scn: Scenario) -> np.ndarray:
    """Share of each offence category among inmates in a steady state: arrests times the
    mean sentence, since long sentences stay inside longer."""
    cats = scn.offences.by_category()
    mean_weeks = np.array([(c.sentence_min_weeks + c.sentence_max_weeks) / 2 for c in cats])
    weights = arrest_mix(scn) * mean_weeks
    return weights / weights.sum()


def length_biased_weeks(lo: np.ndarray, hi: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Sentences drawn with density proportional to their length on [lo, hi] (inverse CDF).

    Among the people inside at a given moment a sentence of L weeks is L times as common as
    a one-week sentence: a stationary prison population is length-biased.
    """
    a, b = lo.astype(np.float64), hi.astype(np.float64) + 1.0
    weeks = np.floor(np.sqrt(a * a + u * (b * b - a * a))).astype(np.int64)
    return np.clip(weeks, lo, hi)


def build_amnesty(scn: Scenario, n: int, streams: Streams) -> AmnestyState:
    """Everyone free except an initial share in custody, part-way through their sentences.

    The initial inmates are drawn as in a steady state: categories in proportion to arrests
    times sentence length, sentences length-biased, and a uniform share of each served.
    """
    rng = streams.get("build.justice")
    status = np.full(n, FREE, np.uint8)
    offence = np.full(n, -1, np.int8)
    sentence = np.zeros(n, np.int16)
    served = np.zeros(n, np.int16)
    labour = np.zeros(n, np.float32)
    reedu = np.zeros(n, np.float32)
    self_rep = np.zeros(n, np.uint8)
    if scn.amnesty.enabled and scn.custody.initial_inmate_share > 0:
        k = round(scn.custody.initial_inmate_share * n)
        who = rng.choice(n, size=k, replace=False)
        cats = rng.choice(len(scn.offences.by_category()), size=k, p=custody_mix(scn))
        lo = np.array([c.sentence_min_weeks for c in scn.offences.by_category()])
        hi = np.array([c.sentence_max_weeks for c in scn.offences.by_category()])
        length = length_biased_weeks(lo[cats], hi[cats], rng.random(k))
        status[who] = CUSTODY
        offence[who] = cats
        sentence[who] = np.minimum(length, np.iinfo(np.int16).max)
        served[who] = (rng.random(k) * length).astype(np.int16)
        labour[who] = rng.uniform(0.3, 0.7, k)
        reedu[who] = rng.uniform(0.2, 0.9, k)
        sensitive = np.isin(cats, [OFFENCES.index(x) for x in SENSITIVE])
        self_rep[who] = sensitive & (rng.random(k) < scn.custody.initial_self_reported_share)
    hidden = np.zeros(n, np.uint8)
    if scn.amnesty.enabled and scn.self_report.initial_hidden_share > 0:
        rates = np.array([c.base_rate for c in scn.offences.by_category()])
        sens = np.array([OFFENCES.index(x) for x in SENSITIVE])
        mix = rates[sens] / rates[sens].sum()
        carriers = (status == FREE) & (rng.random(n) < scn.self_report.initial_hidden_share)
        hidden[carriers] = 1 + sens[rng.choice(len(sens), int(carriers.sum()), p=mix)]

    def z(dtype: type, fill: int = 0) -> np.ndarray:
        return np.full(n, fill, dtype)

    return AmnestyState(
        status=status,
        offence=offence,
        sentence_weeks=sentence,
        served_weeks=served,
        labour=labour,
        reeducation=reedu,
        is_self_reported=self_rep,
        hidden_offence=hidden,
        supervision_left=z(np.int16),
        step_released=z(np.int16, -1),
        is_rearrested_12m=z(np.uint8),
        step_denied=z(np.int16, -1),
        offence_now=z(np.int8, -1),
        is_arrested=z(np.uint8),
        is_self_report=z(np.uint8),
        release_channel=z(np.uint8),
        is_reviewed=z(np.uint8),
        is_passed_rules=z(np.uint8),
        is_refused_on_score=z(np.uint8),
        is_qualified_denied=z(np.uint8),
        is_violation=z(np.uint8),
        remaining_at_release=z(np.int16),
    )
