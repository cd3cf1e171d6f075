"""Membership bound to the platform: joining a Slack channel or gaining a Discord role opts in.

An admin binds a programme to a channel (Slack) or a role (Discord); the adapters report
people joining or leaving it, and these use cases run the same join and leave as the commands,
so the replies and rules are the same (an opted-out member stays out).
"""

from __future__ import annotations

from pairing_core import commands as c
from pairing_core.errors import DomainError
from pairing_core.message import Message
from pairing_core.programme import Programme
from pairing_core.services.context import Actor, Services
from pairing_core.services.membership import join_pool, leave_pool

__all__ = ["bound_programmes", "joined_binding", "left_binding"]


async def bound_programmes(
    services: Services, community_id: str, *, channel: str | None = None, role: str | None = None
) -> list[Programme]:
    """Return the running programmes bound to ``channel`` or ``role``."""
    async with services.uow:
        programmes = await services.uow.programmes.list(community_id)
    return [
        p
        for p in programmes
        if p.active
        and (
            (channel is not None and p.channel == channel) or (role is not None and p.role == role)
        )
    ]


async def joined_binding(
    services: Services,
    community_id: str,
    actor: Actor,
    *,
    channel: str | None = None,
    role: str | None = None,
) -> list[Message]:
    """Opt the person into every programme bound to the channel they joined or role they got.

    One programme refusing (an admin opted them out of it) leaves the others to join.
    """
    replies: list[Message] = []
    for p in await bound_programmes(services, community_id, channel=channel, role=role):
        try:
            replies.append(
                await join_pool(c.JoinPool(programme_id=p.id), actor, community_id, services)
            )
        except DomainError as refusal:
            replies.append(Message(str(refusal)))
    return replies


async def left_binding(
    services: Services,
    community_id: str,
    actor: Actor,
    *,
    channel: str | None = None,
    role: str | None = None,
) -> list[Message]:
    """Opt the person out of every programme bound to the channel they left or role they lost."""
    replies: list[Message] = []
    for p in await bound_programmes(services, community_id, channel=channel, role=role):
        try:
            replies.append(
                await leave_pool(c.LeavePool(programme_id=p.id), actor, community_id, services)
            )
        except DomainError as refusal:
            replies.append(Message(str(refusal)))
    return replies
