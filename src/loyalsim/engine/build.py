"""Build the synthetic population from a scenario: provinces, cities, units, households, ties.

All draws come from named ``build.*`` streams. The work is vectorised per city, so a
26-million-person country builds in well under a minute.
"""

from __future__ import annotations

import numpy as np

from loyalsim.engine.amnesty_build import build_amnesty, build_households
from loyalsim.engine.population import ENTERPRISE, NEIGHBOURHOOD, OFFICE, People, State, Units
from loyalsim.engine.rng import Streams
from loyalsim.scenario.schemas.loyalty import AGE_GROUP_LOWER, AGE_GROUPS, ORGANISATIONS, Scenario

YOUTH_LEAGUE, TRADE_UNION, WOMENS_UNION, OTHER = range(len(ORGANISATIONS))
N_AGE_GROUPS = len(AGE_GROUPS)
N_ORGS = len(ORGANISATIONS)


def split_counts(total: int, shares: np.ndarray) -> np.ndarray:
    """Split ``total`` by ``shares`` with the largest-remainder rule (exact sum)."""
    weights = np.asarray(shares, dtype=np.float64)
    weights = weights / weights.sum()
    raw = weights * total
    counts = np.floor(raw).astype(np.int64)
    short = total - int(counts.sum())
    if short:
        order = np.argsort(-(raw - counts), kind="stable")
        counts[order[:short]] += 1
    return counts


def pareto_sizes(
    total: int, size_min: int, size_max: int, alpha: float, rng: np.random.Generator
) -> np.ndarray:
    """Unit sizes from a truncated Pareto law that add up to exactly ``total``."""
    if total <= 0:
        return np.zeros(0, dtype=np.int64)
    sizes: list[np.ndarray] = []
    filled = 0
    while filled < total:
        batch = max(16, int(total / (size_min * 3)) + 16)
        draw = np.floor(size_min * (1.0 - rng.random(batch)) ** (-1.0 / alpha))
        draw = np.minimum(draw, size_max).astype(np.int64)
        sizes.append(draw)
        filled += int(draw.sum())
    out = np.concatenate(sizes)
    cum = np.cumsum(out)
    last = int(np.searchsorted(cum, total))
    out = out[: last + 1].copy()
    out[-1] -= int(cum[last]) - total
    return out[out > 0]


def city_districts(m: int, n_workers: int, block: int) -> np.ndarray:
    """District of each of a city's ``m`` people, stored workers first, then the rest.

    About m / block districts; each takes an equal share of the workers and an equal share of
    the others, so that households and friendships mix workers and non-workers while each
    district still lives in two contiguous windows of memory.
    """
    n_districts = max(1, round(m / block))
    district = np.empty(m, np.int64)
    for lo, hi in ((0, n_workers), (n_workers, m)):
        size = hi - lo
        if size:
            district[lo:hi] = np.arange(size, dtype=np.int64) * n_districts // size
    return district


def _ring_within_groups(perm: np.ndarray, group: np.ndarray, offsets: list[int]) -> np.ndarray:
    """For people in ``perm`` order (``group`` sorted along it), the person at each offset
    along the ring of their group."""
    pos = np.arange(perm.shape[0], dtype=np.int64)
    start = np.searchsorted(group, group, side="left")
    length = np.searchsorted(group, group, side="right") - start
    out = np.empty((perm.shape[0], len(offsets)), dtype=np.int64)
    for k, off in enumerate(offsets):
        out[:, k] = perm[start + (pos - start + off) % length]
    return out


