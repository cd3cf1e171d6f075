"""Tell a community's admins, once per member, that someone does not accept direct messages."""

from __future__ import annotations

from collections.abc import Iterable

from pairing_core.message import Message
from pairing_core.services.admin_notices import queue_for_admins
from pairing_core.services.context import Services
from pairing_core.texts import mention

__all__ = ["report_closed_dms"]


async def report_closed_dms(
    services: Services,
    community_id: str,
    member_ids: Iterable[str],
    fallback_admins: Iterable[str] = (),
) -> int:
    """Queue one notice per admin per member (never repeated); return how many were queued.

    ``fallback_admins`` (e.g. the server owner) are told when the community names no admins.
    """
    uow, queued = services.uow, 0
    async with uow:
        community = await uow.communities.get(community_id)
        if community is None:
            return 0
        # the community's admins and every programme's: a closed DM matters to all of them
        every = set(community.settings.admins)
        for programme in await uow.programmes.list(community_id):
            every |= programme.settings.admins
        admins = sorted(every) or sorted(set(fallback_admins))
        now = services.clock.now()
        for member in sorted(set(member_ids)):
            notice = Message(
                f"{mention(member)} doesn't accept direct messages from this server, so I "
                "gave them their UnMentoring messages in a private thread instead. They can "
                "allow DMs from server members in the server's privacy settings."
            )
            others = [admin for admin in admins if admin != member]
            queued += await queue_for_admins(
                uow, community_id, others, f"dms-closed:{member}", notice, now
            )
        await uow.commit()
    return queued
