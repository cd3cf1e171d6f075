"""``/unmentor-admin ...``: hidden by Discord from people without Manage Server, refused by the core.

Discord hides and permits whole top-level commands, not sub-commands, so the admin commands are a
group of their own. Server admins can let a role see it under Server Settings -> Integrations; with
that role as the community's admin role (``/unmentor-admin settings admin_role:``) the core accepts
its members too.
"""

from __future__ import annotations

from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from adapters.discord.help import ADMIN_GROUP
from adapters.discord.programme_names import PROGRAMME_HELP, ProgrammeName, programme_choices
from adapters.discord.respond import answer, run_command
from adapters.discord.role_binding import refuse_binding
from pairing_core import commands as c
from pairing_core.message import Message
from pairing_core.programme import NUDGE_DAYS_LIMIT, QUIET_AFTER_LIMIT
from pairing_core.working_hours import matching_timezones

__all__ = ["AdminCommands", "setup"]

Interaction = discord.Interaction[Any]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class TextChannelId(app_commands.Transformer):
    """A text channel option, read as its id (the channel need not be in the bot's cache)."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return [discord.ChannelType.text]

    async def transform(self, interaction: Interaction, value: Any) -> str:
        return str(value.id)


class RoleId(app_commands.Transformer):
    """A role option, read as its id (the role need not be in the bot's cache)."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.role

    async def transform(self, interaction: Interaction, value: Any) -> str:
        return str(value.id)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class AdminCommands(
    commands.GroupCog,
    group_name=ADMIN_GROUP,
    group_description="UnMentoring admin: members, settings and rounds",
):
    round_ = app_commands.Group(name="round", description="Start a round now, or skip the next")
    programme = app_commands.Group(
        name="programme", description="Create, rename, archive or bind the server's programmes"
    )

    @app_commands.command(description="Take someone out of every round until opted back in")
    @app_commands.describe(programme=PROGRAMME_HELP)
    @app_commands.autocomplete(programme=programme_choices)
    async def optout(
        self,
        interaction: Interaction,
        member: discord.User,
        programme: ProgrammeName | None = None,
    ) -> None:
        await run_command(interaction, c.AdminOptOut(str(member.id), programme=programme))

    @app_commands.command(description="Opt someone back in")
    @app_commands.describe(programme=PROGRAMME_HELP)
    @app_commands.autocomplete(programme=programme_choices)
    async def optin(
        self,
        interaction: Interaction,
        member: discord.User,
        programme: ProgrammeName | None = None,
    ) -> None:
        await run_command(interaction, c.AdminOptIn(str(member.id), programme=programme))

    @app_commands.command(description="Never pair two people (or undo that)")
    async def block(
        self,
        interaction: Interaction,
        first: discord.User,
        second: discord.User,
        undo: bool = False,
    ) -> None:
        if first.id == second.id:
            await answer(interaction, Message("Name two different people."))
            return
        await run_command(interaction, c.AdminBlock(str(first.id), str(second.id), undo=undo))

    @app_commands.command(description="Show the settings, or change those you give")
    @app_commands.describe(
        cadence="How often rounds run",
        weekday="The day rounds start",
        time="Local start time, e.g. 09:30",
        timezone="An IANA timezone, e.g. Europe/London",
        channel="Where takeaways are posted (and intro threads opened, if no intros channel)",
        intros_channel="Where the groups' private intro threads are opened",
        size="People per group",
        cross_org="Prefer mixing organisations",
        add_admin="Make someone an UnMentoring admin",
        remove_admin="Stop someone being an UnMentoring admin",
        admin_role="Members with this role are UnMentoring admins too",
        no_admin_role="Stop any role making its members admins",
        shared_history="Count a meeting in any programme as a repeat in every programme",
        nudge="Days after the check-in to remind groups that have not answered",
        no_nudge="Send no check-in reminder",
        quiet_after="Pause members who answered nothing for this many rounds",
        no_quiet_pause="Never pause quiet members",
        programme=PROGRAMME_HELP,
    )
    @app_commands.autocomplete(programme=programme_choices)
    async def settings(
        self,
        interaction: Interaction,
        cadence: Literal["weekly", "fortnightly", "every-4-weeks"] | None = None,
        weekday: Weekday | None = None,
        time: app_commands.Range[str, 4, 5] | None = None,
        timezone: str | None = None,
        channel: app_commands.Transform[str, TextChannelId] | None = None,
        intros_channel: app_commands.Transform[str, TextChannelId] | None = None,
        size: Literal[2, 3, 4] | None = None,
        cross_org: bool | None = None,
        add_admin: discord.User | None = None,
        remove_admin: discord.User | None = None,
        admin_role: app_commands.Transform[str, RoleId] | None = None,
        no_admin_role: bool = False,
        shared_history: bool | None = None,
        nudge: app_commands.Range[int, 1, NUDGE_DAYS_LIMIT] | None = None,
        no_nudge: bool = False,
        quiet_after: app_commands.Range[int, 2, QUIET_AFTER_LIMIT] | None = None,
        no_quiet_pause: bool = False,
        programme: ProgrammeName | None = None,
    ) -> None:
        given: dict[str, object | None] = {
            "cadence": cadence,
            "weekday": weekday,
            "time": time,
            "timezone": timezone,
            "channel": channel,
            "intros-channel": intros_channel,
            "size": size,
            "cross-org": None if cross_org is None else _yes(cross_org),
            "add-admin": add_admin and f"<@{add_admin.id}>",
            "remove-admin": remove_admin and f"<@{remove_admin.id}>",
            "admin-role": "none" if no_admin_role else admin_role and f"<@&{admin_role}>",
            "shared-history": None if shared_history is None else _yes(shared_history),
            "nudge": "off" if no_nudge else nudge and f"{nudge}d",
            "quiet-after": "off" if no_quiet_pause else quiet_after,
        }
        changes = {k: str(v) for k, v in given.items() if v is not None}
        await run_command(
            interaction,
            c.ChangeSettings(changes, programme=programme)
            if changes
            else c.ShowSettings(programme=programme),
        )

    @round_.command(name="now", description="Close any running round and start one at once")
    @app_commands.describe(programme=PROGRAMME_HELP)
    @app_commands.autocomplete(programme=programme_choices)
    async def round_now(
        self, interaction: Interaction, programme: ProgrammeName | None = None
    ) -> None:
        await run_command(interaction, c.RunRoundNow(programme=programme))

    @round_.command(name="skip", description="Skip the next scheduled round")
    @app_commands.describe(programme=PROGRAMME_HELP)
    @app_commands.autocomplete(programme=programme_choices)
    async def round_skip(
        self, interaction: Interaction, programme: ProgrammeName | None = None
    ) -> None:
        await run_command(interaction, c.SkipRound(programme=programme))

    @app_commands.command(description="Participation and outcome figures")
    @app_commands.describe(programme=PROGRAMME_HELP)
    @app_commands.autocomplete(programme=programme_choices)
    async def stats(self, interaction: Interaction, programme: ProgrammeName | None = None) -> None:
        await run_command(interaction, c.ShowStats(programme=programme))

    @programme.command(
        name="create", description="Start another programme: its own people and rhythm"
    )
    @app_commands.describe(
        name="One word, e.g. data or new-starters",
        cadence="How often its rounds run",
        weekday="The day its rounds start",
        time="Local start time, e.g. 09:30",
        timezone="An IANA timezone, e.g. Europe/London",
        size="People per group",
        channel="Where its takeaways are posted",
        intros_channel="Where its groups' private intro threads are opened",
    )
    async def programme_create(
        self,
        interaction: Interaction,
        name: ProgrammeName,
        cadence: Literal["weekly", "fortnightly", "every-4-weeks"] | None = None,
        weekday: Weekday | None = None,
        time: app_commands.Range[str, 4, 5] | None = None,
        timezone: str | None = None,
        size: Literal[2, 3, 4] | None = None,
        channel: app_commands.Transform[str, TextChannelId] | None = None,
        intros_channel: app_commands.Transform[str, TextChannelId] | None = None,
    ) -> None:
        given: dict[str, object | None] = {
            "cadence": cadence,
            "weekday": weekday,
            "time": time,
            "timezone": timezone,
            "size": size,
            "channel": channel,
            "intros-channel": intros_channel,
        }
        changes = {k: str(v) for k, v in given.items() if v is not None}
        await run_command(interaction, c.CreateProgramme(name, changes))

    @programme.command(name="rename", description="Give a programme a new name")
    async def programme_rename(
        self, interaction: Interaction, old: ProgrammeName, new: ProgrammeName
    ) -> None:
        await run_command(interaction, c.RenameProgramme(old, new))

    @programme.command(name="archive", description="Stop a programme's rounds, keeping its history")
    async def programme_archive(self, interaction: Interaction, name: ProgrammeName) -> None:
        await run_command(interaction, c.ArchiveProgramme(name))

    @programme.command(
        name="bind", description="Gaining a role joins the programme, losing it leaves"
    )
    @app_commands.describe(role="The role (needs the Server Members intent)", unbind="Unbind it")
    async def programme_bind(
        self,
        interaction: Interaction,
        name: ProgrammeName,
        role: app_commands.Transform[str, RoleId] | None = None,
        unbind: bool = False,
    ) -> None:
        if unbind or role is None:
            if not unbind:
                await answer(interaction, Message("Name a role to bind, or set `unbind`."))
                return
            await run_command(interaction, c.BindProgramme(name, None))
            return
        refused = await refuse_binding(interaction, role)
        if refused is not None:
            await answer(interaction, Message(refused))
            return
        await run_command(interaction, c.BindProgramme(name, role))

    @settings.autocomplete("timezone")
    @programme_create.autocomplete("timezone")
    async def _timezone_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in matching_timezones(current, 25)]


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(AdminCommands())
