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


def build_amnesty(scn: Scenario, n: int, streams: Streams) -> AmnestyState:
    """Everyone free except an initial share in custody, part-way through their sentences."""
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
        cats = rng.choice(len(scn.offences.by_category()), size=k, p=arrest_mix(scn))
        lo = np.array([c.sentence_min_weeks for c in scn.offences.by_category()])
        hi = np.array([c.sentence_max_weeks for c in scn.offences.by_category()])
        length = rng.integers(lo[cats], hi[cats] + 1)
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
        offence_now=z(np.int8, -1),
        is_arrested=z(np.uint8),
        is_self_report=z(np.uint8),
        release_channel=z(np.uint8),
        is_reviewed=z(np.uint8),
        is_qualified_denied=z(np.uint8),
        is_violation=z(np.uint8),
        remaining_at_release=z(np.int16),
    )
