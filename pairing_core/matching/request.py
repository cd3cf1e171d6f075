"""What the matcher is asked, and what it answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["MatchRequest", "MatchResult", "Unmatched"]


@dataclass(frozen=True)
class MatchRequest:
    """Everything the matcher may take into account for one round.

    ``history`` maps each pair that has shared a group to the latest round number they did, so
    older repeats can be preferred over recent ones. ``priority`` lists members who sat out the
    last round: they are grouped first. ``working_time`` holds each member's working window on
    the round's intro date (see ``criteria.working_window``); a member without one shares time
    with everyone. ``criteria`` states the order in which groupings are preferred.
    """

    members: Sequence[str]
    round_number: int
    group_size: int = 2
    history: Mapping[frozenset[str], int] = field(default_factory=dict)
    blocked: frozenset[frozenset[str]] = frozenset()
    organisations: Mapping[str, str | None] = field(default_factory=dict)
    prefer_cross_org: bool = True
    priority: frozenset[str] = frozenset()
    working_time: Mapping[str, tuple[datetime, datetime]] = field(default_factory=dict)


@dataclass(frozen=True)
class Unmatched:
    member_id: str
    reason: str  # "alone" | "blocked"


@dataclass(frozen=True)
class MatchResult:
    groups: tuple[tuple[str, ...], ...]
    unmatched: tuple[Unmatched, ...] = ()
