"""Proactive sends through the Bot Connector: its 429 and Retry-After pause the shared delivery,
a 503 is retried, someone Teams will not deliver to is reported to the admins once; nothing is
lost or sent twice."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from pairing_core.message import OutboxStatus
from tests.adapters.teams.conftest import COMMUNITY, TeamsWorld, card_text, restarted
from tests.adapters.teams.fake_teams import Call
from tests.adapters.teams.test_round import cards_to, in_channel, move_to, start_round


def _is_card_send(call: Call) -> bool:
    return call.method == "POST" and call.path.endswith("/activities")


def _intros_per_person(world: TeamsWorld) -> Counter[str]:
    return Counter(c.path for c in world.fake.sent() if "say hello!" in card_text(c))


async def _round_with_failures(world: TeamsWorld, status: int, **headers: str) -> None:
    """Start a round whose first intro card is refused with ``status`` (then accepted)."""
    world.fake.fail(status, lambda c: _is_card_send(c) and "say hello!" in str(c.json), **headers)
    await start_round(world, "a", "b", "c", "d")


class TestRateLimits:
    async def test_a_429_pauses_delivery_for_its_retry_after_then_everyone_gets_one_intro(
        self, world: TeamsWorld
    ) -> None:
        await _round_with_failures(world, 429, **{"Retry-After": "7"})
        async with world.services().uow as uow:
            refused = [i for i in await uow.outbox.list(COMMUNITY) if i.last_error]
        assert [i.last_error for i in refused] == ["rate_limited"]
        report = await world.deps.deliver()
        assert refused[0].key not in report.sent  # not tried again before the connector's time
        assert report.paused_until is not None
        assert report.paused_until - world.clock.now() <= timedelta(seconds=7)
        assert max(_intros_per_person(world).values()) == 1
        world.clock.advance(seconds=8)
        await world.deps.deliver()
        assert set(_intros_per_person(world).values()) == {1}
        assert len(_intros_per_person(world)) == 4
        async with world.services().uow as uow:
            items = await uow.outbox.list(COMMUNITY)
        assert all(i.status is OutboxStatus.SENT for i in items if i.key.endswith(":intro"))

    async def test_a_503_is_retried_and_nothing_is_sent_twice(self, world: TeamsWorld) -> None:
        await _round_with_failures(world, 503)
        world.clock.advance(minutes=1)
        await world.deps.deliver()
        assert set(_intros_per_person(world).values()) == {1}
        assert len(_intros_per_person(world)) == 4


class TestUnreachable:
    async def test_the_admins_hear_once_and_the_partner_still_gets_the_intro(
        self, world: TeamsWorld
    ) -> None:
        world.fake.unreachable.add(world.fake.person("d").user_id)
        await world.install("z")
        # the 1:1 chat cannot be opened: a note in the channel, and the admin told at once
        note, notice = await in_channel(world, "d", "join")
        assert note.startswith("I couldn't message you privately")
        assert notice.startswith("I can't reach **Person D**")
        round_ = await start_round(world, "a", "b", "c")
        d = world.member("d")
        [group] = [g for g in round_.groups if d in g.members]
        partners = [x for x in "abc" if world.member(x) in group.members]
        for partner in partners:
            assert any("say hello!" in card_text(c) for c in cards_to(world, partner))
        await move_to(world, round_.checkin_at)
        notices = [c for c in cards_to(world, "z") if "I can't reach" in card_text(c)]
        assert len(notices) == 1
        assert "**Person D**" in card_text(notices[0])


class TestRestartMidSend:
    async def test_a_group_card_cut_short_reaches_the_rest_after_a_restart_and_nobody_twice(
        self, world: TeamsWorld
    ) -> None:
        seen: list[Call] = []

        def second_intro_card(call: Call) -> bool:
            if _is_card_send(call) and "say hello!" in str(call.json):
                seen.append(call)
            return len(seen) == 2

        world.fake.fail(503, second_intro_card)
        await start_round(world, "a", "b")
        assert sum(_intros_per_person(world).values()) == 1  # one card in, one refused
        world = await restarted(world)
        try:
            world.clock.advance(minutes=1)
            await world.deps.deliver()
            assert dict(_intros_per_person(world)) == {
                f"/v3/conversations/a:chat-{world.fake.person(x).user_id}/activities": 1
                for x in "ab"
            }
        finally:
            await world.stop()
