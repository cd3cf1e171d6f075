"""Members of a community's pot, and the pairs they must never be grouped in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from pairing_core.errors import InvalidSetting
from pairing_core.programme import GENERAL
from pairing_core.working_hours import DEFAULT_WORK_END, DEFAULT_WORK_START, checked_timezone

__all__ = ["TIMEZONE_SYNC_INTERVAL", "Block", "BlockKind", "Member", "MemberStatus"]

# How long a zone taken from the platform (Slack's profile) stands before it is taken again.
TIMEZONE_SYNC_INTERVAL = timedelta(days=1)


class MemberStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"
    OPTED_OUT = "opted-out"  # by an admin; only an admin can opt them back in
    ERASED = "erased"  # personal data erased; only a pseudonym and the dates remain


@dataclass
class Member:
    """A person of the community in one of its programmes (or who was, and left it).

    The person (``display_name``, ``organisation``, ``contact``, ``about``, ``timezone``,
    ``work_start`` and ``work_end``) is one across the community; ``timezone`` is an IANA name
    (None: the programme's), ``timezone_synced_at`` when it was last taken from the platform (None:
    set by the person's command, or never taken), the working hours are local times on weekdays. ``status``, ``paused_until``, ``joined_at`` and ``left_at`` are their membership of
    ``programme_id``.
    """

    community_id: str
    member_id: str
    display_name: str
    joined_at: datetime
    status: MemberStatus = MemberStatus.ACTIVE
    organisation: str | None = None
    contact: str | None = None
    paused_until: date | None = None
    left_at: datetime | None = None
    programme_id: str = GENERAL
    about: str | None = None
    timezone: str | None = None
    work_start: time = DEFAULT_WORK_START
    work_end: time = DEFAULT_WORK_END
    timezone_synced_at: datetime | None = None

    def take_profile_of(self, person: Member) -> None:
        """Take the person's about line, time zone and working hours (for a new membership)."""
        self.about, self.timezone = person.about, person.timezone
        self.timezone_synced_at = person.timezone_synced_at
        self.work_start, self.work_end = person.work_start, person.work_end

    def adopt_timezone(self, platform_timezone: str | None, now: datetime) -> bool:
        """Take the platform's zone unless the person set theirs by command (which wins for
        good), at most once a ``TIMEZONE_SYNC_INTERVAL``; return whether anything changed."""
        set_by_command = self.timezone is not None and self.timezone_synced_at is None
        if set_by_command or not platform_timezone:
            return False
        synced = self.timezone_synced_at
        if synced is not None and now - synced < TIMEZONE_SYNC_INTERVAL:
            return False
        try:
            self.timezone = checked_timezone(platform_timezone)
        except InvalidSetting:
            return False  # a zone this system does not know: the programme's (or the last) is used
        self.timezone_synced_at = now
        return True

    def set_timezone_by_command(self, zone: str | None) -> None:
        """Store the zone the person chose; None clears it and lets the platform's be taken again."""
        self.timezone, self.timezone_synced_at = zone, None

    @property
    def takes_part(self) -> bool:
        """True while the member is in the programme; a pause keeps them in it, leaving does not."""
        return self.status in (MemberStatus.ACTIVE, MemberStatus.PAUSED)

    def is_available(self, on: date) -> bool:
        """True when the member should be grouped in a round starting on ``on``."""
        if self.status is MemberStatus.ACTIVE:
            return True
        return (
            self.status is MemberStatus.PAUSED
            and self.paused_until is not None
            and self.paused_until <= on
        )


class BlockKind(StrEnum):
    MEMBER = "member"  # private to its author
    ADMIN = "admin"


@dataclass(frozen=True)
class Block:
    """Two members who must never share a group. ``author`` is the member who asked, or the admin."""

    community_id: str
    first: str
    second: str
    kind: BlockKind
    author: str

    def __post_init__(self) -> None:
        if self.first == self.second:
            raise ValueError("a block needs two different members")
        if self.first > self.second:
            # one canonical order, so the same pair is stored once
            a, b = self.second, self.first
            object.__setattr__(self, "first", a)
            object.__setattr__(self, "second", b)

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.first, self.second))
