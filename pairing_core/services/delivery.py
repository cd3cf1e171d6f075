"""Send what the outbox holds through the chat platform, once each, retrying what can be retried."""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from pairing_core.message import (
    SENT_REF,
    Message,
    OutboxItem,
    OutboxStatus,
    TargetKind,
    escape_markup,
)
from pairing_core.pacing import CONVERSATION_KEY, next_call_of
from pairing_core.ports import ChatPlatform, DeliveryError, UnitOfWork
from pairing_core.programme import programme_of_key
from pairing_core.services.admin_notices import queue_for_admins
from pairing_core.services.context import Services
from pairing_core.texts import mention

__all__ = [
    "DELIVERY_KEY",
    "EARLIER_ATTEMPT",
    "LEASE",
    "MAX_ATTEMPTS",
    "DeliveryReport",
    "deliver_pending",
]

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
_BASE_BACKOFF = timedelta(seconds=5)
_MAX_BACKOFF = timedelta(hours=1)
# Longer than any send can take (the adapters time out well before): a claim is never taken over
# while its worker may still be sending. Renewed as each item's send starts, so it bounds one send,
# not a whole batch. A worker that died is usually found out sooner: the storage adapter knows
# when a lease's holder is gone (on PostgreSQL, its advisory lock is free) and takes it over then.
LEASE = timedelta(minutes=5)

# While an item is being sent: "<community>/<outbox key>". A platform that accepts idempotency keys
# passes it on (HTTP's Idempotency-Key, Discord's nonce, Slack's message metadata), so a send
# repeated after a crash between sending and recording it is not shown twice.
DELIVERY_KEY: ContextVar[str | None] = ContextVar("DELIVERY_KEY", default=None)

# While an item is being sent: when an earlier attempt at it started, if that attempt may have
# reached the platform (it began and no outcome was stored, or it failed without saying whether
# the platform took it). A platform with no idempotency key but a history to search (Slack) looks
# there for the item before sending it again; None means no earlier attempt can have reached it.
EARLIER_ATTEMPT: ContextVar[datetime | None] = ContextVar("EARLIER_ATTEMPT", default=None)


@dataclass
class DeliveryReport:
    sent: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    claimed: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds from written to sent
    paused_until: datetime | None = None  # a pause the platform asked for (of any worker) ends


async def _conversation(item: OutboxItem, uow: UnitOfWork, platform: ChatPlatform) -> str:
    if item.conversation_id:
        return item.conversation_id
    opener_key = item.extra.get(CONVERSATION_KEY)
    if opener_key:
        async with uow:
            opener = await uow.outbox.get(item.community_id, str(opener_key))
        if opener is not None and opener.conversation_id:
            return opener.conversation_id
    return await platform.open_group(item.community_id, item.target.ids)


class _TakenOver(Exception):
    """Another worker claimed the item since this one did (this one's lease was judged stale)."""


async def _start(services: Services, item: OutboxItem, lease: timedelta) -> None:
    """Store, before sending, that an attempt starts now, and the conversation it goes to.

    Until its outcome is stored the item counts as possibly sent, and its lease runs from now,
    so the lease bounds this one send. The conversation is kept at once: where opening one is not
    idempotent (a Discord thread), a retry reuses it.
    """
    uow, now = services.uow, services.clock.now()
    async with uow:
        current = await uow.outbox.get(item.community_id, item.key)
        if (
            current is None
            or current.status is not OutboxStatus.PENDING
            or current.attempts != item.attempts  # claimed again since: no longer ours
        ):
            raise _TakenOver(item.key)
        item.attempt_started_at = item.attempt_started_at or now
        item.not_before = now + lease
        await uow.outbox.save(item)
        await uow.commit()


