"""Queue a notice for each of a community's admins, once per notice and admin."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from pairing_core.message import Message, OutboxItem, Target
from pairing_core.ports import UnitOfWork
from pairing_core.services.context import Services

__all__ = ["notify_admins_of_members", "queue_for_admins"]


async def queue_for_admins(
    uow: UnitOfWork,
    community_id: str,
    admins: Iterable[str],
    key: str,
    message: Message,
    now: datetime,
) -> int:
    """Queue ``message`` for each admin inside an open unit of work; return how many were new.

    Each copy's outbox key is ``{key}:{admin}``, so queuing the same notice again is a no-op.
    """
    queued = 0
    for admin in sorted(set(admins)):
        item = OutboxItem(community_id, f"{key}:{admin}", Target.member(admin), message, now)
        queued += await uow.outbox.add(item)
    return queued


async def notify_admins_of_members(
    services: Services,
    community_id: str,
    member_ids: Iterable[str],
    key_prefix: str,
    notice: Callable[[str], Message],
    fallback_admins: Iterable[str] = (),
) -> int:
    """Tell every admin of the community and of its programmes, once per member, ``notice(member)``
    (keyed ``{key_prefix}:{member}``); return how many copies were queued.

    ``fallback_admins`` (e.g. a server's owner) are told when the community names no admins. A
    member who is an admin is not told about themselves.
    """
    uow, queued = services.uow, 0
    async with uow:
        community = await uow.communities.get(community_id)
        if community is None:
            return 0
        every = set(community.settings.admins)
        for programme in await uow.programmes.list(community_id):
            every |= programme.settings.admins
        admins = sorted(every) or sorted(set(fallback_admins))
        now = services.clock.now()
        for member in sorted(set(member_ids)):
            others = [admin for admin in admins if admin != member]
            queued += await queue_for_admins(
                uow, community_id, others, f"{key_prefix}:{member}", notice(member), now
            )
        await uow.commit()
    return queued
