"""A community (one Slack workspace, Discord server or playground): the people and their admins.

Rounds run in its programmes (``pairing_core.programme``); what is set here holds in all of them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from pairing_core.errors import InvalidSetting

__all__ = ["Community", "CommunitySettings"]


@dataclass(frozen=True)
class CommunitySettings:
    """What holds across every programme of a community."""

    admins: frozenset[str] = field(default_factory=frozenset)  # admins of every programme
    admin_role: str | None = None  # a platform role id: members holding it are admins too
    # Repeat avoidance counts meetings in every programme, not only the one being matched.
    shared_history: bool = False

    def __post_init__(self) -> None:
        if self.admin_role is not None and not self.admin_role.strip():
            raise InvalidSetting("The admin role is a role, or none.")

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
        """Say whether a member (holding ``roles`` on the platform) is an admin of every programme."""
        role = self.settings.admin_role
        return member_id in self.settings.admins or (role is not None and role in roles)