async def _send(
    item: OutboxItem, services: Services, platform: ChatPlatform, lease: timedelta
) -> None:
    uow = services.uow
    if item.target.kind is TargetKind.GROUP:
        if not item.conversation_id:
            # marked before opening: after a crash between the platform opening the conversation
            # (a Discord thread) and its being stored, the retry looks for it (``EARLIER_ATTEMPT``)
            await _start(services, item, lease)
        item.conversation_id = await _conversation(item, uow, platform)
        await _start(services, item, lease)
        ref = await platform.send(item.community_id, item.conversation_id, item.message)
    elif item.target.kind is TargetKind.MEMBER:
        await _start(services, item, lease)
        ref = await platform.send_direct(item.community_id, item.target.ids[0], item.message)
    else:
        await _start(services, item, lease)
        ref = await platform.post_to_channel(item.community_id, item.target.ids[0], item.message)
    # stored with the item when it is marked sent: a channel post's link, which the round's
    # summary gives beside each takeaway
    item.extra[SENT_REF] = ref


async def _tell_admins(uow: UnitOfWork, item: OutboxItem) -> None:
    """Queue one notice per admin about a message that could not be delivered."""
    if item.key.startswith("failed:"):
        return  # never report the failure of a failure report
    community = await uow.communities.get(item.community_id)
    if community is None:
        return
    # the item's programme's admins hear too: they run it
    programme = await uow.programmes.get(item.community_id, programme_of_key(item.key))
    admins = programme.told(community) if programme else community.settings.admins
    who = (
        ", ".join(mention(i) for i in item.target.ids)
        if item.target.kind is not TargetKind.CHANNEL
        else f"<#{item.target.ids[0]}>"
    )
    notice = Message(
        f"I couldn't deliver a message ({item.key}) to {who}: "
        f"{escape_markup(str(item.last_error))}. "
        "Please check and follow up by hand if needed."
    )
    await queue_for_admins(
        uow,
        item.community_id,
        admins,
        f"failed:{item.key}",
        notice,
        item.created_at,
    )


def _backoff(attempts: int, error: DeliveryError) -> timedelta:
    if error.retry_after is not None:
        return timedelta(seconds=error.retry_after)
    return min(_BASE_BACKOFF * (1 << max(attempts - 1, 0)), _MAX_BACKOFF)


async def _attempt(
    item: OutboxItem, services: Services, platform: ChatPlatform, lease: timedelta
) -> DeliveryError | None:
    """Send one claimed item, holding no transaction; return why it failed, if it did.

    Raises ``_TakenOver`` when another worker has claimed the item since: nothing was sent.
    """
    token = DELIVERY_KEY.set(f"{item.community_id}/{item.key}")
    earlier = EARLIER_ATTEMPT.set(item.attempt_started_at)
    try:
        await _send(item, services, platform, lease)
    except DeliveryError as error:
        return error
    except _TakenOver:
        raise
    except Exception as error:  # a bug or an unwrapped network error: retry, never lose the item
        log.exception("sending %s failed unexpectedly", item.key)
        return DeliveryError(f"unexpected error: {error!r}", permanent=False)
    finally:
        EARLIER_ATTEMPT.reset(earlier)
        DELIVERY_KEY.reset(token)
    return None


async def _record(
    services: Services, item: OutboxItem, error: DeliveryError | None, report: DeliveryReport
) -> None:
    """Store the outcome of one send in its own transaction."""
    uow, now = services.uow, services.clock.now()
    async with uow:
        current = await uow.outbox.get(item.community_id, item.key)
        if current is None or current.status is not OutboxStatus.PENDING:
            return
        if error is None:
            item.status, item.sent_at, item.last_error = OutboxStatus.SENT, now, None
            # a failed attempt keeps its start: it may have reached the platform all the same
            item.attempt_started_at = None
            report.sent.append(item.key)
            report.latencies.append((now - item.created_at).total_seconds())
        elif error.permanent or (item.attempts >= MAX_ATTEMPTS and error.retry_after is None):
            item.status, item.last_error = OutboxStatus.FAILED, error.reason
            log.warning("gave up delivering %s: %s", item.key, error.reason)
            await _tell_admins(uow, item)
            report.failed.append(item.key)
        else:
            wait = _backoff(item.attempts, error)
            if error.retry_after is not None:
                # "slow down" is not a failed attempt: however busy the platform, nothing is lost
                item.attempts = max(item.attempts - 1, 0)
            item.not_before, item.last_error = now + wait, error.reason
            log.info("will retry %s in %s: %s", item.key, wait, error.reason)
            report.retrying.append(item.key)
        await uow.outbox.save(item)
        await uow.commit()


