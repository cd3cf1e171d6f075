"""``/unmentor`` and ``/unmentor-admin``: typed options in, private replies out."""

from __future__ import annotations

from adapters.discord.help import ADMIN_GROUP, MEMBER_GROUP
from pairing_core.programme import GENERAL
from tests.adapters.discord.conftest import COMMUNITY, DiscordWorld, RoleRef, UserRef
from tests.adapters.discord.fake_discord import APP_ID

ALICE, BOB = "111111111111111111", "222222222222222222"
MENTORS = "700000000000000001"  # a server role


class TestMemberCommands:
    async def test_join_answers_privately_and_creates_the_servers_community(
        self, world: DiscordWorld
    ) -> None:
        replies = await world.slash(ALICE, "unmentor join", organisation="Devon CC")
        assert len(replies) == 1 and replies[0].startswith("You're in the pot")
        assert "Devon CC" in replies[0]
        [deferred] = [c for c in world.fake.calls if c.path.endswith("/callback")]
        assert deferred.json == {"type": 5, "data": {"flags": 64}}
        async with world.services().uow as uow:
            community = await uow.communities.get(COMMUNITY)
            member = await uow.members.get(COMMUNITY, ALICE, programme_id=GENERAL)
        assert community is not None and community.platform == "discord"
        assert member is not None and member.organisation == "Devon CC"

    async def test_pause_takes_a_duration_and_explains_a_bad_one(self, world: DiscordWorld) -> None:
        await world.slash(ALICE, "unmentor join")
        [paused] = await world.slash(ALICE, "unmentor pause", duration="2w")
        assert "paus" in paused.lower()
        [bad] = await world.slash(ALICE, "unmentor pause", duration="soon")
        assert bad == (
            "'soon' is not a length of time like 2w or 10d. Try `2w`, `10d` or `until 2026-12-31`."
        )

    async def test_skip_and_in_choose_for_the_coming_round(self, world: DiscordWorld) -> None:
        await world.slash(ALICE, "unmentor join")
        [skipped] = await world.slash(ALICE, "unmentor skip")
        assert skipped.startswith("You'll skip round 1, which starts")
        [again] = await world.slash(ALICE, "unmentor in")
        assert again.startswith("You're in round 1")

    async def test_pause_suggests_durations_as_you_type(self, world: DiscordWorld) -> None:
        choices = await world.autocomplete(ALICE, "unmentor pause", "duration", duration="w")
        assert [c["value"] for c in choices] == ["1w", "2w", "4w", "8w"]
        typed = await world.autocomplete(ALICE, "unmentor pause", "duration", duration="3w")
        assert typed == [{"name": "3w", "value": "3w"}]

    async def test_never_takes_a_member_and_stays_private(self, world: DiscordWorld) -> None:
        await world.slash(ALICE, "unmentor join")
        await world.slash(BOB, "unmentor join")
        [reply] = await world.slash(ALICE, "unmentor never", member=UserRef(BOB))
        assert f"<@{BOB}>" in reply
        async with world.services().uow as uow:
            [block] = await uow.blocks.list(COMMUNITY)
        assert block.pair == frozenset({ALICE, BOB})

    async def test_contact_needs_words_or_clear(self, world: DiscordWorld) -> None:
        await world.slash(ALICE, "unmentor join")
        [empty] = await world.slash(ALICE, "unmentor contact")
        assert empty.startswith("Tell me how people can reach you")
        [saved] = await world.slash(ALICE, "unmentor contact", how="https://meet.example/alice")
        async with world.services().uow as uow:
            member = await uow.members.get(COMMUNITY, ALICE, programme_id=GENERAL)
        assert member is not None and member.contact == "https://meet.example/alice", saved

    async def test_help_lists_the_commands_and_admins_also_see_theirs(
        self, world: DiscordWorld
    ) -> None:
        [member_help] = await world.slash(ALICE, "unmentor help")
        assert "`/unmentor join [organisation:] [programme:]`" in member_help
        assert "`/unmentor programmes`" in member_help
        assert "`/unmentor never member: [undo:]`" in member_help
        assert "unmentor-admin" not in member_help
        # long enough to come in two messages, split at a line break
        admin_help = "\n".join(await world.slash(BOB, "unmentor help", admin=True))
        assert "`/unmentor-admin round now [programme:]`" in admin_help
        assert "`/unmentor-admin programme bind name: [role:] [unbind:]`" in admin_help


