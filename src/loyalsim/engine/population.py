"""The state of a run: people as columns (one array per attribute) and units as columns.

People are stored sorted by province, city and work unit, so a unit's members are the
contiguous slice ``start[u]:start[u + 1]`` and a work team is a block of ``team_size``
people inside it. No object per person. Each group of columns is a NamedTuple of arrays, so
numba kernels take the whole group as one argument and read columns by name
(``people.fatigue[i]``); the arrays themselves are updated in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

# Unit kinds.
ENTERPRISE, OFFICE, NEIGHBOURHOOD = 0, 1, 2
UNIT_KINDS = ("enterprise", "office", "neighbourhood")

# Legal status of a person (amnesty subsystem).
FREE, CUSTODY, SUPERVISED = 0, 1, 2
STATUSES = ("free", "custody", "supervised")
NO_CHANNEL = 0  # release_channel codes: 1 + index into CHANNELS; SENTENCE_SERVED after them
SENTENCE_SERVED = 6


def nbytes(columns: tuple[np.ndarray, ...]) -> int:
    """Bytes held by a group of columns."""
    return sum(int(a.nbytes) for a in columns)


class People(NamedTuple):
    """Per-person arrays, all of length n_people."""

    age_years: np.ndarray  # uint8
    age_group: np.ndarray  # uint8, index into AGE_GROUPS
    organisation: np.ndarray  # uint8, index into ORGANISATIONS
    province_idx: np.ndarray  # uint8
    household_idx: np.ndarray  # int32
    cell_idx: np.ndarray  # uint16: (province, age group, organisation) policy cell
    friend_idx: np.ndarray  # int32 (n_people, friends_per_person)
    # Continuous state in [0, 1].
    loyalty_private: np.ndarray  # float32
    loyalty_initial: np.ndarray  # float32
    display_public: np.ndarray  # float32
    resentment: np.ndarray  # float32
    fatigue: np.ndarray  # float32
    concealment: np.ndarray  # float32
    cynicism: np.ndarray  # float32
    fear: np.ndarray  # float32
    speak_threshold: np.ndarray  # float32 (private dissent needed to speak out alone)
    # Case state.
    step_struggle_due: np.ndarray  # int16, -1 = no pending case
    n_times_accused: np.ndarray  # uint8
    # Events of the current step (reset at its start), read by the observers.
    n_sessions_attended: np.ndarray  # uint8
    n_lapses: np.ndarray  # uint8
    n_detected: np.ndarray  # uint8
    n_warnings: np.ndarray  # uint8
    is_accused_new: np.ndarray  # uint8 (a case opened this step)
    is_struggled: np.ndarray  # uint8 (stood accused at a struggle session this step)
    n_struggles_attended: np.ndarray  # uint8
    n_criticisms_sincere: np.ndarray  # uint8
    n_criticisms_false: np.ndarray  # uint8
    cynicism_next: np.ndarray  # float32 buffer for the simultaneous contagion update

    @property
    def n(self) -> int:
        return int(self.age_years.shape[0])

    def event_arrays(self) -> list[np.ndarray]:
        """Arrays holding this step's events."""
        return [
            self.n_sessions_attended,
            self.n_lapses,
            self.n_detected,
            self.n_warnings,
            self.is_accused_new,
            self.is_struggled,
            self.n_struggles_attended,
            self.n_criticisms_sincere,
            self.n_criticisms_false,
        ]

    def nbytes(self) -> int:
        return nbytes(self)


class Units(NamedTuple):
    """Per-unit arrays (work units and neighbourhood units)."""

    start: np.ndarray  # int64, length n_units + 1
    province_idx: np.ndarray  # uint8
    city_idx: np.ndarray  # int32
    kind: np.ndarray  # uint8, ENTERPRISE / OFFICE / NEIGHBOURHOOD
    venue: np.ndarray  # uint8, index into VENUES
    monitor_skill: np.ndarray  # float32
    n_sessions: np.ndarray  # uint8, this step
    struggle_orgs: np.ndarray  # uint8 bit mask of organisations holding a struggle this step
    struggle_several: np.ndarray  # uint8 bit mask: those whose session had 2+ accused
    n_caught: np.ndarray  # uint32: lapses the unit's monitors detected this step
    n_hidden: np.ndarray  # uint32: lapses they would have detected but concealment hid

    @property
    def n(self) -> int:
        return int(self.province_idx.shape[0])

    def nbytes(self) -> int:
        return nbytes(self)


