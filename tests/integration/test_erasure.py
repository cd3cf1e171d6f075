"""Forget-me on real storage: afterwards no table holds anything that identifies the member."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import SqlAlchemyUnitOfWork, metadata
from pairing_core import commands as c
from pairing_core.dispatch import handle, handle_text
from pairing_core.programme import GENERAL, ProgrammeSettings
from pairing_core.round import CheckInAnswer
from pairing_core.services.answers import record_checkin
from pairing_core.services.community_setup import ensure_community
from pairing_core.services.context import Actor, Services
from pairing_core.services.delivery import deliver_pending
from pairing_core.services.round_calendar import run_due_steps
from tests.unit.fakes import FakeChatPlatform, FakeClock

COMMUNITY = "slack:T1"
ZELDA = Actor("U0ZELDA", "Zelda Quixote-Marr")
CONTACT = "zelda.q@example.org"
OTHERS = [Actor("U1ANA", "Ana"), Actor("U2BO", "Bo"), Actor("U3CY", "Cy")]
# her about line, time zone and working hours: in storage and in her intro until she is erased
PROFILE = ("Curates an archive of windmill sketches", "Pacific/Chatham", "06:45:00", "14:15:00")
TAKEAWAY = f"<@U0ZELDA> here: zelda quixote-marr ({CONTACT}) learned a lot, said U0ZELDA"


async def every_value(engine: AsyncEngine) -> list[str]:
    """Read every row of every table and render each value as text (JSON as JSON)."""
    values: list[str] = []
    async with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in await connection.execute(select(table)):
                for value in row:
                    values.append(
                        json.dumps(value) if isinstance(value, dict | list) else str(value)
                    )
    return values


async def aggregates(services: Services) -> list[tuple[int, int, int]]:
    async with services.uow:
        rounds = await services.uow.rounds.list(COMMUNITY, GENERAL)
    return [(r.number, len(r.groups), sum(len(g.members) for g in r.groups)) for r in rounds]


async def a_community_with_history(services: Services, clock: FakeClock) -> None:
    platform = FakeChatPlatform()
    settings = ProgrammeSettings(admins=frozenset({"U9BOSS"}), reflections_channel="CREFL")
    await ensure_community(services.uow, clock.now(), COMMUNITY, "slack", "Acme", settings)

    async def say(actor: Actor, text: str, admin: bool = False) -> None:
        who = Actor(actor.member_id, actor.display_name, admin)
        await handle_text(text, who, COMMUNITY, services)

    await say(ZELDA, 'join --org "Quixote Borough"')
    for other in OTHERS:
        await say(other, f"join {other.display_name} Council")
    await say(ZELDA, f"contact {CONTACT}")
    await say(ZELDA, f"about {PROFILE[0]}")
    await say(ZELDA, f"timezone {PROFILE[1]}")
    await say(ZELDA, "hours 06:45-14:15")
    await say(ZELDA, "never <@U3CY>")
    await say(Actor("U9BOSS", "Boss"), "admin block <@U0ZELDA> <@U3CY>", admin=True)
    await say(Actor("U9BOSS", "Boss"), "admin settings add-admin=<@U0ZELDA>", admin=True)
    await say(Actor("U9BOSS", "Boss"), "admin round now", admin=True)
    await deliver_pending(services, platform)
    clock.advance(days=7)
    await run_due_steps(services, COMMUNITY, GENERAL)
    (round_,) = [r for r in (await _rounds(services)) if r.group_of(ZELDA.member_id)]
    group = round_.group_of(ZELDA.member_id)
    assert group is not None
    await record_checkin(
        c.RecordCheckIn(round_.number, group.index, CheckInAnswer.MET), ZELDA, COMMUNITY, services
    )
    clock.advance(days=5)
    await run_due_steps(services, COMMUNITY, GENERAL)
    await say(ZELDA, f"reflect --rating 5 {TAKEAWAY}")
    await deliver_pending(services, platform)


async def _rounds(services: Services) -> list:  # type: ignore[type-arg]
    async with services.uow:
        return await services.uow.rounds.list(COMMUNITY, GENERAL)


class TestForgetMe:
    async def test_no_table_holds_the_members_id_name_or_contact_note_afterwards(
        self, engine: AsyncEngine, new_uow: Callable[[], SqlAlchemyUnitOfWork]
    ) -> None:
        clock = FakeClock(datetime(2026, 3, 4, 12, 0, tzinfo=UTC))
        services = Services(new_uow(), clock, random.Random(3))
        await a_community_with_history(services, clock)
        before = await aggregates(services)
        async with services.uow:
            history_before = len(await services.uow.rounds.pair_history(COMMUNITY, GENERAL))
        found = "\n".join(await every_value(engine))
        for secret in (ZELDA.member_id, ZELDA.display_name, CONTACT, *PROFILE):
            assert secret in found  # the scenario did store them

        unconfirmed = await handle(c.ForgetMe(), ZELDA, COMMUNITY, services)
        assert "--confirm" in unconfirmed.text
        assert ZELDA.member_id in "\n".join(await every_value(engine))

        reply = await handle(c.ForgetMe(confirm=True), ZELDA, COMMUNITY, services)
        assert reply.text.startswith("Done")
        found = "\n".join(await every_value(engine))
        for secret in (ZELDA.member_id, ZELDA.display_name, CONTACT, *PROFILE):
            assert secret not in found
        assert await aggregates(services) == before
        async with services.uow:
            assert len(await services.uow.rounds.pair_history(COMMUNITY, GENERAL)) == history_before

    async def test_kept_takeaways_lose_the_name_but_keep_the_group(
        self, new_uow: Callable[[], SqlAlchemyUnitOfWork], engine: AsyncEngine
    ) -> None:
        clock = FakeClock(datetime(2026, 3, 4, 12, 0, tzinfo=UTC))
        services = Services(new_uow(), clock, random.Random(3))
        await a_community_with_history(services, clock)
        await handle(
            c.ForgetMe(confirm=True, keep_reflections_anonymised=True), ZELDA, COMMUNITY, services
        )
        async with services.uow:
            (reflection,) = await services.uow.reflections.list(COMMUNITY, GENERAL)
        assert reflection.author.startswith("erased-") and reflection.rating == 5
        assert len(reflection.authors) == 2
        assert reflection.text == (
            "[removed] here: [removed] ([removed]) learned a lot, said [removed]"
        )
        found = "\n".join(await every_value(engine)).lower()
        for secret in (ZELDA.member_id, ZELDA.display_name, CONTACT):
            assert secret.lower() not in found
