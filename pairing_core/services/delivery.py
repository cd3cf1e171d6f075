"""Send what the outbox holds through the chat platform, once each, retrying what can be retried."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from pairing_core.message import Message, OutboxItem, OutboxStatus, Target, TargetKind
from pairing_core.ports import ChatPlatform, DeliveryError, UnitOfWork
from pairing_core.services.context import Services
from pairing_core.texts import mention

__all__ = ["DeliveryReport", "deliver_pending", "MAX_ATTEMPTS"]

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
_BASE_BACKOFF = timedelta(seconds=5)
_MAX_BACKOFF = timedelta(hours=1)


@dataclass
class DeliveryReport:
    sent: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


async def _conversation(item: OutboxItem, uow: UnitOfWork, platform: ChatPlatform) -> str:
    if item.conversation_id:
        return item.conversation_id
    opener_key = item.extra.get("conversation_key")
    if opener_key:
        opener = await uow.outbox.get(item.community_id, str(opener_key))
        if opener is not None and opener.conversation_id:
            return opener.conversation_id
    return await platform.open_group(item.community_id, item.target.ids)


async def _send(item: OutboxItem, uow: UnitOfWork, platform: ChatPlatform) -> None:
    if item.target.kind is TargetKind.GROUP:
        item.conversation_id = await _conversation(item, uow, platform)
        await platform.send(item.community_id, item.conversation_id, item.message)
    elif item.target.kind is TargetKind.MEMBER:
        await platform.send_direct(item.community_id, item.target.ids[0], item.message)
    else:
        await platform.post_to_channel(item.community_id, item.target.ids[0], item.message)


async def _tell_admins(uow: UnitOfWork, item: OutboxItem) -> None:
    """Queue one notice per admin about a message that could not be delivered."""
    if item.key.startswith("failed:"):
        return  # never report the failure of a failure report
    community = await uow.communities.get(item.community_id)
    if community is None:
        return
    who = (
        ", ".join(mention(i) for i in item.target.ids)
        if item.target.kind is not TargetKind.CHANNEL
        else f"<#{item.target.ids[0]}>"
    )
    notice = Message(
        f"I couldn't deliver a message ({item.key}) to {who}: {item.last_error}. "
        "Please check and follow up by hand if needed."
    )
    for admin in sorted(community.settings.admins):
        await uow.outbox.add(
            OutboxItem(
                item.community_id,
                f"failed:{item.key}:{admin}",
                Target.member(admin),
                notice,
                created_at=item.created_at,
            )
        )


async def deliver_pending(
    services: Services, platform: ChatPlatform, limit: int = 100
) -> DeliveryReport:
    """Send due outbox items; mark each sent, retry later, or failed with its reason."""
    uow, report = services.uow, DeliveryReport()
    now = services.clock.now()
    async with uow:
        batch = await uow.outbox.pending(now, limit)
    for queued in batch:
        async with uow:
            item = await uow.outbox.get(queued.community_id, queued.key)
            if item is None or item.status is not OutboxStatus.PENDING:
                continue
            item.attempts += 1
            try:
                await _send(item, uow, platform)
            except DeliveryError as error:
                item.last_error = error.reason
                if error.permanent or item.attempts >= MAX_ATTEMPTS:
                    item.status = OutboxStatus.FAILED
                    log.warning("gave up delivering %s: %s", item.key, error.reason)
                    await _tell_admins(uow, item)
                    report.failed.append(item.key)
                else:
                    wait = (
                        timedelta(seconds=error.retry_after)
                        if error.retry_after is not None
                        else min(_BASE_BACKOFF * 2 ** (item.attempts - 1), _MAX_BACKOFF)
                    )
                    item.not_before = now + wait
                    log.info("will retry %s in %s: %s", item.key, wait, error.reason)
                    report.retrying.append(item.key)
            else:
                item.status, item.sent_at, item.last_error = (
                    OutboxStatus.SENT,
                    services.clock.now(),
                    None,
                )
                report.sent.append(item.key)
            await uow.outbox.save(item)
            await uow.commit()
    return report
