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
from pairing_core.typed_input import CONTACT, ORGANISATION

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
