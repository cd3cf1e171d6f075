"""Statement helpers the repositories share."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Result
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.persistence.rows import Base

__all__ = ["FRESH", "insert_unless_exists", "rowcount"]

# Every read refreshes objects the session already holds, so a unit of work kept open across a
# commit sees what other workers committed since.
FRESH = {"populate_existing": True}


def rowcount(result: Result[Any]) -> int:
    """Return how many rows an INSERT, UPDATE or DELETE touched."""
    return cast(CursorResult[Any], result).rowcount


async def insert_unless_exists(
    session: AsyncSession, row_type: type[Base], values: dict[str, Any]
) -> bool:
    """Insert one row unless it would break a unique key; return True when it was inserted.

    ON CONFLICT DO NOTHING leaves the transaction usable, where catching an IntegrityError
    would abort it on PostgreSQL.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        pg_statement = postgresql.insert(row_type).values(values).on_conflict_do_nothing()
        return rowcount(await session.execute(pg_statement)) == 1
    if dialect == "sqlite":
        lite_statement = sqlite.insert(row_type).values(values).on_conflict_do_nothing()
        return rowcount(await session.execute(lite_statement)) == 1
    raise NotImplementedError(f"no conflict-free insert for the {dialect} dialect")
