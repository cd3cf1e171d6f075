"""Button presses: check-in answers, the takeaway form's opener and forget-me confirmations.

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
    SAFE_MENTIONS,
    checkin_button,
    discord_text,
    forget_button,
    message_view,
    reflect_button,
)
from adapters.discord.respond import answer, deps_of
from pairing_core import commands as c
from pairing_core.dispatch import handle
from pairing_core.errors import DomainError
from pairing_core.message import Message
from pairing_core.privacy import FORGET_ANONYMISE
from pairing_core.round import CheckInAnswer
from pairing_core.services.answers import record_checkin
from pairing_core.services.checkin_sent import sent_checkin

__all__ = ["NOT_THIS_CONVERSATION", "CheckInButton", "ForgetButton", "ReflectButton"]

NOT_THIS_CONVERSATION = "That check-in isn't your group's, so nothing was changed."


class CheckInButton(
    ui.DynamicItem[ui.Button[Any]],
    template=r"unmentor:checkin:(?P<guild>\d+):(?P<round>\d+):(?P<group>\d+):(?P<answer>[a-z-]+)",
):
    """One answer to the half-way check-in: ``unmentor:checkin:<guild>:<round>:<group>:<answer>``."""

    def __init__(
        self, guild_id: int, round_number: int, group_index: int, choice: CheckInAnswer, label: str
    ) -> None:
        self.guild_id, self.choice = guild_id, choice
        self.round_number, self.group_index = round_number, group_index
        super().__init__(checkin_button(guild_id, round_number, group_index, choice, label))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: ui.Item[Any], match: re.Match[str]
    ) -> CheckInButton:
        label = getattr(item, "label", None) or match["answer"]
        return cls(
            int(match["guild"]),
            int(match["round"]),
            int(match["group"]),
            CheckInAnswer(match["answer"]),
            label,
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        deps = deps_of(interaction)
        async with deps.in_flight.track():
            # answered before any database work: Discord gives up after 3 seconds
            await interaction.response.defer()
            community = community_id(self.guild_id)
            if not await self._in_its_own_conversation(interaction, community):
                await answer(interaction, Message(NOT_THIS_CONVERSATION))
                return
            cmd = c.RecordCheckIn(self.round_number, self.group_index, self.choice)
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
                view=message_view(community_id(self.guild_id), result.updated),
                allowed_mentions=SAFE_MENTIONS,
            )
            await answer(interaction, result.reply)

    async def _in_its_own_conversation(
        self, interaction: discord.Interaction[Any], community: str
    ) -> bool:
        """Whether the pressed message is where the group's check-in was sent (stored data).

        Discord binds a button to its message; this also checks the message is the group's own.
        """
        if interaction.guild_id is not None and interaction.guild_id != self.guild_id:
            return False
        sent = await sent_checkin(
            deps_of(interaction).new_services().uow, community, self.round_number, self.group_index
        )
        if sent is None:
            return False
        if not sent.conversation_id.isdigit():
            return True  # sent as one DM per member: each pressed their own copy
        return str(interaction.channel_id) == sent.conversation_id


class ReflectButton(
    ui.DynamicItem[ui.Button[Any]],
    template=r"unmentor:reflect:(?P<guild>\d+):(?P<round>\d+):(?P<group>\d+)",
):
    """Opens the takeaway form: ``unmentor:reflect:<guild>:<round>:<group>``."""

    def __init__(self, guild_id: int, round_number: int, group_index: int, label: str) -> None:
        self.guild_id, self.round_number = guild_id, round_number
        super().__init__(reflect_button(guild_id, round_number, group_index, label))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: ui.Item[Any], match: re.Match[str]
    ) -> ReflectButton:
        label = getattr(item, "label", None) or "Share a takeaway"
        return cls(int(match["guild"]), int(match["round"]), int(match["group"]), label)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_modal(ReflectionModal(self.guild_id, self.round_number))


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
