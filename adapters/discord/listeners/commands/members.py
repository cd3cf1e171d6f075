"""``/unmentor ...``: what every member can do. Each command builds a core command and runs it."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from adapters.discord.help import MEMBER_GROUP, help_text
from adapters.discord.identity import actor_of, community_id
from adapters.discord.listeners.modals import ReflectionModal
from adapters.discord.programme_names import PROGRAMME_HELP, ProgrammeName, programme_choices
from adapters.discord.respond import answer, deps_of, run_command
from pairing_core import commands as c
from pairing_core.command_text import parse_command
from pairing_core.errors import UsageError
from pairing_core.message import Message
from pairing_core.typed_input import ABOUT, CONTACT, ORGANISATION, TIMEZONE
from pairing_core.working_hours import matching_timezones

__all__ = ["MemberCommands", "setup"]

Interaction = discord.Interaction[Any]


def _valid_pause(words: str) -> bool:
    try:
        parse_command(f"pause {words}")
    except UsageError:
        return False
    return True


@app_commands.guild_only()
class MemberCommands(
    commands.GroupCog,
    group_name=MEMBER_GROUP,
    group_description="UnMentoring: random conversations across the network",
):
    @app_commands.command(description="Put yourself in the pot for the next rounds")
    @app_commands.describe(
        organisation="Where you work, so you meet people from elsewhere", programme=PROGRAMME_HELP
    )
    @app_commands.autocomplete(programme=programme_choices)
    async def join(
        self,
        interaction: Interaction,
        organisation: app_commands.Range[str, 1, ORGANISATION.limit] | None = None,
        programme: ProgrammeName | None = None,
    ) -> None:
        await run_command(interaction, c.JoinPool(organisation, programme=programme))

    @app_commands.command(description="Leave UnMentoring (you can join again any time)")
    @app_commands.describe(programme=PROGRAMME_HELP)
    @app_commands.autocomplete(programme=programme_choices)
    async def leave(self, interaction: Interaction, programme: ProgrammeName | None = None) -> None:
        await run_command(interaction, c.LeavePool(programme=programme))

    @app_commands.command(description="Sit out the next rounds for a while")
    @app_commands.describe(duration="e.g. 2w, 10d or until 2026-12-31", programme=PROGRAMME_HELP)
    @app_commands.autocomplete(programme=programme_choices)
    async def pause(
        self, interaction: Interaction, duration: str, programme: ProgrammeName | None = None
    ) -> None:
        try:
            command = parse_command(f"pause {duration}")
        except UsageError as error:
            await answer(interaction, Message(f"{error} Try `2w`, `10d` or `until 2026-12-31`."))
            return
        if isinstance(command, c.PauseMembership):
            command = replace(command, programme=programme)
        await run_command(interaction, command)

    @pause.autocomplete("duration")
    async def _durations(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        today = discord.utils.utcnow().date()
        options = [("1 week", "1w"), ("2 weeks", "2w"), ("4 weeks", "4w"), ("8 weeks", "8w")]
        options += [(f"until {d}", f"until {d}") for d in (today + timedelta(days=90),)]
        matching = [(n, v) for n, v in options if current.strip() in v]
        if current and current not in {v for _, v in options} and _valid_pause(current):
            matching.insert(0, (current, current))
        return [app_commands.Choice(name=n, value=v) for n, v in matching][:25]

    @app_commands.command(description="Come back from a pause")
    @app_commands.describe(programme=PROGRAMME_HELP)
    @app_commands.autocomplete(programme=programme_choices)
    async def resume(
        self, interaction: Interaction, programme: ProgrammeName | None = None
    ) -> None:
        await run_command(interaction, c.ResumeMembership(programme=programme))

    @app_commands.command(description="Sit out the coming round only")
    @app_commands.describe(programme=PROGRAMME_HELP)
    @app_commands.autocomplete(programme=programme_choices)
    async def skip(self, interaction: Interaction, programme: ProgrammeName | None = None) -> None:
        await run_command(interaction, c.SkipComingRound(programme=programme))

    @app_commands.command(
        name="in", description="Count me in the coming round (undoes a skip, or opts in)"
    )
    @app_commands.describe(programme=PROGRAMME_HELP)
    @app_commands.autocomplete(programme=programme_choices)
    async def in_(self, interaction: Interaction, programme: ProgrammeName | None = None) -> None:
        await run_command(interaction, c.JoinComingRound(programme=programme))

    @app_commands.command(description="Where you stand: in the pot, paused, your current group")
    async def status(self, interaction: Interaction) -> None:
        await run_command(interaction, c.ShowStatus())

    @app_commands.command(description="The programmes here, their rhythm, and the ones you're in")
    async def programmes(self, interaction: Interaction) -> None:
        await run_command(interaction, c.ShowProgrammes())

    @app_commands.command(description="Never be paired with someone (only you will know)")
    @app_commands.describe(member="Who", undo="Allow being paired with them again")
    async def never(
        self, interaction: Interaction, member: discord.User, undo: bool = False
    ) -> None:
        await run_command(interaction, c.NeverPair(str(member.id), undo=undo))

    @app_commands.command(description="How your partners can reach you, e.g. a video link")
    @app_commands.describe(how="Shown to your partners", clear="Remove your contact note")
    async def contact(
        self,
        interaction: Interaction,
        how: app_commands.Range[str, 1, CONTACT.limit] | None = None,
        clear: bool = False,
    ) -> None:
        if clear or how:
            await run_command(interaction, c.SetContact(None if clear else how))
            return
        await answer(interaction, Message("Tell me how people can reach you, or set `clear`."))

    @app_commands.command(description="Your time zone, so intros show your local time")
    @app_commands.describe(
        name="An IANA time zone, e.g. Europe/Dublin (type to search)",
        clear="Use your programme's time zone again",
    )
    async def timezone(
        self,
        interaction: Interaction,
        name: app_commands.Range[str, 1, TIMEZONE.limit] | None = None,
        clear: bool = False,
    ) -> None:
        if clear or name:
            await run_command(interaction, c.SetTimezone(None if clear else name))
            return
        await answer(interaction, Message("Give a time zone like Europe/Dublin, or set `clear`."))

    @timezone.autocomplete("name")
    async def _timezone_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in matching_timezones(current, 25)]

    @app_commands.command(description="Your working hours, Monday to Friday (default 09:00-17:00)")
    @app_commands.describe(hours="Local times, e.g. 08:00-16:00")
    async def hours(self, interaction: Interaction, hours: app_commands.Range[str, 1, 20]) -> None:
        try:
            command = parse_command(f"hours {hours}")
        except UsageError as error:
            await answer(interaction, Message(str(error)))
            return
        await run_command(interaction, command)

    @app_commands.command(description="One line about you, shown in your intros")
    @app_commands.describe(line="Up to 200 characters", clear="Remove your about line")
    async def about(
        self,
        interaction: Interaction,
        line: app_commands.Range[str, 1, ABOUT.limit] | None = None,
        clear: bool = False,
    ) -> None:
        if clear or line:
            await run_command(interaction, c.SetAbout(None if clear else line))
            return
        await answer(interaction, Message("Write a line about yourself, or set `clear`."))

    @app_commands.command(description="Share a takeaway from your latest conversation")
    @app_commands.describe(
        private="Record it without posting it in the reflections channel",
        programme="The programme of the conversation (your latest in any, if not given)",
    )
    @app_commands.autocomplete(programme=programme_choices)
    async def reflect(
        self,
        interaction: Interaction,
        private: bool = False,
        programme: ProgrammeName | None = None,
    ) -> None:
        if interaction.guild_id is None:
            return
        await interaction.response.send_modal(
            ReflectionModal(interaction.guild_id, None, public=not private, programme=programme)
        )

    @app_commands.command(description="What UnMentoring stores about you, why and for how long")
    async def privacy(self, interaction: Interaction) -> None:
        await run_command(interaction, c.ShowPrivacy())

    @app_commands.command(name="my-data", description="Get a file of everything stored about you")
    async def my_data(self, interaction: Interaction) -> None:
        await run_command(interaction, c.ExportMyData())

    @app_commands.command(name="forget-me", description="Erase everything stored about you")
    async def forget_me(self, interaction: Interaction) -> None:
        await run_command(interaction, c.ForgetMe())

    @app_commands.command(name="help", description="What you can do here")
    async def help_(self, interaction: Interaction) -> None:
        deps = deps_of(interaction)
        async with deps.in_flight.track():  # counted, so tests and shutdown wait for it
            # answered before the database is read: Discord gives up after 3 seconds
            await interaction.response.defer(ephemeral=True, thinking=True)
            actor, is_admin = actor_of(interaction), False
            if interaction.guild_id is not None:
                uow = deps.new_services().uow
                async with uow:
                    community = await uow.communities.get(community_id(interaction.guild_id))
                is_admin = actor.platform_admin or (
                    community is not None and community.is_admin(actor.member_id, actor.roles)
                )
            await answer(interaction, Message(help_text(interaction.client.tree, is_admin)))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(MemberCommands())
