"""A community with many members, stored straight through the repositories."""

from __future__ import annotations

from datetime import datetime

from bot.bootstrap import open_storage
from bot.config import Settings
from pairing_core.member import Member, MemberStatus
from pairing_core.programme import ProgrammeSettings
from pairing_core.services.community_setup import ensure_community

COMMUNITY = "http:T1"


async def seed_community(
    settings: Settings,
    now: datetime,
    members: int,
    community: str = COMMUNITY,
    platform: str = "http",
    community_settings: ProgrammeSettings | None = None,
) -> None:
    """Create the community (round 1 scheduled) and ``members`` active members."""
    async with open_storage(settings) as storage:
        await ensure_community(
            storage.uow,
            now,
            community,
            platform,
            "Load test network",
            community_settings
            # nobody answers in these runs: quiet members would be paused after 3 rounds, and
            # the rounds after that would have nobody left to group
            or ProgrammeSettings(
                admins=frozenset({"admin"}), reflections_channel="CREFL", quiet_after=None
            ),
        )
        async with storage.uow as uow:
            for n in range(members):
                await uow.members.add(
                    Member(
                        community_id=community,
                        member_id=f"u{n:04}",
                        display_name=f"Person {n}",
                        joined_at=now,
                        status=MemberStatus.ACTIVE,
                        organisation=f"org{n % 7}",
                    )
                )
            await uow.commit()
