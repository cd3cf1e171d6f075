"""Migration 0006: Slack's escaped slash-command text stored before it is turned back into what was
typed, on SQLite and PostgreSQL; Discord communities' text is left alone."""

from __future__ import annotations

from dataclasses import replace

from adapters.persistence import SqlAlchemyUnitOfWork, create_engine, session_factory, upgrade
from adapters.persistence.migrate import downgrade
from pairing_core.programme import GENERAL
from tests.integration.objects import a_community, a_member, a_programme, a_reflection, a_round

SLACK, DISCORD = "slack:T1", "discord:1"
ESCAPED = "R&amp;D &lt;north&gt; &amp;lt; <https://x.example/?a=1&amp;b=2> <@U2|bob>"


class TestSlackTextAsTyped:
    async def test_slack_rows_are_unescaped_and_discord_rows_kept(
        self, empty_database: str
    ) -> None:
        await upgrade(empty_database)
        engine = create_engine(empty_database)
        try:
            new_uow = session_factory(engine)
            async with SqlAlchemyUnitOfWork(new_uow) as uow:
                for community_id, platform in ((SLACK, "slack"), (DISCORD, "discord")):
                    community = a_community(community_id)
                    community.platform = platform
                    await uow.communities.add(community)
                    await uow.programmes.add(a_programme(community_id=community_id))
                    member = a_member("ana", community_id, organisation=ESCAPED, contact=ESCAPED)
                    await uow.members.add(member)
                    await uow.rounds.add(a_round(1, [("ana", "bo")], community_id))
                    reflection = a_reflection("ana", ("ana", "bo"), text=ESCAPED)
                    await uow.reflections.add(replace(reflection, community_id=community_id))
                await uow.commit()
        finally:
            await engine.dispose()

        await downgrade(empty_database, "0005")
        await upgrade(empty_database)

        engine = create_engine(empty_database)
        try:
            async with SqlAlchemyUnitOfWork(session_factory(engine)) as uow:
                found = {}
                for community_id in (SLACK, DISCORD):
                    stored = await uow.members.get(community_id, "ana", programme_id=GENERAL)
                    assert stored is not None
                    [reflection] = await uow.reflections.list(community_id, GENERAL)
                    found[community_id] = (stored.organisation, stored.contact, reflection.text)
        finally:
            await engine.dispose()
        typed = "R&D <north> &lt; https://x.example/?a=1&b=2 <@U2>"
        assert found == {SLACK: (typed, typed, typed), DISCORD: (ESCAPED, ESCAPED, ESCAPED)}
