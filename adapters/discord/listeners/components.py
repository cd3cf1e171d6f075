"""Button presses: check-in answers, the takeaway form's opener, forget-me confirmations and
programme choices.

Each button is a dynamic item found by its custom id (rendered in ``render``), so it works after
a restart.
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import ui

from adapters.discord.identity import actor_of, community_id
from adapters.discord.listeners.modals import ReflectionModal
from adapters.discord.render import (
    CHOICE_PREFIX,
    GUILD_COMMAND_PREFIX,
    SAFE_MENTIONS,
    checkin_button,
    choice_button,
    discord_text,
    forget_button,
    guild_command_id,
    message_view,
    reflect_button,
)
from adapters.discord.respond import answer, deps_of, run_text
from pairing_core import commands as c
from pairing_core.button_values import read_checkin, read_group
from pairing_core.dispatch import handle
from pairing_core.errors import DomainError
from pairing_core.message import Message
from pairing_core.privacy import FORGET_ANONYMISE
from pairing_core.programme import GENERAL
from pairing_core.services.answers import record_checkin
from pairing_core.services.checkin_sent import sent_checkin

__all__ = [
    "CHOICE_FORGOTTEN",
    "NOT_THIS_CONVERSATION",
    "CheckInButton",
    "ChoiceButton",
    "ForgetButton",
    "GuildCommandButton",
    "ReflectButton",
]

NOT_THIS_CONVERSATION = "That check-in isn't your group's, so nothing was changed."
CHOICE_FORGOTTEN = "That choice has expired. Please run the command again, naming the programme."


class CheckInButton(
    ui.DynamicItem[ui.Button[Any]],
    template=r"unmentor:checkin:(?P<guild>\d+):(?P<value>\d+:\d+:[a-z-]+(?::[^:]+)?)",
):
    """One answer to the half-way check-in: ``unmentor:checkin:<guild>:<value>``.

    The value is the core's (``round:group:answer``, then ``:programme`` but for "general"), so
    a button sent before programmes existed reads as "general"'s.
    """

    def __init__(self, guild_id: int, value: str, label: str) -> None:
        self.guild_id, self.value = guild_id, value
        super().__init__(checkin_button(guild_id, value, label))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: ui.Item[Any], match: re.Match[str]
    ) -> CheckInButton:
        label = getattr(item, "label", None) or match["value"]
        return cls(int(match["guild"]), match["value"], label)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        deps = deps_of(interaction)
        async with deps.in_flight.track():
            # answered before any database work: Discord gives up after 3 seconds
            await interaction.response.defer()
            community = community_id(self.guild_id)
            cmd = read_checkin(self.value)
            if cmd is None or not await self._in_its_own_conversation(interaction, cmd, community):
                await answer(interaction, Message(NOT_THIS_CONVERSATION))
                return
            try:
                result = await record_checkin(
                    cmd, actor_of(interaction), community, deps.new_services()
                )
            except DomainError as error:
                await answer(interaction, Message(str(error)))
                return
            # the group's answer replaces the question; only better answers keep a button
            await interaction.edit_original_response(
                content=discord_text(result.updated.text),
                view=message_view(self.guild_id, result.updated),
                allowed_mentions=SAFE_MENTIONS,
            )
            await answer(interaction, result.reply)

    async def _in_its_own_conversation(
        self, interaction: discord.Interaction[Any], cmd: c.RecordCheckIn, community: str
    ) -> bool:
        """Whether the pressed message is where the group's check-in was sent (stored data).

        Discord binds a button to its message; this also checks the message is the group's own.
        """
        if interaction.guild_id is not None and interaction.guild_id != self.guild_id:
            return False
        sent = await sent_checkin(
            deps_of(interaction).new_services().uow,
            community,
            cmd.programme_id or GENERAL,
            cmd.round_number,
            cmd.group_index,
        )
        if sent is None:
            return False
        if not sent.conversation_id.isdigit():
            return True  # sent as one DM per member: each pressed their own copy
        return str(interaction.channel_id) == sent.conversation_id


class ReflectButton(
    ui.DynamicItem[ui.Button[Any]],
    template=r"unmentor:reflect:(?P<guild>\d+):(?P<value>\d+:\d+(?::[^:]+)?)",
):
    """Opens the takeaway form: ``unmentor:reflect:<guild>:<round>:<group>[:<programme>]``."""

    def __init__(self, guild_id: int, value: str, label: str) -> None:
        self.guild_id, self.value = guild_id, value
        super().__init__(reflect_button(guild_id, value, label))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: ui.Item[Any], match: re.Match[str]
    ) -> ReflectButton:
        label = getattr(item, "label", None) or "Share a takeaway"
        return cls(int(match["guild"]), match["value"], label)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        group = read_group(self.value)
        if group is None:
            await answer(interaction, Message(NOT_THIS_CONVERSATION))
            return
        await interaction.response.send_modal(
            ReflectionModal(self.guild_id, group.round_number, programme_id=group.programme_id)
        )


class ChoiceButton(
    ui.DynamicItem[ui.Button[Any]],
    template=re.escape(CHOICE_PREFIX) + r"(?P<text>[\s\S]+)",
):
    """A programme to choose, when a command could mean several: runs the command it carries.

    ``unmentor:programme:<command>`` (the command as typed, e.g. ``join data``), or a digest of a
    command too long for a custom id, kept in memory (``ChoiceTexts``).
    """

    def __init__(self, custom_id: str, label: str) -> None:
        super().__init__(choice_button(custom_id, label))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: ui.Item[Any], match: re.Match[str]
    ) -> ChoiceButton:
        label = getattr(item, "label", None) or "Choose"
        return cls(match.string, label)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        text = deps_of(interaction).choices.text(self.custom_id)
        if text is None:
            await answer(interaction, Message(CHOICE_FORGOTTEN))
            return
        await run_text(interaction, text)


class GuildCommandButton(
    ui.DynamicItem[ui.Button[Any]],
    template=re.escape(GUILD_COMMAND_PREFIX) + r"(?P<guild>\d+):(?P<text>[\s\S]+)",
):
    """A delivered message's command: ``unmentor:run:<guild>:<command>`` (e.g. ``resume`` on the
    quiet-member pause, ``skip`` on the heads-up), run in that server even when pressed in a DM."""

    def __init__(self, guild_id: int, text: str, label: str) -> None:
        self.guild_id, self.text = guild_id, text
        super().__init__(choice_button(guild_command_id(guild_id, text), label))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: ui.Item[Any], match: re.Match[str]
    ) -> GuildCommandButton:
        label = getattr(item, "label", None) or "Choose"
        return cls(int(match["guild"]), match["text"], label)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_text(interaction, self.text, guild_id=self.guild_id)


class ForgetButton(
    ui.DynamicItem[ui.Button[Any]],
    template=r"unmentor:forget:(?P<guild>\d+):(?P<choice>delete|anonymise)",
):
    """Confirms an erasure: ``unmentor:forget:<guild>:<delete|anonymise>``."""

    def __init__(self, guild_id: int, choice: str, label: str) -> None:
        self.guild_id, self.choice = guild_id, choice
        super().__init__(forget_button(guild_id, choice, label))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: ui.Item[Any], match: re.Match[str]
    ) -> ForgetButton:
        label = getattr(item, "label", None) or "Erase me"
        return cls(int(match["guild"]), match["choice"], label)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        deps = deps_of(interaction)
        async with deps.in_flight.track():
            # answered before any database work: Discord gives up after 3 seconds
            await interaction.response.defer()
            keep = self.choice == FORGET_ANONYMISE
            cmd = c.ForgetMe(confirm=True, keep_reflections_anonymised=keep)
            community = community_id(self.guild_id)
            reply = await handle(cmd, actor_of(interaction), community, deps.new_services())
            # the answer replaces the question, so its buttons cannot be pressed again
            await interaction.edit_original_response(
                content=discord_text(reply.text), view=None, allowed_mentions=SAFE_MENTIONS
            )
