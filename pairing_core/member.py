"""Members of a community's pot, and the pairs they must never be grouped in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pairing_core.programme import GENERAL

__all__ = ["Block", "BlockKind", "Member", "MemberStatus"]


class MemberStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"
    OPTED_OUT = "opted-out"  # by an admin; only an admin can opt them back in
    ERASED = "erased"  # personal data erased; only a pseudonym and the dates remain


@dataclass
class Member:
    """A person of the community in one of its programmes (or who was, and left it).

    The person (``display_name``, ``organisation``, ``contact``) is one across the community;
    ``status``, ``paused_until``, ``joined_at`` and ``left_at`` are their membership of
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
