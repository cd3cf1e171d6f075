"""The outbox: messages written with the change that causes them, delivered afterwards."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, delete, exists, func, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased

from adapters.persistence.delivery_workers import WORKER
from adapters.persistence.repositories._sql import FRESH, insert_unless_exists, rowcount
from adapters.persistence.rows import CommunityRow, DeliveryPauseRow, OutboxRow
from pairing_core.message import Message, OutboxItem, OutboxStatus, Target, TargetKind
from pairing_core.pacing import CONVERSATION_KEY, next_calls

__all__ = ["SqlOutboxRepository"]


class SqlOutboxRepository:
    """Store outbox items, unique per community and key."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, item: OutboxItem) -> bool:
        columns = {"community_id": item.community_id, "key": item.key, **_columns(item)}
        return await insert_unless_exists(self._session, OutboxRow, columns)

    async def get(self, community_id: str, key: str) -> OutboxItem | None:
        statement = select(OutboxRow).where(
            OutboxRow.community_id == community_id, OutboxRow.key == key
        )
        row = await self._session.scalar(statement.execution_options(**FRESH))
        return None if row is None else _to_item(row)

    async def save(self, item: OutboxItem) -> None:
        statement = (
            update(OutboxRow)
            .where(OutboxRow.community_id == item.community_id, OutboxRow.key == item.key)
            .values(_columns(item))
        )
        if rowcount(await self._session.execute(statement)) == 0:
            raise LookupError(f"no outbox item {item.key!r} in {item.community_id!r} to save")

    async def delete(self, community_id: str, key: str) -> None:
        await self._session.execute(
            delete(OutboxRow).where(OutboxRow.community_id == community_id, OutboxRow.key == key)
        )

    async def pending(self, now: datetime, limit: int = 100) -> list[OutboxItem]:
        """Return pending items whose ``not_before`` has passed, oldest first.

        On PostgreSQL the rows stay locked until the transaction ends and rows another worker
        holds are skipped, so two delivery workers never send the same item.
        """
        statement = (
            select(OutboxRow)
            .where(
                OutboxRow.status == OutboxStatus.PENDING.value,
                or_(OutboxRow.not_before.is_(None), OutboxRow.not_before <= now),
            )
            .order_by(OutboxRow.created_at, OutboxRow.id)
            .limit(limit)
        )
        if self._session.get_bind().dialect.name == "postgresql":
            statement = statement.with_for_update(skip_locked=True)
        rows = await self._session.scalars(statement.execution_options(**FRESH))
        return [_to_item(row) for row in rows]

    async def claim(
        self,
        now: datetime,
        limit: int,
        lease: timedelta,
        platform: str | None = None,
        *,
        except_platform: str | None = None,
    ) -> list[OutboxItem]:
        """Take up to ``limit`` due items: lease them until ``now + lease`` and count an attempt.

        Due are pending items whose ``not_before`` has passed, and those whose lease is held by a
        worker that is gone (``delivery_workers``): they are taken over at once.
        PostgreSQL locks the chosen rows and skips rows another worker has locked, so concurrent
        claims never overlap. SQLite has no row locks; one UPDATE ... RETURNING both chooses and
        leases the rows, and SQLite runs one writer at a time, so a second claim sees the lease.
        """
        if limit <= 0:
            return []
        dialect = self._session.get_bind().dialect.name
        values = {
            "not_before": now + lease,
            "attempts": OutboxRow.attempts + 1,
            "claimed_by": WORKER.claimant(dialect),
        }
        taken_over = (OutboxRow.status == OutboxStatus.PENDING.value) & WORKER.stale(dialect)
        due = (_due(now) | taken_over) & ~_paused(now)
        due = due & _of_platforms(OutboxRow.community_id, platform, except_platform)
        if dialect == "postgresql":
            chosen = select(OutboxRow.id).where(due).order_by(*_OLDEST_FIRST).limit(limit)
            ids = list(await self._session.scalars(chosen.with_for_update(skip_locked=True)))
            if not ids:
                return []
            statement = update(OutboxRow).where(OutboxRow.id.in_(ids))
        else:
            chosen_ids = select(OutboxRow.id).where(due).order_by(*_OLDEST_FIRST).limit(limit)
            statement = update(OutboxRow).where(OutboxRow.id.in_(chosen_ids.scalar_subquery()))
        returning = statement.values(values).returning(OutboxRow)
        rows = list(await self._session.scalars(returning.execution_options(**FRESH)))
        rows.sort(key=lambda row: (row.created_at, row.id))
        return [_to_item(row) for row in rows]

    async def release(self, keys: Sequence[tuple[str, str]], until: datetime) -> None:
        """Make the still-pending items due at ``until``, giving back the attempt each claim counted."""
        by_community: dict[str, list[str]] = {}
        for community_id, key in keys:
            by_community.setdefault(community_id, []).append(key)
        if not by_community:
            return
        chosen = or_(
            *(
                (OutboxRow.community_id == community_id) & OutboxRow.key.in_(community_keys)
                for community_id, community_keys in by_community.items()
            )
        )
        statement = (
            update(OutboxRow)
            .where(chosen, OutboxRow.status == OutboxStatus.PENDING.value)
            .values(
                not_before=until,
                attempts=case((OutboxRow.attempts > 0, OutboxRow.attempts - 1), else_=0),
            )
        )
        await self._session.execute(statement)

    async def pause(self, community_id: str, call: str, until: datetime) -> None:
        """Store the pause, or move its end later; an end already later stands."""
        values = {"community_id": community_id, "call": call, "until": until}
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(DeliveryPauseRow).values(values)
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[DeliveryPauseRow.community_id, DeliveryPauseRow.call],
                set_={"until": statement.excluded.until},
                where=DeliveryPauseRow.until < statement.excluded.until,
            )
        )

    async def paused_until(
        self, now: datetime, platform: str | None = None, *, except_platform: str | None = None
    ) -> datetime | None:
        statement = select(func.min(DeliveryPauseRow.until)).where(
            DeliveryPauseRow.until > now,
            _of_platforms(DeliveryPauseRow.community_id, platform, except_platform),
        )
        return await self._session.scalar(statement)

    async def list(self, community_id: str) -> list[OutboxItem]:
        statement = (
            select(OutboxRow).where(OutboxRow.community_id == community_id).order_by(*_OLDEST_FIRST)
        )
        rows = await self._session.scalars(statement.execution_options(**FRESH))
        return [_to_item(row) for row in rows]


