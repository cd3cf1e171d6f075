"""Team owners are admins: read from Microsoft Graph's list of the team's members (a fake on
127.0.0.1 that checks the bot's Graph token), beside the community's admin list."""

from __future__ import annotations

import pytest

from adapters.teams.team_admins import NO_CONSENT, OWNERS_UNKNOWN
from pairing_core.dispatch import NOT_ADMIN
from tests.adapters.teams.conftest import COMMUNITY, TeamsWorld
from tests.adapters.teams.fake_teams import GROUP
from tests.adapters.teams.test_round import in_channel

STATS = "**UnMentoring in Digital**"


@pytest.fixture
async def team(world: TeamsWorld) -> TeamsWorld:
    """Z added the bot (the admin list); O owns the team too; A and B are plain members.

    O comes last in Graph's list, on its second page.
    """
    fake = world.fake
    await world.install("z")
    fake.team_members[GROUP] = {
        fake.person("z").aad: ["owner"],
        fake.person("a").aad: [],
        fake.person("b").aad: ["guest"],
        fake.person("o").aad: ["owner"],
    }
    await in_channel(world, "a", "join Devon CC")
    return world


class TestTeamOwners:
    async def test_an_owner_runs_admin_commands_in_the_channel_and_in_the_1_1_chat(
        self, team: TeamsWorld
    ) -> None:
        [channel] = await in_channel(team, "o", "admin stats")
        assert channel.startswith(STATS), channel
        [chat] = await team.say("o", "admin stats")
        assert chat.startswith(STATS), chat
        # asked of Graph once (two pages), with a Graph token, and kept for the second command
        assert team.fake.graph_calls == [
            f"/graph/v1.0/teams/{GROUP}/members",
            f"/graph/v1.0/teams/{GROUP}/members?$skiptoken=2",
        ]
        assert team.fake.graph_tokens == ["graph-token-1"]

    async def test_an_owner_is_shown_the_admin_commands_in_help(self, team: TeamsWorld) -> None:
        [owner] = await in_channel(team, "o", "help")
        [member] = await in_channel(team, "a", "help")
        assert "Admin commands" in owner and "Admin commands" not in member

    async def test_a_plain_member_is_refused_and_the_admin_list_is_unchanged(
        self, team: TeamsWorld
    ) -> None:
        [reply] = await in_channel(team, "a", "admin round now")
        assert reply == NOT_ADMIN
        async with team.services().uow as uow:
            community = await uow.communities.get(COMMUNITY)
        assert community is not None and community.settings.admins == {team.member("z")}

    async def test_graph_is_asked_only_for_admin_commands_from_people_off_the_list(
        self, team: TeamsWorld
    ) -> None:
        await in_channel(team, "a", "status")
        [stats] = await team.say("z", "admin stats")
        assert stats.startswith(STATS)
        assert team.fake.graph_calls == []


class TestWhenGraphCannotSay:
    async def test_without_consent_the_owner_is_refused_and_told_how_to_grant_it(
        self, team: TeamsWorld
    ) -> None:
        team.fake.graph_consent = False
        [reply] = await in_channel(team, "o", "admin stats")
        assert reply.startswith(NOT_ADMIN)
        assert "TeamMember.Read.Group" in reply and "admin settings add-admin=@you" in reply
        assert reply.replace("\n", " ") == f"{NOT_ADMIN} {NO_CONSENT}".replace("\n", " ")
        # the admin list still works, and a plain member's refusal is the plain one
        [stats] = await team.say("z", "admin stats")
        assert stats.startswith(STATS)
        [status] = await in_channel(team, "a", "status")
        assert status.startswith("Status: **active**")

    async def test_graph_unreachable_refuses_with_a_try_again(self, team: TeamsWorld) -> None:
        del team.fake.team_members[GROUP]  # Graph answers 404
        [reply] = await in_channel(team, "o", "admin stats")
        assert reply.startswith(NOT_ADMIN) and "couldn't check" in reply
        assert reply.replace("\n", " ") == f"{NOT_ADMIN} {OWNERS_UNKNOWN}".replace("\n", " ")
