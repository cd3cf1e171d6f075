"""``/unmentor`` over HTTP: request signatures, ephemeral replies, admin rights from Slack roles."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlencode

from pairing_core.programme import GENERAL
from tests.adapters.slack.conftest import SlackWorld, sign
from tests.adapters.slack.fake_slack import TEAM


def _command_body(text: str) -> str:
    return urlencode({"command": "/unmentor", "text": text, "team_id": TEAM, "user_id": "U1"})


class TestRequestSignatures:
    async def test_a_forged_signature_is_refused(self, world: SlackWorld) -> None:
        body = _command_body("join")
        resp = await world.post(
            body, "application/x-www-form-urlencoded", sign(body, secret="not-the-secret")
        )
        assert resp.status == 401
        assert world.slack.called("respond") == []

    async def test_a_stale_timestamp_is_refused(self, world: SlackWorld) -> None:
        body = _command_body("join")
        stale = sign(body, timestamp=int(time.time()) - 600)
        resp = await world.post(body, "application/x-www-form-urlencoded", stale)
        assert resp.status == 401


class TestSlashCommand:
    async def test_join_replies_only_to_the_person_and_stores_them(self, world: SlackWorld) -> None:
        world.slack.add_user("U1", "alice")
        reply = await world.command("U1", "join Devon CC")
        assert reply.startswith("You're in the pot (organisation: Devon CC)!")
        respond = world.slack.called("respond")[0].args
        assert respond["response_type"] == "ephemeral"
        assert respond["blocks"][0]["text"]["type"] == "mrkdwn"
        async with world.services().uow as uow:
            member = await uow.members.get(TEAM, "U1", programme_id=GENERAL)
            community = await uow.communities.get(TEAM)
        assert member is not None and member.organisation == "Devon CC"
        assert member.display_name == "alice"
        assert community is not None and community.platform == "slack"

    async def test_an_unknown_sub_command_gets_the_usage(self, world: SlackWorld) -> None:
        world.slack.add_user("U1", "alice")
        reply = await world.command("U1", "dance")
        assert reply == "I don't know the command 'dance'. Try `/unmentor help`."

    async def test_mentions_arrive_in_slack_syntax(self, world: SlackWorld) -> None:
        world.slack.add_user("U1", "alice")
        world.slack.add_user("U2", "bob")
        await world.command("U1", "join")
        await world.command("U2", "join")
        reply = await world.command("U1", "never <@U2|bob>")
        assert "never be paired with <@U2>" in reply

    async def test_the_workspace_role_is_asked_once_per_person(self, world: SlackWorld) -> None:
        world.slack.add_user("U1", "alice")
        await world.command("U1", "status")
        await world.command("U1", "help")
        assert len(world.slack.called("users.info")) == 1


class TestAdminCommands:
    async def test_a_member_who_is_not_an_admin_is_refused(self, world: SlackWorld) -> None:
        world.slack.add_user("U1", "mallory")
        reply = await world.command("U1", "admin stats")
        assert reply == "Sorry, only this community's admins can do that."

    async def test_a_workspace_admin_is_accepted(self, world: SlackWorld) -> None:
        world.slack.add_user("UADMIN", "boss", admin=True)
        reply = await world.command("UADMIN", "admin settings channel=<#CREFL|reflections>")
        assert reply.startswith("Saved.")
        assert "channel (reflections): <#CREFL>" in reply


class TestAckComesFirst:
    async def test_the_ack_does_not_wait_for_the_database_or_slack(self, world: SlackWorld) -> None:
        world.slack.add_user("U1", "alice")
        permits = world.deps.after_ack._value
        for _ in range(permits):  # every worker busy: nothing after an ack can start
            await world.deps.after_ack.acquire()
        body = urlencode(
            {
                "command": "/unmentor",
                "text": "join",
                "team_id": TEAM,
                "user_id": "U1",
                "response_url": f"{world.slack.base_url}/respond/1",
            }
        )
        resp = await world.post(body, "application/x-www-form-urlencoded")
        assert (resp.status, resp.body) == (200, "")
        assert world.slack.called("users.info") == [] and world.slack.called("respond") == []
        async with world.services().uow as uow:
            assert await uow.communities.get(TEAM) is None
        for _ in range(permits):
            world.deps.after_ack.release()
        await world.settle()
        assert str(world.slack.called("respond")[0].args["text"]).startswith("You're in the pot")

    async def test_a_burst_of_commands_asks_slack_who_the_bot_is_once(
        self, world: SlackWorld
    ) -> None:
        def body(n: int) -> str:
            return urlencode(
                {
                    "command": "/unmentor",
                    "text": "join",
                    "team_id": TEAM,
                    "user_id": f"U{n}",
                    "response_url": f"{world.slack.base_url}/respond/{n}",
                }
            )

        for n in range(20):
            world.slack.add_user(f"U{n}", f"person{n}")
        answers = await asyncio.gather(
            *(world.post(body(n), "application/x-www-form-urlencoded") for n in range(20))
        )
        await world.settle()
        assert {a.status for a in answers} == {200}
        assert len(world.slack.called("auth.test")) == 1
        assert len(world.slack.called("respond")) == 20
        async with world.services().uow as uow:
            assert len(await uow.members.list(TEAM, programme_id=GENERAL)) == 20