_OLDEST_FIRST = (OutboxRow.created_at, OutboxRow.id)


def _of_platforms(
    community_id: InstrumentedAttribute[str], platform: str | None, except_platform: str | None
) -> ColumnElement[bool]:
    """The community is of ``platform`` (any when None) and not of ``except_platform``."""
    chosen: list[ColumnElement[bool]] = []
    if platform is not None:
        chosen.append(CommunityRow.platform == platform)
    if except_platform is not None:
        chosen.append(CommunityRow.platform != except_platform)
    if not chosen:
        return true()
    return community_id.in_(select(CommunityRow.id).where(*chosen))


def _due(now: datetime) -> ColumnElement[bool]:
    return (OutboxRow.status == OutboxStatus.PENDING.value) & or_(
        OutboxRow.not_before.is_(None), OutboxRow.not_before <= now
    )


def _opener_key() -> ColumnElement[str]:
    """The key of the earlier row whose conversation the row reuses (NULL if none)."""
    key: ColumnElement[str] = OutboxRow.extra[CONVERSATION_KEY].as_string()
    return key


def _has_conversation() -> ColumnElement[bool]:
    """The row has its conversation, or the earlier row whose conversation it reuses has one."""
    opener = aliased(OutboxRow)
    opened = exists().where(
        opener.community_id == OutboxRow.community_id,
        opener.key == _opener_key(),
        opener.conversation_id.is_not(None),
    )
    # the row is two queries out (the claim's, around the pause's): name it, or it is not found
    return OutboxRow.conversation_id.is_not(None) | opened.correlate(OutboxRow)


def _is(condition: ColumnElement[bool], holds: bool) -> ColumnElement[bool]:
    return condition if holds else ~condition


def _pause_applies() -> ColumnElement[bool]:
    """The pause's call is one the row may make next, as ``pairing_core.pacing.next_calls`` says.

    Spelled out for each shape of row that ``next_calls`` tells apart; a kind whose calls do not
    depend on the conversation is not asked about one.
    """
    cases = []
    for kind in TargetKind:
        is_kind = OutboxRow.target_kind == kind.value
        calls = {
            (has, reuses): sorted(next_calls(kind, has, reuses))
            for has in (False, True)
            for reuses in (False, True)
        }
        if all(c == calls[False, False] for c in calls.values()):
            cases.append(is_kind & DeliveryPauseRow.call.in_(calls[False, False]))
            continue
        cases += [
            is_kind
            & _is(_has_conversation(), has)
            & _is(_opener_key().is_not(None), reuses)
            & DeliveryPauseRow.call.in_(shape_calls)
            for (has, reuses), shape_calls in calls.items()
        ]
    return or_(*cases)


def _paused(now: datetime) -> ColumnElement[bool]:
    """A pause is running in the row's community for a call the row may make next."""
    return exists().where(
        DeliveryPauseRow.community_id == OutboxRow.community_id,
        DeliveryPauseRow.until > now,
        _pause_applies(),
    )


def _columns(item: OutboxItem) -> dict[str, Any]:
    return {
        "target_kind": item.target.kind.value,
        "target_ids": list(item.target.ids),
        "message": item.message.to_dict(),
        "status": item.status.value,
        "attempts": item.attempts,
        "last_error": item.last_error,
        "created_at": item.created_at,
        "sent_at": item.sent_at,
        "conversation_id": item.conversation_id,
        "not_before": item.not_before,
        "extra": item.extra,
        "attempt_started_at": item.attempt_started_at,
    }


def _to_item(row: OutboxRow) -> OutboxItem:
    return OutboxItem(
        community_id=row.community_id,
        key=row.key,
        target=Target(TargetKind(row.target_kind), tuple(row.target_ids)),
        message=Message.from_dict(row.message),
        created_at=row.created_at,
        status=OutboxStatus(row.status),
        attempts=row.attempts,
        last_error=row.last_error,
        sent_at=row.sent_at,
        conversation_id=row.conversation_id,
        not_before=row.not_before,
        extra=dict(row.extra),
        attempt_started_at=row.attempt_started_at,
    )
