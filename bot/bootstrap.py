"""The one place that builds engines and clients and wires them to the core."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.charts import PngCharts
from adapters.persistence import SqlAlchemyUnitOfWork, create_engine, session_factory, upgrade
from bot.config import Settings
from pairing_core.ports import Clock
from pairing_core.services.context import Services

__all__ = ["SystemClock", "Storage", "open_storage", "services_for"]


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class Storage:
    engine: AsyncEngine
    uow: SqlAlchemyUnitOfWork


@asynccontextmanager
async def open_storage(settings: Settings, migrate: bool = True) -> AsyncIterator[Storage]:
    """Bring the database schema up to date, then yield storage; dispose of the engine after."""
    if migrate:
        await upgrade(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        yield Storage(engine, SqlAlchemyUnitOfWork(session_factory(engine)))
    finally:
        await engine.dispose()


def services_for(
    storage: Storage, clock: Clock | None = None, seed: int | None = None, retention_days: int = 180
) -> Services:
    """Return the core's collaborators; randomness is OS-seeded unless a seed is given."""
    rng = random.Random(seed) if seed is not None else random.SystemRandom()
    return Services(
        storage.uow, clock or SystemClock(), rng, retention_days=retention_days, charts=PngCharts()
    )
