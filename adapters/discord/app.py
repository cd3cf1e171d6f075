"""The Discord app: a ``commands.Bot`` given its core services; it loads the listeners."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from adapters.discord.deps import DiscordDeps
from adapters.discord.listeners.components import (
    CheckInButton,
    ChoiceButton,
    ForgetButton,
    GuildCommandButton,
    ReflectButton,
)
from pairing_core.ports import Clock
from pairing_core.services.context import Services

__all__ = ["EXTENSIONS", "UnmentorBot", "intents"]

log = logging.getLogger(__name__)

EXTENSIONS = (
    "adapters.discord.listeners.commands.members",
    "adapters.discord.listeners.commands.admin",
    "adapters.discord.listeners.roles",
)


def intents(members: bool = False) -> discord.Intents:
    """Non-privileged intents, plus Server Members when role binding is wanted (``members``).

    Slash commands and buttons need no message content or members; seeing a member gain or lose
    a role does, and that intent is privileged (enabled in the Developer Portal too).
    """
    wanted = discord.Intents.none()
    wanted.guilds = True  # learn each server's name when the bot joins or starts
    wanted.members = members
    return wanted


class UnmentorBot(commands.Bot):
    """``guild_ids``: sync commands to these servers (instant) rather than globally.

    ``members_intent``: ask for the Server Members intent, so programmes can be bound to roles.
    """

    def __init__(
        self,
        new_services: Callable[[], Services],
        clock: Clock,
        *,
        guild_ids: Sequence[int] = (),
        sync_commands: bool = True,
        members_intent: bool = False,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(members_intent),
            help_command=None,
        )
        self.deps = DiscordDeps(new_services, clock, self.http, members_intent)
        self.guild_ids = tuple(guild_ids)
        self.sync_commands = sync_commands
        self.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]

    async def setup_hook(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        # buttons are found by their custom id, so they keep working after a restart
        self.add_dynamic_items(
            CheckInButton, ReflectButton, ForgetButton, ChoiceButton, GuildCommandButton
        )
        if self.sync_commands:
            await self.sync_application_commands()

    async def sync_application_commands(self) -> None:
        """Register the command groups with Discord: per listed server, or globally."""
        if not self.guild_ids:
            synced = await self.tree.sync()
            log.info("synced %d global application commands", len(synced))
            return
        for guild_id in self.guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d application commands to server %s", len(synced), guild_id)

    async def on_app_command_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        """Log the failure and tell the person, so no command is left unanswered."""
        log.error("command %s failed", interaction.command, exc_info=error)
        text = "Sorry, something went wrong. Please try again, or tell an admin."
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.deps.ensure_guild(guild.id, guild.name)

    async def on_guild_available(self, guild: discord.Guild) -> None:
        await self.deps.ensure_guild(guild.id, guild.name)