def _city_people(
    scn: Scenario, m: int, streams: Streams
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ages, age groups, organisations and worker mask for ``m`` people of one city."""
    pop = scn.population
    rng = streams.get("build.people")
    ages = rng.normal(pop.age_mean, pop.age_sd, m)
    bad = (ages < 16) | (ages > 85)
    while bad.any():  # truncate by redrawing, so the shape stays normal inside the bounds
        ages[bad] = rng.normal(pop.age_mean, pop.age_sd, int(bad.sum()))
        bad = (ages < 16) | (ages > 85)
    age_years = ages.astype(np.uint8)
    age_group = (np.searchsorted(np.array(AGE_GROUP_LOWER), age_years, side="right") - 1).astype(
        np.uint8
    )
    young = age_group == 0
    employed = (~young) & (age_years <= 60) & (rng.random(m) < pop.share_employed_over_30)
    org = np.where(rng.random(m) < pop.share_women_union, WOMENS_UNION, OTHER)
    org = np.where(employed, TRADE_UNION, org)
    org = np.where(young, YOUTH_LEAGUE, org).astype(np.uint8)
    return age_years, age_group, org, young | employed


def build(scn: Scenario, streams: Streams) -> State:
    """The initial state of a run."""
    pop = scn.population
    n = pop.n_people
    n_prov = len(pop.provinces)
    prov_counts = split_counts(n, np.array([p.share for p in pop.provinces]))
    zipf = 1.0 / np.arange(1, pop.cities_per_province + 1)
    rng_units = streams.get("build.units")
    rng_house = streams.get("build.households")
    rng_friends = streams.get("build.friends")

    age_years = np.empty(n, np.uint8)
    age_group = np.empty(n, np.uint8)
    organisation = np.empty(n, np.uint8)
    province_idx = np.empty(n, np.uint8)
    household_idx = np.empty(n, np.int32)
    k_friends = pop.friends_per_person
    friend_idx = np.empty((n, k_friends), np.int32)
    offsets = [(k // 2 + 1) * (1 if k % 2 == 0 else -1) for k in range(k_friends)]
    unit_sizes: list[np.ndarray] = []
    unit_prov: list[np.ndarray] = []
    unit_city: list[np.ndarray] = []
    unit_kind: list[np.ndarray] = []
    n_households = 0
    offset = 0
    city_id = 0
    for p in range(n_prov):
        prov_start = offset
        for m in split_counts(int(prov_counts[p]), zipf):
            m = int(m)
            if m == 0:
                city_id += 1
                continue
            sl = slice(offset, offset + m)
            ages, groups, orgs, worker = _city_people(scn, m, streams)
            # Workers first (shuffled, so ages mix inside units), then everyone else.
            order = np.lexsort((rng_units.random(m), ~worker))
            age_years[sl], age_group[sl], organisation[sl] = ages[order], groups[order], orgs[order]
            province_idx[sl] = p
            n_workers = int(worker.sum())
            work = pareto_sizes(
                n_workers, pop.unit_size_min, pop.unit_size_max, pop.unit_size_alpha, rng_units
            )
            n_rest = m - n_workers
            hood = np.full(n_rest // pop.neighbourhood_unit_size, pop.neighbourhood_unit_size)
            if n_rest % pop.neighbourhood_unit_size:
                hood = np.append(hood, n_rest % pop.neighbourhood_unit_size)
            kinds = np.where(
                rng_units.random(work.shape[0]) < pop.share_enterprises, ENTERPRISE, OFFICE
            )
            unit_sizes += [work, hood.astype(np.int64)]
            unit_kind += [kinds.astype(np.uint8), np.full(hood.shape[0], NEIGHBOURHOOD, np.uint8)]
            n_units_city = work.shape[0] + hood.shape[0]
            unit_prov.append(np.full(n_units_city, p, np.uint8))
            unit_city.append(np.full(n_units_city, city_id, np.int32))
            # Households: people shuffled within districts, then cut into households.
            district = city_districts(m, n_workers, pop.district_size)
            perm = np.lexsort((rng_house.random(m), district))
            sizes = 1 + rng_house.poisson(pop.adults_per_household - 1.0, m)
            n_h = int(np.searchsorted(np.cumsum(sizes), m)) + 1
            hh_local = np.repeat(np.arange(n_h), sizes[:n_h])[:m]
            household_idx[offset + perm] = n_households + hh_local
            n_households += n_h
            # Friends: a ring over another shuffle of each district, some ties rewired.
            if k_friends:
                perm_f = np.lexsort((rng_friends.random(m), district))
                ring = _ring_within_groups(perm_f, district[perm_f], offsets)
                friends = np.empty((m, k_friends), np.int64)
                friends[perm_f] = ring
                friends += offset
                rewire = rng_friends.random((m, k_friends)) < pop.friend_rewire_prob
                friends[rewire] = rng_friends.integers(
                    prov_start, prov_start + int(prov_counts[p]), int(rewire.sum())
                )
                friend_idx[sl] = friends
            offset += m
            city_id += 1

    sizes_all = np.concatenate(unit_sizes)
    unit_start = np.zeros(sizes_all.shape[0] + 1, np.int64)
    np.cumsum(sizes_all, out=unit_start[1:])
    n_units = sizes_all.shape[0]
    venue = np.asarray(rng_units.choice(len(pop.venue_shares), size=n_units, p=pop.venue_shares))
    units = Units(
        start=unit_start,
        province_idx=np.concatenate(unit_prov),
        city_idx=np.concatenate(unit_city),
        kind=np.concatenate(unit_kind),
        venue=venue.astype(np.uint8),
        monitor_skill=np.full(n_units, scn.adaptation.monitor_skill_initial, np.float32),
        n_sessions=np.zeros(n_units, np.uint8),
        struggle_orgs=np.zeros(n_units, np.uint8),
        struggle_several=np.zeros(n_units, np.uint8),
        n_caught=np.zeros(n_units, np.uint32),
        n_hidden=np.zeros(n_units, np.uint32),
    )
    people = _initial_people(
        scn, streams, age_years, age_group, organisation, province_idx, household_idx, friend_idx
    )
    return State(
        people=people,
        units=units,
        n_households=n_households,
        households=build_households(scn, n_households, streams),
        amnesty=build_amnesty(scn, n, streams),
    )


def _beta(rng: np.random.Generator, mean: np.ndarray | float, conc: float, m: int) -> np.ndarray:
    mean = np.clip(mean, 0.01, 0.99)
    return np.asarray(rng.beta(mean * conc, (1.0 - mean) * conc, m))


def _initial_people(
    scn: Scenario,
    streams: Streams,
    age_years: np.ndarray,
    age_group: np.ndarray,
    organisation: np.ndarray,
    province_idx: np.ndarray,
    household_idx: np.ndarray,
    friend_idx: np.ndarray,
) -> People:
    pop = scn.population
    n = age_years.shape[0]
    rng = streams.get("build.traits")
    loyalty_mean = np.where(
        age_group == 0, pop.loyalty_mean + pop.young_loyalty_shift, pop.loyalty_mean
    )
    loyalty = _beta(rng, loyalty_mean, pop.loyalty_concentration, n).astype(np.float32)
    resentment = _beta(rng, pop.resentment_initial_mean, 10.0, n).astype(np.float32)
    concealment = np.asarray(rng.random(n) * pop.concealment_initial_max, dtype=np.float32)
    speak = rng.normal(scn.dissent.speak_threshold_mean, scn.dissent.speak_threshold_sd, n)
    cell = (province_idx.astype(np.uint16) * N_AGE_GROUPS + age_group) * N_ORGS + organisation
    cw = scn.contagion
    doubt_share = cw.resentment_weight + cw.doubt_weight
    cynicism = (cw.resentment_weight * resentment + cw.doubt_weight * (1 - loyalty)) / max(
        doubt_share, 1e-9
    )

    def zeros(dtype: type) -> np.ndarray:
        return np.zeros(n, dtype)

    return People(
        age_years=age_years,
        age_group=age_group,
        organisation=organisation,
        province_idx=province_idx,
        household_idx=household_idx,
        cell_idx=cell.astype(np.uint16),
        friend_idx=friend_idx,
        loyalty_private=loyalty,
        loyalty_initial=loyalty.copy(),
        display_public=loyalty.copy(),
        resentment=resentment,
        fatigue=zeros(np.float32),
        concealment=concealment,
        cynicism=cynicism.astype(np.float32),
        fear=zeros(np.float32),
        speak_threshold=np.clip(speak, 0.0, 1.0).astype(np.float32),
        step_struggle_due=np.full(n, -1, np.int16),
        n_times_accused=zeros(np.uint8),
        n_sessions_attended=zeros(np.uint8),
        n_lapses=zeros(np.uint8),
        n_detected=zeros(np.uint8),
        n_warnings=zeros(np.uint8),
        is_accused_new=zeros(np.uint8),
        is_struggled=zeros(np.uint8),
        n_struggles_attended=zeros(np.uint8),
        n_criticisms_sincere=zeros(np.uint8),
        n_criticisms_false=zeros(np.uint8),
        cynicism_next=zeros(np.float32),
    )
