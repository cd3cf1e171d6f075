"""Create a community the first time it is seen, with its first programme and round on the calendar."""

from __future__ import annotations

from datetime import datetime

from pairing_core.community import Community, CommunitySettings
from pairing_core.errors import UnknownCommunity, UnknownProgramme
from pairing_core.ports import UnitOfWork
from pairing_core.programme import GENERAL, Programme, ProgrammeSettings
from pairing_core.round import Round, RoundState
from pairing_core.schedule import next_slot, timetable_from
from pairing_core.typed_input import COMMUNITY_NAME, tidied

__all__ = ["ensure_community", "load_community", "load_programme", "schedule_round"]


def schedule_round(programme: Programme, number: int, intro_at: datetime) -> Round:
    """Return a new scheduled round of the programme starting at ``intro_at``."""
    times = timetable_from(programme.settings, intro_at)
    return Round(
        community_id=programme.community_id,
        number=number,
        state=RoundState.SCHEDULED,
        intro_at=times.intro_at,
        checkin_at=times.checkin_at,
        reflection_at=times.reflection_at,
        close_at=times.close_at,
        programme_id=programme.id,
    )


async def ensure_community(
    uow: UnitOfWork,
    now: datetime,
    community_id: str,
    platform: str,
    name: str,
    settings: ProgrammeSettings | None = None,
    community_settings: CommunitySettings | None = None,
) -> Community:
    """Return the community, creating it on first sight with its "general" programme (``settings``)
    and that programme's round 1 scheduled."""
    async with uow:
        existing = await uow.communities.get(community_id)
        if existing is not None:
            return existing
        community = Community(
            id=community_id,
            platform=platform,
            name=tidied(COMMUNITY_NAME, name, community_id),
            created_at=now,
            settings=community_settings or CommunitySettings(),
        )
        if not await uow.communities.add(community):
            # another process created it a moment ago (e.g. two replicas, one new workspace)
            stored = await uow.communities.get(community_id)
            assert stored is not None
            return stored
        general = Programme(community_id, GENERAL, GENERAL, now, settings or ProgrammeSettings())
        await uow.programmes.add(general)
        await uow.rounds.add(schedule_round(general, 1, next_slot(general.settings, now)))
        await uow.commit()
        return community


async def load_community(uow: UnitOfWork, community_id: str) -> Community:
    """Return a stored community (inside an open unit of work) or raise ``UnknownCommunity``."""
    community = await uow.communities.get(community_id)
    if community is None:
        raise UnknownCommunity(f"This community ({community_id}) is not set up yet.")
    return community


async def load_programme(uow: UnitOfWork, community_id: str, programme_id: str) -> Programme:
    """Return a stored programme (inside an open unit of work) or raise ``UnknownProgramme``."""
    programme = await uow.programmes.get(community_id, programme_id)
    if programme is None:
        raise UnknownProgramme(f"This programme ({programme_id}) does not exist here.")
    return programme
