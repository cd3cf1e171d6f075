"""Tell a community's admins, once per member, that someone does not accept direct messages."""

from __future__ import annotations

from collections.abc import Iterable

from pairing_core.message import Message
from pairing_core.services.admin_notices import notify_admins_of_members
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
    return await notify_admins_of_members(
        services,
        community_id,
        member_ids,
        "dms-closed",
        lambda member: Message(
            f"{mention(member)} doesn't accept direct messages from this server, so I "
            "gave them their UnMentoring messages in a private thread instead. They can "
            "allow DMs from server members in the server's privacy settings."
        ),
        fallback_admins,
    )