class TestAdminCommands:
    async def test_the_admin_group_is_hidden_from_people_without_manage_server(
        self, world: DiscordWorld
    ) -> None:
        [synced] = world.fake.called("PUT", f"/applications/{APP_ID}/commands")
        groups = {c["name"]: c for c in synced.json}
        assert set(groups) == {MEMBER_GROUP, ADMIN_GROUP}
        assert groups[ADMIN_GROUP]["default_member_permissions"] == 1 << 5
        assert groups[MEMBER_GROUP]["default_member_permissions"] is None
        assert all(c["contexts"] == [0] for c in synced.json)  # servers only
        subs = {o["name"] for o in groups[ADMIN_GROUP]["options"]}
        assert subs == {"optout", "optin", "block", "settings", "round", "stats", "programme"}
        member_subs = {o["name"] for o in groups[MEMBER_GROUP]["options"]}
        assert member_subs == {
            "join", "leave", "pause", "resume", "status", "programmes", "never", "contact",
            "reflect", "help", "privacy", "my-data", "forget-me", "timezone", "hours", "about",
            "skip", "in",
        }  # fmt: skip

    async def test_members_without_manage_server_are_refused(self, world: DiscordWorld) -> None:
        [refused] = await world.slash(ALICE, "unmentor-admin stats")
        assert refused == "Sorry, only this community's admins can do that."

    async def test_members_made_admin_in_the_settings_may_use_admin_commands(
        self, world: DiscordWorld
    ) -> None:
        await world.slash(BOB, "unmentor-admin settings", admin=True, add_admin=UserRef(ALICE))
        [stats] = await world.slash(ALICE, "unmentor-admin stats")
        assert stats.startswith("**UnMentoring in")

    async def test_members_holding_the_admin_role_may_use_admin_commands(
        self, world: DiscordWorld
    ) -> None:
        [saved] = await world.slash(
            BOB, "unmentor-admin settings", admin=True, admin_role=RoleRef(MENTORS)
        )
        assert f"admin-role (its members are admins too): <@&{MENTORS}>" in saved
        [stats] = await world.slash(ALICE, "unmentor-admin stats", roles=(MENTORS,))
        assert stats.startswith("**UnMentoring in")
        help_ = "\n".join(await world.slash(ALICE, "unmentor help", roles=(MENTORS,)))
        assert "`/unmentor-admin round now [programme:]`" in help_

    async def test_members_without_the_admin_role_are_refused(self, world: DiscordWorld) -> None:
        await world.slash(BOB, "unmentor-admin settings", admin=True, admin_role=RoleRef(MENTORS))
        [refused] = await world.slash(ALICE, "unmentor-admin stats", roles=("700000000000000002",))
        assert refused == "Sorry, only this community's admins can do that."

    async def test_the_admin_role_can_be_cleared(self, world: DiscordWorld) -> None:
        await world.slash(BOB, "unmentor-admin settings", admin=True, admin_role=RoleRef(MENTORS))
        [saved] = await world.slash(BOB, "unmentor-admin settings", admin=True, no_admin_role=True)
        assert "admin-role (its members are admins too): not set" in saved
        [refused] = await world.slash(ALICE, "unmentor-admin stats", roles=(MENTORS,))
        assert refused == "Sorry, only this community's admins can do that."

    async def test_settings_take_choices_and_a_timezone_is_suggested(
        self, world: DiscordWorld
    ) -> None:
        [saved] = await world.slash(
            BOB,
            "unmentor-admin settings",
            admin=True,
            cadence="weekly",
            weekday="tuesday",
            time="10:00",
            timezone="Europe/Paris",
            size=3,
            cross_org=False,
        )
        assert "cadence: weekly" in saved and "weekday: tuesday" in saved
        assert "time: 10:00 (Europe/Paris)" in saved and "size (people per group): 3" in saved
        choices = await world.autocomplete(
            BOB, "unmentor-admin settings", "timezone", timezone="lond"
        )
        assert {"name": "Europe/London", "value": "Europe/London"} in choices

    async def test_a_bad_setting_is_explained(self, world: DiscordWorld) -> None:
        [reply] = await world.slash(BOB, "unmentor-admin settings", admin=True, time="25:99")
        assert reply == "time is a 24-hour time like 09:30."

    async def test_block_needs_two_different_people(self, world: DiscordWorld) -> None:
        [same] = await world.slash(
            BOB, "unmentor-admin block", admin=True, first=UserRef(ALICE), second=UserRef(ALICE)
        )
        assert same == "Name two different people."
