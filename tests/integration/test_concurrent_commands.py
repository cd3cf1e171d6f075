"""Bursts of the same command at once, on SQLite and PostgreSQL: each is stored once and every
request gets its answer (the same person pressing "Join" fifty times, a group's members all
sending their takeaway at the same moment)."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest

from adapters.persistence import SqlAlchemyUnitOfWork
from pairing_core import commands as c
from pairing_core.community import Community
from pairing_core.dispatch import handle, handle_text
from pairing_core.member import MemberStatus
from pairing_core.programme import GENERAL
from pairing_core.services.context import Actor, Services
from tests.integration.objects import T0, a_member, a_round
from tests.unit.fakes import FakeClock

NewUow = Callable[[], SqlAlchemyUnitOfWork]
BURST = 50


def services(new_uow: NewUow) -> Services:
    """One request's collaborators: its own unit of work, so its own connection and transaction."""
    return Services(new_uow(), FakeClock(T0 + timedelta(days=1)), random.Random(1))


async def burst(
    new_uow: NewUow, text: str, who: str = "ana", admin: bool = False, size: int = BURST
) -> list[str]:
    actor = Actor(who, who.title(), platform_admin=admin)
    replies = await asyncio.gather(
        *(handle_text(text, actor, "slack:T1", services(new_uow)) for _ in range(size))
    )
    return [reply.text for reply in replies]


async def burst_of_one(new_uow: NewUow, text: str, who: str, admin: bool) -> list[str]:
    return await burst(new_uow, text, who, admin, size=1)


class TestTheSameCommandAtOnce:
    async def test_fifty_joins_of_one_member_store_one_row_and_all_get_an_answer(
        self, community: Community, new_uow: NewUow
    ) -> None:
        replies = await burst(new_uow, "join Finance")
        assert len(replies) == BURST
        assert all(
            r.startswith(("You're in the pot", "You're already in the pot")) for r in replies
        )
        assert sum(r.startswith("You're in the pot") for r in replies) == 1
        async with new_uow() as uow:
            assert [
                m.member_id for m in await uow.members.list(community.id, programme_id=GENERAL)
            ] == ["ana"]

    @pytest.mark.parametrize(
        ("text", "admin", "answer"),
        [
            ("leave", False, "You've left UnMentoring"),
            ("pause 2w", False, "Paused until"),
            ("resume", False, "You're not paused"),
            ("contact ext 42", False, "Your intros will say how to reach you"),
            ("never <@bo>", False, "Noted, privately"),
            ("admin block <@ana> <@bo>", True, "<@ana> and <@bo> "),
            ("admin optout <@ana>", True, "<@ana> is opted out"),
            ("admin settings cadence=weekly add-admin=<@bo>", True, "Saved."),
        ],
    )
    async def test_other_commands_in_a_burst_all_get_their_answer(
        self, community: Community, new_uow: NewUow, text: str, admin: bool, answer: str
    ) -> None:
        async with new_uow() as uow:
            for who in ("ana", "bo"):
                await uow.members.add(
                    a_member(who, status=MemberStatus.ACTIVE, paused_until=None, left_at=None)
                )
            await uow.commit()
        who = "U-admin" if admin else "ana"
        replies = await burst(new_uow, text, who, admin)
        # each answer is the one that made the change, or what the same command says when
        # repeated later; which request of the burst gets there first is up to the database
        (repeated,) = await burst_of_one(new_uow, text, who, admin)
        assert any(answer in r for r in replies) or answer in repeated, Counter(replies)
        assert len(replies) == BURST, Counter(replies)
        assert all(answer in r or r == repeated for r in replies), Counter(replies)


class TestTakeawaysAtOnce:
    async def test_a_burst_for_one_group_stores_and_posts_one_and_answers_everyone(
        self, community: Community, new_uow: NewUow
    ) -> None:
        async with new_uow() as uow:
            for who in ("ana", "bo"):
                await uow.members.add(
                    a_member(who, status=MemberStatus.ACTIVE, paused_until=None, left_at=None)
                )
            await uow.rounds.add(a_round(1, [("ana", "bo")]))
            await uow.commit()

        async def submit(i: int) -> str:
            who = ("ana", "bo")[i % 2]
            takeaway = c.SubmitReflection(f"Takeaway {i}", round_number=1)
            reply = await handle(takeaway, Actor(who, who), "slack:T1", services(new_uow))
            return reply.text

        replies = await asyncio.gather(*(submit(i) for i in range(BURST)))
        thanked = [r for r in replies if r.startswith("Thank you")]
        refused = [r for r in replies if r.startswith("Your group already shared its takeaway")]
        assert len(thanked) == 1 and len(refused) == BURST - 1, Counter(replies)
        async with new_uow() as uow:
            (stored,) = await uow.reflections.list(community.id, GENERAL)
            posts = [i for i in await uow.outbox.list(community.id) if i.key.endswith("takeaway")]
        assert [p.message.text.endswith(f"> {stored.text}") for p in posts] == [True]
        assert all(f"(from <@{stored.author}>)" in r for r in refused)
