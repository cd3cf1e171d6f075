"""A round: its lifecycle, its timetable and the groups the matcher made for it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from pairing_core.programme import GENERAL

__all__ = [
    "CheckInAnswer",
    "Group",
    "Round",
    "RoundChoice",
    "RoundState",
    "SatOut",
    "STEP_ORDER",
    "group_mixes_organisations",
    "mixes_organisations",
]


class RoundState(StrEnum):
    SCHEDULED = "scheduled"
    MATCHED = "matched"
    INTRODUCED = "introduced"
    CHECKED_IN = "checked-in"  # the half-way "did you meet?" has been sent
    NUDGED = "nudged"  # groups that had not answered it were reminded once
    REFLECTING = "reflecting"  # the reflection prompt has been sent
    CLOSED = "closed"
    SKIPPED = "skipped"


# The order a round moves through; a step only ever moves a round forward along it.
STEP_ORDER = (
    RoundState.SCHEDULED,
    RoundState.MATCHED,
    RoundState.INTRODUCED,
    RoundState.CHECKED_IN,
    RoundState.NUDGED,
    RoundState.REFLECTING,
    RoundState.CLOSED,
)


class RoundChoice(StrEnum):
    """What a member said about one coming round (from its heads-up, or typed)."""

    SKIP = "skip"  # leave me out of this round only
    IN = "in"  # count me in (undoes a skip; opts in when the programme is opt-in)


class CheckInAnswer(StrEnum):
    MET = "met"
    BOOKED = "booked"
    NOT_THIS_TIME = "not-this-time"

    @property
    def rank(self) -> int:
        """Order the answers: "met" beats "booked", which beats "not this time"."""
        return _CHECKIN_RANK[self]


_CHECKIN_RANK = {CheckInAnswer.NOT_THIS_TIME: 0, CheckInAnswer.BOOKED: 1, CheckInAnswer.MET: 2}


def mixes_organisations(organisations: Iterable[str | None]) -> bool:
    """Return True when at least 2 distinct non-blank organisations are among ``organisations``."""
    return len({(o or "").strip() for o in organisations} - {""}) >= 2


@dataclass
class Group:
    """Members introduced to each other in one round.

    ``cross_organisation`` records, when the matcher made the group, whether its members came
    from at least 2 organisations; None for groups stored before that was recorded. It is kept
    as it was when members later move organisation, leave or are erased.

    ``departed`` are members who left the programme while the round ran: rejoining does not
    bring them back into this group (they stay in ``members``, which is the round's history).
    """

    index: int
    members: tuple[str, ...]
    checkin: CheckInAnswer | None = None
    checkin_by: str | None = None
    cross_organisation: bool | None = None
    departed: frozenset[str] = frozenset()
    # When the suggested slot the group booked starts (``book N``); None: none booked.
    booked_slot_at: datetime | None = None

    def has(self, member_id: str) -> bool:
        return member_id in self.members

    def keeps(self, member_id: str) -> bool:
        """True when the member is in the group and did not leave it mid-round."""
        return member_id in self.members and member_id not in self.departed


def group_mixes_organisations(group: Group, organisations: Mapping[str, str | None]) -> bool:
    """Return whether the group mixed organisations: as recorded on it, else by ``organisations``.

    Groups stored before the flag was recorded fall back to the members' current organisations.
    """
    if group.cross_organisation is not None:
        return group.cross_organisation
    return mixes_organisations(organisations.get(m) for m in group.members)


@dataclass(frozen=True)
class SatOut:
    """A member who was available but could not be grouped, and why (told to them)."""

    member_id: str
    reason: str


@dataclass
class Round:
    """One round of a programme, numbered from 1 within it."""

    community_id: str
    number: int
    state: RoundState
    intro_at: datetime
    checkin_at: datetime
    reflection_at: datetime
    close_at: datetime
    groups: list[Group] = field(default_factory=list)
    sat_out: list[SatOut] = field(default_factory=list)
    seed: int | None = None
    programme_id: str = GENERAL
    # when the heads-up step ran (sent, or passed over as missed); None: not yet
    announced_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.state not in (RoundState.CLOSED, RoundState.SKIPPED)

    def group_of(self, member_id: str) -> Group | None:
        return next((g for g in self.groups if g.has(member_id)), None)

    def has_reached(self, state: RoundState) -> bool:
        """True once the round is at ``state`` or beyond it."""
        if self.state is RoundState.SKIPPED:
            return False
        return STEP_ORDER.index(self.state) >= STEP_ORDER.index(state)
