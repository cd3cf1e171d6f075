"""Outbox items held by a delivery worker that died are taken over at once, not after the lease.

On PostgreSQL each bot process holds an advisory lock named by its worker id while it lives; a
lease whose holder's lock is free is stale. SQLite serves one bot process, so a lease taken by
another worker id belongs to an earlier run of the bot.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import SqlAlchemyUnitOfWork
from adapters.persistence.delivery_workers import LOCK_NAMESPACE, WORKER, hold_worker_lock
from adapters.persistence.rows import OutboxRow
from pairing_core.community import Community
from tests.integration.objects import T0, an_outbox_item

NewUow = Callable[[], SqlAlchemyUnitOfWork]
LEASE = timedelta(minutes=5)
OTHER = 4242  # another worker's id
NOW = T0 + timedelta(seconds=1)


async def leased_by_other_worker(new_uow: NewUow, engine: AsyncEngine) -> None:
    async with new_uow() as uow:
        await uow.outbox.add(an_outbox_item("item:1"))
        await uow.commit()
    async with engine.begin() as connection:
        await connection.execute(
            update(OutboxRow).values(claimed_by=OTHER, not_before=T0 + LEASE, attempts=1)
        )


async def claim(new_uow: NewUow) -> list[str]:
    async with new_uow() as uow:
        items = await uow.outbox.claim(NOW, 10, LEASE)
        await uow.commit()
    return [item.key for item in items]


class TestALeaseOfAWorkerThatIsGone:
    async def test_is_taken_over_before_it_runs_out(
        self, backend: str, community: Community, new_uow: NewUow, engine: AsyncEngine
    ) -> None:
        await leased_by_other_worker(new_uow, engine)
        if backend == "postgresql":
            # while the other worker lives (holds its lock), its lease stands
            async with engine.connect() as other:
                await other.execute(
                    text("SELECT pg_advisory_lock(:ns, :id)"), {"ns": LOCK_NAMESPACE, "id": OTHER}
                )
                assert await claim(new_uow) == []
                await other.execute(
                    text("SELECT pg_advisory_unlock(:ns, :id)"), {"ns": LOCK_NAMESPACE, "id": OTHER}
                )
        assert await claim(new_uow) == ["item:1"]  # at once, though the lease runs 5 minutes

    async def test_a_lease_this_worker_holds_itself_stands(
        self, community: Community, new_uow: NewUow, engine: AsyncEngine
    ) -> None:
        async with hold_worker_lock(engine):
            async with new_uow() as uow:
                await uow.outbox.add(an_outbox_item("item:1"))
                await uow.commit()
            assert await claim(new_uow) == ["item:1"]
            assert await claim(new_uow) == []
        async with engine.connect() as connection:
            holder = await connection.scalar(text("SELECT claimed_by FROM outbox"))
        assert holder == WORKER.id


# A bot process in miniature: hold the worker lock, claim everything, then wait to be killed.
HOLDER = """
import asyncio, sys
from datetime import UTC, datetime, timedelta
from adapters.persistence import SqlAlchemyUnitOfWork, create_engine, session_factory
from adapters.persistence.delivery_workers import hold_worker_lock

async def main(url):
    engine = create_engine(url)
    async with hold_worker_lock(engine):
        async with SqlAlchemyUnitOfWork(session_factory(engine)) as uow:
            claimed = await uow.outbox.claim(datetime.now(UTC), 100, timedelta(minutes=5))
            await uow.commit()
        print(len(claimed), flush=True)
        await asyncio.sleep(600)

asyncio.run(main(sys.argv[1]))
"""


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
class TestAKilledWorkerProcess:
    async def test_its_items_are_taken_over_within_30_seconds(
        self, community: Community, new_uow: NewUow, database_url: str
    ) -> None:
        async with new_uow() as uow:
            for n in range(5):
                await uow.outbox.add(an_outbox_item(f"item:{n}"))
            await uow.commit()
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER, database_url], stdout=subprocess.PIPE, text=True
        )
        try:
            assert holder.stdout is not None
            line = await asyncio.to_thread(holder.stdout.readline)
            assert line.strip() == "5"
            assert await claim_now(new_uow) == 0  # its lease stands while it lives
            holder.send_signal(signal.SIGKILL)
            holder.wait()
            killed = time.monotonic()
            taken = 0
            while taken < 5 and time.monotonic() - killed < 30:
                taken += await claim_now(new_uow)
                await asyncio.sleep(0.1)
        finally:
            if holder.poll() is None:
                holder.kill()
                holder.wait()
            if holder.stdout is not None:
                holder.stdout.close()
        assert taken == 5


async def claim_now(new_uow: NewUow) -> int:
    async with new_uow() as uow:
        items = await uow.outbox.claim(datetime.now(UTC), 100, LEASE)
        await uow.commit()
    return len(items)


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
class TestTheWorkerLock:
    async def test_a_lock_lost_with_its_connection_is_taken_again(
        self, engine: AsyncEngine, database_url: str
    ) -> None:
        def holders() -> str:
            return (
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                f"AND classid = {LOCK_NAMESPACE} AND objid::bigint = {WORKER.id} AND objsubid = 2"
            )

        async with hold_worker_lock(engine):
            assert WORKER.locked
            async with engine.connect() as admin:
                [first] = (await admin.execute(text(holders()))).scalars().all()
                # a server restart or a failover, as far as that connection is concerned
                await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
                await admin.commit()
                deadline = time.monotonic() + 20
                while True:
                    again = (await admin.execute(text(holders()))).scalars().all()
                    await admin.commit()
                    if again and again != [first] and WORKER.locked:
                        break
                    assert time.monotonic() < deadline, "the lock was not taken again"
                    await asyncio.sleep(0.1)
        assert not WORKER.locked