# Storing a send's outcome is tried again at once when it fails: the message is already out, and
# an item whose outcome is lost is sent a second time when its lease runs out. A database
# connection dropped mid-transaction (a failover, a restart) typically fails one try only, since
# the next takes a fresh connection from the pool.
_RECORD_TRIES = 3


async def _record_outcome(
    services: Services, item: OutboxItem, error: DeliveryError | None, report: DeliveryReport
) -> None:
    """Store the outcome of one send, trying again if storing it fails."""
    for attempt in range(1, _RECORD_TRIES + 1):
        stored = DeliveryReport()
        try:
            await _record(services, replace(item), error, stored)
        except Exception as failure:
            if attempt == _RECORD_TRIES:
                raise
            reason = str(failure).splitlines()[0] if str(failure) else repr(failure)
            log.warning(
                "storing the outcome of %s failed (try %d of %d), trying again: %s",
                item.key,
                attempt,
                _RECORD_TRIES,
                reason,
            )
            continue
        report.sent += stored.sent
        report.retrying += stored.retrying
        report.failed += stored.failed
        report.latencies += stored.latencies
        return


async def _pause(
    services: Services, refused: OutboxItem, until: datetime, rest: list[OutboxItem]
) -> None:
    """Pause the refused call for every worker; hand back the untried rest, due now.

    The pause holds back the items that may make that call next; the rest of the batch goes
    back with its attempt not counted, for the next claim, which skips what the pause holds.
    """
    uow = services.uow
    async with uow:
        await uow.outbox.pause(refused.community_id, next_call_of(refused), until)
        if rest:
            keys = [(item.community_id, item.key) for item in rest]
            await uow.outbox.release(keys, services.clock.now())
        await uow.commit()


async def deliver_pending(
    services: Services,
    platform: ChatPlatform,
    limit: int = 100,
    lease: timedelta = LEASE,
    platform_name: str | None = None,
    except_platform: str | None = None,
) -> DeliveryReport:
    """Send due outbox items; mark each sent, retry later, or failed with its reason.

    Items are claimed (leased) in one short transaction, sent with no transaction open, and each
    outcome is stored in a transaction of its own: two workers never send the same item, and an
    item whose worker died mid-send is claimed again once its lease runs out or its worker is
    known to be gone. Just before each send the item is marked as started (``_start``); an item
    claimed again with that mark may have reached the platform, and the send is made with
    ``EARLIER_ATTEMPT`` set so the adapter can look for it first. When the platform says
    to slow down (``retry_after``), the refused call is paused that long in that community for
    every worker (``pairing_core.pacing``), the pass ends there, and ``paused_until`` says when
    the pause ends; a pass that finds less than ``limit`` to claim reports the earliest end of the
    pauses still running, so the caller need not wait longer.
    """
    uow, report = services.uow, DeliveryReport()
    async with uow:
        now = services.clock.now()
        claimed = await uow.outbox.claim(
            now, limit, lease, platform_name, except_platform=except_platform
        )
        if len(claimed) < limit:
            report.paused_until = await uow.outbox.paused_until(
                now, platform_name, except_platform=except_platform
            )
        await uow.commit()
    report.claimed = len(claimed)
    for position, item in enumerate(claimed):
        try:
            error = await _attempt(item, services, platform, lease)
        except _TakenOver:
            log.warning("%s was taken over by another worker before it was sent", item.key)
            continue
        await _record_outcome(services, item, error, report)
        if error is not None and not error.permanent and error.retry_after is not None:
            until = services.clock.now() + timedelta(seconds=error.retry_after)
            report.paused_until = until
            await _pause(services, item, until, claimed[position + 1 :])
            break
    return report
