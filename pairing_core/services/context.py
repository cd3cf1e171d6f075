"""What every use case is handed: storage, a clock, randomness, and who is asking."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from pairing_core.ports import ChartRenderer, Clock, UnitOfWork

__all__ = ["Actor", "Services"]


@dataclass(frozen=True)
class Actor:
    """The person behind a command; ``platform_admin`` is a workspace/server admin or owner.

    ``roles`` are the platform role ids the person holds, matched against the admin role setting.
    ``timezone`` is the IANA zone the platform says the person is in (Slack's profile), if any.
    """

    member_id: str
    display_name: str
    platform_admin: bool = False
    roles: frozenset[str] = frozenset()
    timezone: str | None = None


@dataclass
class Services:
    """Collaborators injected by the composition root (or by tests, as fakes)."""

    uow: UnitOfWork
    clock: Clock
    rng: random.Random
    retention_days: int = 180  # members who left are erased this long after leaving
    charts: ChartRenderer | None = None  # draws outcome charts; without it stats are text only
    # Told that a programme's timetable has just changed here (settings, a round run or skipped,
    # a programme created or archived), so a scheduler can move its next step at once instead
    # of at its next resync. Called with the community id and the programme id.
    schedule_changed: Callable[[str, str], None] | None = None

    def timetable_changed(self, community_id: str, programme_id: str) -> None:
        if self.schedule_changed is not None:
            self.schedule_changed(community_id, programme_id)
