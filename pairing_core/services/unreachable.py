"""Tell a community's admins, once per person, that the platform will not deliver to someone."""

from __future__ import annotations

from collections.abc import Iterable

from pairing_core.message import Message
from pairing_core.services.admin_notices import queue_for_admins
from pairing_core.services.context import Services
from pairing_core.texts import mention

__all__ = ["report_unreachable"]


async def report_unreachable(
    services: Services, community_id: str, member_ids: Iterable[str]
) -> int:
    """Queue one notice per admin per person (never repeated); return how many were queued.

    Said for a platform (Teams) where a bot reaches only people who have the app: a guest, or
    someone who removed or blocked the app, gets nothing until an admin follows up by hand.
    """
    uow, queued = services.uow, 0
    async with uow:
        community = await uow.communities.get(community_id)
        if community is None:
            return 0
        every = set(community.settings.admins)
        for programme in await uow.programmes.list(community_id):
            every |= programme.settings.admins
        now = services.clock.now()
        for member in sorted(set(member_ids)):
            notice = Message(
                f"I can't reach {mention(member)} on this platform (a guest account, or the "
                "UnMentoring app is not installed for them or blocked), so they miss their "
                "UnMentoring messages. Please ask them to add the app, or follow up by hand."
            )
            others = sorted(admin for admin in every if admin != member)
            queued += await queue_for_admins(
                uow, community_id, others, f"unreachable:{member}", notice, now
            )
        await uow.commit()
    return queued
