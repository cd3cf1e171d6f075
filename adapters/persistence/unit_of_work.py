"""The unit of work: one session, so one transaction, shared by every repository."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.persistence.repositories import (
    SqlBlockRepository,
    SqlCommunityRepository,
    SqlMemberRepository,
    SqlOutboxRepository,
    SqlProgrammeRepository,
    SqlReflectionRepository,
    SqlRoundRepository,
)
from pairing_core.errors import StorageConflict
from pairing_core.ports import (
    BlockRepository,
    CommunityRepository,
    MemberRepository,
    OutboxRepository,
    ProgrammeRepository,
    ReflectionRepository,
    RoundRepository,
)

__all__ = ["SqlAlchemyUnitOfWork"]

# Seeds the hash of a programme's lock key; the community's lock uses 0.
_PROGRAMME_LOCK_SEED = 12


class SqlAlchemyUnitOfWork:
    """Open a fresh session for each ``async with``; leaving it rolls back what was not committed.

    One object can be entered again after it has been left, but not while it is in use.
    """

    communities: CommunityRepository
    programmes: ProgrammeRepository
    members: MemberRepository
    blocks: BlockRepository
    rounds: RoundRepository
    reflections: ReflectionRepository
    outbox: OutboxRepository

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already in use; create one per task")
        session = self._session = self._session_factory()
        self.communities = SqlCommunityRepository(session)
        self.programmes = SqlProgrammeRepository(session)
        self.members = SqlMemberRepository(session)
        self.blocks = SqlBlockRepository(session)
        self.rounds = SqlRoundRepository(session)
        self.reflections = SqlReflectionRepository(session)
        self.outbox = SqlOutboxRepository(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed and close the session."""
        session, self._session = self._active, None
        try:
            await session.rollback()
        except DBAPIError:
            # Leaving on an error that killed the connection (the server dropped it, so it rolled
            # the transaction back itself): the rollback fails too, and that error must not hide
            # the one that says what happened.
            if exc is None:
                raise
        finally:
            await session.close()
        if isinstance(exc, IntegrityError):
            # A key another transaction stored first: the core may run the use case again.
            raise StorageConflict(str(exc.orig)) from exc

    async def lock_community(self, community_id: str) -> None:
        """Hold the community's lock until this transaction ends.

        PostgreSQL: a transaction-scoped advisory lock keyed by a hash of the id (a collision
        only makes two communities take turns). SQLite locks the whole database for one writer
        at a time, so a no-op would not do: Python's sqlite3 starts a transaction only at the
        first write, so reads made before it could be stale by the time it writes. A write that
        changes nothing takes the database's write lock now (waiting out ``busy_timeout``), so
        everything read afterwards in this transaction is current until it ends.
        """
        session = self._active
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(
                text("SELECT pg_advisory_xact_lock(hashtextextended(:id, 0))"), {"id": community_id}
            )
        else:
            await session.execute(
                text("UPDATE communities SET id = id WHERE id = :id"), {"id": community_id}
            )

    async def lock_programme(self, community_id: str, programme_id: str) -> None:
        """Hold one programme's lock until this transaction ends.

        PostgreSQL: an advisory lock keyed by a hash of both ids, hashed with another seed than
        the community's lock so the two keys differ (a collision only makes two programmes take
        turns). SQLite has one writer at a time, so taking the write lock, as
        ``lock_community`` does, holds every programme's lock at once.
        """
        session = self._active
        if session.get_bind().dialect.name == "postgresql":
            # The ids joined with a character neither can hold, so ("a", "b:c") and ("a:b", "c")
            # differ; community ids hold ":" (``slack:T1``) but programme ids cannot.
            await session.execute(
                text("SELECT pg_advisory_xact_lock(hashtextextended(:key, :seed))"),
                {"key": f"{programme_id}:{community_id}", "seed": _PROGRAMME_LOCK_SEED},
            )
        else:
            await session.execute(
                text("UPDATE communities SET id = id WHERE id = :id"), {"id": community_id}
            )

    async def commit(self) -> None:
        await self._active.commit()

    async def rollback(self) -> None:
        await self._active.rollback()

    @property
    def _active(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("use the unit of work inside 'async with' before committing")
        return self._session
