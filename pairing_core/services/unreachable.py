"""Tell a community's admins, once per person, that the platform will not deliver to someone."""

from __future__ import annotations

from collections.abc import Iterable

from pairing_core.message import Message
from pairing_core.services.admin_notices import notify_admins_of_members
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
    return await notify_admins_of_members(
        services,
        community_id,
        member_ids,
        "unreachable",
        lambda member: Message(
            f"I can't reach {mention(member)} on this platform (a guest account, or the "
            "UnMentoring app is not installed for them or blocked), so they miss their "
            "UnMentoring messages. Please ask them to add the app, or follow up by hand."
        ),
    )
