"""Queue a notice for each of a community's admins, once per notice and admin."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pairing_core.message import Message, OutboxItem, Target
from pairing_core.ports import UnitOfWork

__all__ = ["queue_for_admins"]


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
