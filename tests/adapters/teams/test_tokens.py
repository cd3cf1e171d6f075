"""Every request's Bot Framework token is checked: a bad one gets 401 and nothing is done."""

from __future__ import annotations

import time

import pytest

from tests.adapters.teams.conftest import TeamsWorld
from tests.adapters.teams.fake_teams import OTHER_KEY


def _bad_tokens(world: TeamsWorld) -> dict[str, str]:
    now = int(time.time())
    return {
        "forged": world.fake.sign(key=OTHER_KEY),
        "expired": world.fake.sign(exp=now - 3600, nbf=now - 7200),
        "wrong audience": world.fake.sign(aud="someone-elses-bot"),
        "wrong issuer": world.fake.sign(iss="https://evil.example"),
        "another connector": world.fake.sign(serviceurl="https://evil.example/connector/"),
        "unknown key": world.fake.sign(kid="not-listed"),
        "no expiry": world.fake.sign(exp=None),
        "not a token": "hello",
    }


@pytest.mark.parametrize(
    "kind",
    [
        "forged",
        "expired",
        "wrong audience",
        "wrong issuer",
        "another connector",
        "unknown key",
        "no expiry",
        "not a token",
    ],
)
async def test_a_bad_token_is_refused_and_nothing_is_done(world: TeamsWorld, kind: str) -> None:
    response = await world.post(world.activity("a", "join"), token=_bad_tokens(world)[kind])
    assert response.status == 401
    assert world.fake.sent() == []
    async with world.services().uow as uow:
        assert await uow.communities.list() == []


async def test_a_request_without_a_token_is_refused(world: TeamsWorld) -> None:
    response = await world.post(world.activity("a", "join"), token="")
    assert response.status == 401
    assert world.fake.sent() == []


async def test_a_key_not_endorsed_for_the_channel_is_refused(world: TeamsWorld) -> None:
    activity = world.activity("a", "join", channelId="webchat")
    assert (await world.post(activity)).status == 401
    assert world.fake.sent() == []


async def test_a_good_token_is_answered(world: TeamsWorld) -> None:
    [reply] = await world.say("a", "help")
    assert "UnMentoring" in reply


async def test_a_single_tenant_bot_refuses_another_tenant(world: TeamsWorld) -> None:
    activity = world.activity("a", "join")
    activity["channelData"]["tenant"]["id"] = "00000000-0000-0000-0000-00000000dead"
    activity["conversation"]["tenantId"] = "00000000-0000-0000-0000-00000000dead"
    assert (await world.post(activity)).status == 403
    assert world.fake.sent() == []
    async with world.services().uow as uow:
        assert await uow.communities.list() == []
