"""Who holds an outbox lease, and whether they are still alive to send it.

Each bot process is one delivery worker with a random id, written into the rows it claims
(``outbox.claimed_by``). On PostgreSQL the process holds a session advisory lock keyed by that id
for as long as it runs (``hold_worker_lock``); the server frees it the moment the process's
connection goes, so a claim that finds a lease whose holder's lock is free knows the holder died
and takes the row over at once, rather than when the lease runs out. SQLite serves one bot
process, so a lease held by another worker id is an earlier run's, and is taken over at once.
A process that holds no lock (a command-line tool, a test's engine) claims without an id and its
rows wait for their lease as before. A row waiting out a retry's backoff keeps the id of the worker
that tried it, so once that worker is gone it is tried again at the next claim, before its backoff
ends (one early attempt; a pause the platform asked for still holds it back).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator

from sqlalchemy import Boolean, ColumnElement, literal_column, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.persistence.rows import OutboxRow

__all__ = ["LOCK_NAMESPACE", "WORKER", "WorkerIdentity", "hold_worker_lock"]

log = logging.getLogger(__name__)

# The first key of every delivery worker's two-key advisory lock: "unm" in ASCII. Round steps
# lock with one 64-bit key (``lock_community``), which PostgreSQL keeps apart from two-key locks.
LOCK_NAMESPACE = 0x756E6D
# How often the lock's connection is checked: a lost connection means a lost lock, and the rows
# this process claims afterwards carry no id until the lock is held again.
_CHECK_SECONDS = 5.0


class WorkerIdentity:
    """This process's delivery worker: its id, and whether it holds its lock on PostgreSQL."""

    def __init__(self) -> None:
        self.id = random.SystemRandom().randrange(1, 2**31)
        self.locked = False

    def claimant(self, dialect: str) -> int | None:
        """Return the id to write into the rows this process claims, or None (lease only)."""
        if dialect == "postgresql":
            return self.id if self.locked else None
        return self.id

    def stale(self, dialect: str) -> ColumnElement[bool]:
        """A condition true for an outbox row leased by a worker that is gone."""
        claimed_by = OutboxRow.claimed_by
        other = claimed_by.is_not(None) & (claimed_by != self.id)
        if dialect != "postgresql":
            return other
        # the holder's lock, as pg_locks shows a granted two-key advisory lock in this database
        held = literal_column(
            "EXISTS (SELECT 1 FROM pg_locks WHERE pg_locks.locktype = 'advisory' "
            "AND pg_locks.granted AND pg_locks.objsubid = 2 "
            f"AND pg_locks.classid = {LOCK_NAMESPACE} "
            "AND pg_locks.objid::bigint = outbox.claimed_by "
            "AND pg_locks.database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database()))",
            Boolean,
        )
        return other & ~held


WORKER = WorkerIdentity()


async def _lock(engine: AsyncEngine) -> AsyncConnection:
    connection = await engine.connect()
    try:
        await connection.execute(
            text("SELECT pg_advisory_lock(:namespace, :id)"),
            {"namespace": LOCK_NAMESPACE, "id": WORKER.id},
        )
        await connection.commit()
    except BaseException:
        await connection.close()
        raise
    return connection


async def _release(connection: AsyncConnection) -> None:
    # closed for good rather than returned to the pool, where the lock would stay held
    with contextlib.suppress(Exception):
        await connection.invalidate()
    with contextlib.suppress(Exception):
        await connection.close()


async def _keep(engine: AsyncEngine, connection: AsyncConnection) -> None:
    """Check the lock's connection now and then; take the lock again when it was lost."""
    try:
        while True:
            await asyncio.sleep(_CHECK_SECONDS)
            try:
                await connection.execute(text("SELECT 1"))
                await connection.commit()
                continue
            except Exception as error:
                WORKER.locked = False
                log.warning("lost the delivery worker's lock (%s); taking it again", error)
                await _release(connection)
            while not WORKER.locked:
                try:
                    connection = await _lock(engine)
                    WORKER.locked = True
                except Exception as error:
                    log.warning("cannot take the delivery worker's lock yet: %s", error)
                    await asyncio.sleep(_CHECK_SECONDS)
    finally:
        WORKER.locked = False
        await _release(connection)


@contextlib.asynccontextmanager
async def hold_worker_lock(engine: AsyncEngine) -> AsyncIterator[None]:
    """Hold this process's delivery worker lock (PostgreSQL only) until the block ends."""
    if engine.dialect.name != "postgresql":
        yield
        return
    connection = await _lock(engine)
    WORKER.locked = True
    keeper = asyncio.create_task(_keep(engine, connection), name="delivery-worker-lock")
    try:
        yield
    finally:
        keeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await keeper