class Households(NamedTuple):
    """Per-household arrays (A1, A2, A9)."""

    wealth: np.ndarray  # float32, heavy-tailed
    wealth_quintile: np.ndarray  # uint8, 0 = poorest fifth
    wealth_rank: np.ndarray  # float32 in [0, 1]
    has_soldier_abroad: np.ndarray  # bool
    is_hero_family: np.ndarray  # bool

    def nbytes(self) -> int:
        return nbytes(self)


class AmnestyState(NamedTuple):
    """Per-person arrays of the amnesty subsystem (A5-A10): legal status and its history."""

    status: np.ndarray  # uint8: FREE, CUSTODY, SUPERVISED
    offence: np.ndarray  # int8: category of the current or last conviction, -1 none
    sentence_weeks: np.ndarray  # int16
    served_weeks: np.ndarray  # int16
    labour: np.ndarray  # float32 in [0, 1]
    reeducation: np.ndarray  # float32 in [0, 1]
    is_self_reported: np.ndarray  # uint8: the current conviction came from self-reporting
    hidden_offence: np.ndarray  # uint8: 1 + category of an undetected sensitive offence, 0 none
    supervision_left: np.ndarray  # int16 weeks
    step_released: np.ndarray  # int16, -1 = never
    is_rearrested_12m: np.ndarray  # uint8: re-arrested within 52 weeks of the last release
    step_denied: np.ndarray  # int16: last review that found the person qualified but denied, -1
    # Events of the current step.
    offence_now: np.ndarray  # int8: category committed this week, -1 none
    is_arrested: np.ndarray  # uint8 (1 arrest, 2 re-arrest of a supervised person)
    is_self_report: np.ndarray  # uint8
    release_channel: np.ndarray  # uint8: NO_CHANNEL, 1 + CHANNELS index, SENTENCE_SERVED
    is_reviewed: np.ndarray  # uint8
    is_passed_rules: np.ndarray  # uint8: met the committee's rules (A5, A6, A8) at a review
    is_refused_on_score: np.ndarray  # uint8: met the rules, scored below the cutoff, not released
    is_qualified_denied: np.ndarray  # uint8
    is_violation: np.ndarray  # uint8 (committed a violation under supervision)
    remaining_at_release: np.ndarray  # int16 weeks of sentence left when released

    def event_arrays(self) -> list[np.ndarray]:
        return [
            self.is_arrested,
            self.is_self_report,
            self.release_channel,
            self.is_reviewed,
            self.is_passed_rules,
            self.is_refused_on_score,
            self.is_qualified_denied,
            self.is_violation,
            self.remaining_at_release,
        ]

    def nbytes(self) -> int:
        return nbytes(self)


class ReviewOutcome(NamedTuple):
    """What one amnesty review did (A1-A9), for perception and the self-report incentive."""

    released: np.ndarray  # person indices
    channel: np.ndarray  # channel code per released person
    denied: np.ndarray  # person indices of the qualified but denied
    self_reported_reviewed: int
    self_reported_released: int


@dataclass
class State:
    """Everything that changes during a run."""

    people: People
    units: Units
    n_households: int
    households: Households
    amnesty: AmnestyState
    self_report_boost: float = 0.0
    step: int = 0
    review: ReviewOutcome | None = None  # the amnesty review of this week, if any

    def swap_cynicism(self) -> None:
        """Make this week's contagion result current (the double buffer of C10)."""
        ppl = self.people
        self.people = ppl._replace(cynicism=ppl.cynicism_next, cynicism_next=ppl.cynicism)
