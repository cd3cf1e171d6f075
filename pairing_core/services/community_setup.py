"""Create a community the first time it is seen, with its first round on the calendar."""

from __future__ import annotations

from datetime import datetime

from pairing_core.community import Community, CommunitySettings
from pairing_core.errors import UnknownCommunity
from pairing_core.ports import UnitOfWork
from pairing_core.round import Round, RoundState
from pairing_core.schedule import next_slot, timetable_from
from pairing_core.typed_input import COMMUNITY_NAME, tidied

__all__ = ["ensure_community", "load_community", "schedule_round"]


def schedule_round(community: Community, number: int, intro_at: datetime) -> Round:
    """Return a new scheduled round starting at ``intro_at``."""
    times = timetable_from(community.settings, intro_at)
    return Round(
        community_id=community.id,
        number=number,
        state=RoundState.SCHEDULED,
        intro_at=times.intro_at,
        checkin_at=times.checkin_at,
        reflection_at=times.reflection_at,
        close_at=times.close_at,
    )


async def ensure_community(
    uow: UnitOfWork,
    now: datetime,
    community_id: str,
    platform: str,
    name: str,
    settings: CommunitySettings | None = None,
) -> Community:
    """Return the community, creating it (and scheduling round 1) on first sight."""
    async with uow:
        existing = await uow.communities.get(community_id)
        if existing is not None:
            return existing
        community = Community(
            id=community_id,
            platform=platform,
            name=tidied(COMMUNITY_NAME, name, community_id),
            created_at=now,
            settings=settings or CommunitySettings(),
        )
        if not await uow.communities.add(community):
            # another process created it a moment ago (e.g. two replicas, one new workspace)
            stored = await uow.communities.get(community_id)
            assert stored is not None
            return stored
        first = schedule_round(community, 1, next_slot(community.settings, now))
        await uow.rounds.add(first)
        await uow.commit()
        return community


async def load_community(uow: UnitOfWork, community_id: str) -> Community:
    """Return a stored community (inside an open unit of work) or raise ``UnknownCommunity``."""
    community = await uow.communities.get(community_id)
    if community is None:
        raise UnknownCommunity(f"This community ({community_id}) is not set up yet.")
    return community
