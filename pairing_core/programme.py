"""A programme: one pool of a community, with its own people, rules and rhythm.

A community (workspace or server) holds one or more programmes; rounds, history and outcome
figures belong to a programme. A community that never made a second one has only "general",
and nobody needs to name it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pairing_core.community import Community
from pairing_core.errors import InvalidSetting

__all__ = [
    "Cadence",
    "GENERAL",
    "GROUP_SIZES",
    "HEADS_UP_DAYS_LIMIT",
    "MAX_PROGRAMMES",
    "NAME_LIMIT",
    "NUDGE_DAYS_LIMIT",
    "QUIET_AFTER_LIMIT",
    "Programme",
    "ProgrammeSettings",
    "RoundMode",
    "WEEKDAYS",
    "checked_programme_name",
    "programme_key",
    "programme_of_key",
]

GROUP_SIZES = (2, 3, 4)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The id of the programme every community starts with (and existing data moved into).
GENERAL = "general"
NAME_LIMIT = 40  # characters; ``typed_input.PROGRAMME_NAME`` holds it for every way in
NUDGE_DAYS_LIMIT = 14
QUIET_AFTER_LIMIT = 12
HEADS_UP_DAYS_LIMIT = 6  # under a week, so a weekly round's heads-up follows the round before
MAX_PROGRAMMES = 50  # per community, archived ones included: each has a scheduler job
# One word, so `join data Devon CC` reads unambiguously as programme "data", organisation "Devon CC".
_NAME = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9_-]{{0,{NAME_LIMIT - 1}}}$")


class Cadence(StrEnum):
    """How often a programme runs a round."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    FOUR_WEEKLY = "every-4-weeks"

    @property
    def days(self) -> int:
        return {Cadence.WEEKLY: 7, Cadence.FORTNIGHTLY: 14, Cadence.FOUR_WEEKLY: 28}[self]

    @property
    def length(self) -> timedelta:
        return timedelta(days=self.days)


class RoundMode(StrEnum):
    """Who a round matches: every active member, or only those who said they're in."""

    ALWAYS = "always"
    OPT_IN = "opt-in"


def checked_programme_name(name: str) -> str:
    """Return ``name`` if it can name a programme, else raise ``InvalidSetting`` saying why."""
    if not _NAME.match(name):
        raise InvalidSetting(
            f"A programme name is one word of up to {NAME_LIMIT} letters, digits, - or _ "
            "(for example: data, new-starters)."
        )
    return name


@dataclass(frozen=True)
class ProgrammeSettings:
    """What an admin can configure per programme; validated on construction."""

    cadence: Cadence = Cadence.FORTNIGHTLY
    weekday: int = 0  # 0 = Monday, as datetime.weekday()
    local_time: time = time(9, 30)
    timezone: str = "Europe/London"
    reflections_channel: str | None = None
    group_size: int = 2
    admins: frozenset[str] = field(default_factory=frozenset)  # of this programme only
    prefer_cross_org: bool = True
    intros_channel: str | None = None  # Discord: where groups get their threads
    # days after the check-in that a group with no answer gets one reminder; None: no reminder
    nudge_days: int | None = 2
    # rounds in a row without a check-in answer or takeaway before a member is paused; None: never
    quiet_after: int | None = 3
    # days before a round's matching that each active member hears it is coming; None: no heads-up
    heads_up_days: int | None = 1
    mode: RoundMode = RoundMode.ALWAYS

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise InvalidSetting("The weekday must be one of monday … sunday.")
        if self.group_size not in GROUP_SIZES:
            raise InvalidSetting("The group size must be 2, 3 or 4.")
        if self.nudge_days is not None and not 1 <= self.nudge_days <= NUDGE_DAYS_LIMIT:
            raise InvalidSetting(f"nudge is a number of days from 1 to {NUDGE_DAYS_LIMIT}, or off.")
        if self.quiet_after is not None and not 2 <= self.quiet_after <= QUIET_AFTER_LIMIT:
            raise InvalidSetting(
                f"quiet-after is a number of rounds from 2 to {QUIET_AFTER_LIMIT}, or off."
            )
        if self.heads_up_days is not None and not 1 <= self.heads_up_days <= HEADS_UP_DAYS_LIMIT:
            raise InvalidSetting(
                f"heads-up is a number of days from 1 to {HEADS_UP_DAYS_LIMIT}, or off."
            )
        if self.local_time.tzinfo is not None:
            raise InvalidSetting("The time of day is local to the programme's timezone.")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise InvalidSetting(
                f"Unknown timezone {self.timezone!r}: use an IANA name such as Europe/London."
            ) from error

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def replace(self, **changes: object) -> ProgrammeSettings:
        """Return a copy with some settings changed (validated again)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass
class Programme:
    """One pool of a community. ``id`` never changes (keys and history use it); ``name`` may.

    ``channel`` (Slack) or ``role`` (Discord) binds membership to the platform: joining the
    channel or gaining the role opts in, leaving it or losing the role opts out.
    """

    community_id: str
    id: str
    name: str
    created_at: datetime
    settings: ProgrammeSettings = field(default_factory=ProgrammeSettings)
    archived_at: datetime | None = None
    channel: str | None = None
    role: str | None = None

    @property
    def active(self) -> bool:
        return self.archived_at is None

    def is_admin(self, community: Community, member_id: str, roles: Collection[str] = ()) -> bool:
        """Say whether a member is an admin here: of the community, or of this programme."""
        return member_id in self.settings.admins or community.is_admin(member_id, roles)

    def told(self, community: Community) -> frozenset[str]:
        """Who hears about this programme's problems: its admins and the community's."""
        return community.settings.admins | self.settings.admins


_KEY_PREFIX = "programme:"


def programme_key(programme_id: str, key: str) -> str:
    """Key an outbox item of a programme; "general" keeps the keys items had before programmes."""
    return key if programme_id == GENERAL else f"{_KEY_PREFIX}{programme_id}:{key}"


def programme_of_key(key: str) -> str:
    """Return the programme an outbox key (from ``programme_key``) belongs to."""
    key = key.removeprefix("failed:")  # a failure notice's key wraps the failed item's
    programme_id, found, _ = key.removeprefix(_KEY_PREFIX).partition(":")
    return programme_id if key.startswith(_KEY_PREFIX) and found and programme_id else GENERAL
