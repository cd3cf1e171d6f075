"""Migration 0015 on SQLite and PostgreSQL: programmes stored before it get a heads-up a day
before matching and mode "always", rounds count as not yet announced, and choices can be stored;
downgrading drops the columns and the choices table."""

from __future__ import annotations

from sqlalchemy import Connection, inspect

from adapters.persistence import SqlAlchemyUnitOfWork, create_engine, session_factory, upgrade
from adapters.persistence.migrate import current_revision, downgrade, head_revision
from pairing_core.programme import GENERAL, RoundMode
from pairing_core.round import RoundChoice
from tests.integration.objects import a_community, a_programme, a_round

COMMUNITY = "slack:T1"


def schema(connection: Connection) -> tuple[set[str], set[str], set[str]]:
    found = inspect(connection)
    return (
        {c["name"] for c in found.get_columns("programmes")},
        {c["name"] for c in found.get_columns("rounds")},
        set(found.get_table_names()),
    )


class TestHeadsUpMigration:
    async def test_programmes_and_rounds_stored_before_get_the_defaults(
        self, empty_database: str
    ) -> None:
        await upgrade(empty_database)
        engine = create_engine(empty_database)
        try:
            async with SqlAlchemyUnitOfWork(session_factory(engine)) as uow:
                await uow.communities.add(a_community(COMMUNITY))
                await uow.programmes.add(
                    a_programme(community_id=COMMUNITY, heads_up_days=3, mode=RoundMode.OPT_IN)
                )
                await uow.rounds.add(a_round(1, community_id=COMMUNITY))
                await uow.commit()
        finally:
            await engine.dispose()

        await downgrade(empty_database, "0014")
        engine = create_engine(empty_database)
        try:
            async with engine.connect() as connection:
                programmes, rounds, tables = await connection.run_sync(schema)
        finally:
            await engine.dispose()
        assert not {"heads_up_days", "mode"} & programmes
        assert "announced_at" not in rounds
        assert "round_choices" not in tables

        await upgrade(empty_database)
        assert await current_revision(empty_database) == head_revision()
        engine = create_engine(empty_database)
        try:
            async with SqlAlchemyUnitOfWork(session_factory(engine)) as uow:
                programme = await uow.programmes.get(COMMUNITY, GENERAL)
                round_ = await uow.rounds.get(COMMUNITY, GENERAL, 1)
                assert programme is not None and round_ is not None
                assert (programme.settings.heads_up_days, programme.settings.mode) == (
                    1,
                    RoundMode.ALWAYS,
                )
                assert round_.announced_at is None and len(round_.groups) == 1
                await uow.rounds.choose(COMMUNITY, GENERAL, 1, "ana", RoundChoice.SKIP)
                await uow.commit()
            async with SqlAlchemyUnitOfWork(session_factory(engine)) as uow:
                assert await uow.rounds.choices(COMMUNITY, GENERAL, 1) == {"ana": RoundChoice.SKIP}
        finally:
            await engine.dispose()
