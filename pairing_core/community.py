"""A community (one Slack workspace, Discord server or playground) and its settings."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pairing_core.errors import InvalidSetting

__all__ = ["Cadence", "Community", "CommunitySettings", "GROUP_SIZES", "WEEKDAYS"]

GROUP_SIZES = (2, 3, 4)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Cadence(StrEnum):
    """How often a community runs a round."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    FOUR_WEEKLY = "every-4-weeks"

    @property
    def days(self) -> int:
        return {Cadence.WEEKLY: 7, Cadence.FORTNIGHTLY: 14, Cadence.FOUR_WEEKLY: 28}[self]

    @property
    def length(self) -> timedelta:
        return timedelta(days=self.days)


@dataclass(frozen=True)
class CommunitySettings:
    """What an admin can configure; validated on construction so bad values never reach storage."""

    cadence: Cadence = Cadence.FORTNIGHTLY
    weekday: int = 0  # 0 = Monday, as datetime.weekday()
    local_time: time = time(9, 30)
    timezone: str = "Europe/London"
    reflections_channel: str | None = None
    group_size: int = 2
    admins: frozenset[str] = field(default_factory=frozenset)
    prefer_cross_org: bool = True
    admin_role: str | None = None  # a platform role id: members holding it are admins too

    def __post_init__(self) -> None:
        if self.admin_role is not None and not self.admin_role.strip():
            raise InvalidSetting("The admin role is a role, or none.")
        if not 0 <= self.weekday <= 6:
            raise InvalidSetting("The weekday must be one of monday … sunday.")
        if self.group_size not in GROUP_SIZES:
            raise InvalidSetting("The group size must be 2, 3 or 4.")
        if self.local_time.tzinfo is not None:
            raise InvalidSetting("The time of day is local to the community's timezone.")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise InvalidSetting(
                f"Unknown timezone {self.timezone!r}: use an IANA name such as Europe/London."
            ) from error

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def replace(self, **changes: object) -> CommunitySettings:
        """Return a copy with some settings changed (validated again)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass
class Community:
    """One place where UnMentoring runs: ``platform`` plus the platform's own id."""

    id: str
    platform: str
    name: str
    created_at: datetime
    settings: CommunitySettings = field(default_factory=CommunitySettings)

    def is_admin(self, member_id: str, roles: Collection[str] = ()) -> bool:
        """Say whether a member (holding ``roles`` on the platform) is one of this community's admins."""
        role = self.settings.admin_role
        return member_id in self.settings.admins or (role is not None and role in roles)
