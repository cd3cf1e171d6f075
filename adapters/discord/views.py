"""Buttons and the takeaway form. Custom ids carry everything, so buttons work after a restart."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import ui

from adapters.discord.identity import actor_of, community_id
from adapters.discord.render import SAFE_MENTIONS, discord_text
from adapters.discord.respond import answer, deps_of
from pairing_core import commands as c
from pairing_core.dispatch import handle
from pairing_core.errors import DomainError, UsageError
from pairing_core.message import Message
from pairing_core.round import CheckInAnswer
from pairing_core.services.answers import record_checkin
from pairing_core.services.checkin_sent import sent_checkin
from pairing_core.texts import CHECKIN_ACTION, REFLECT_ACTION
from pairing_core.typed_input import RATINGS, TAKEAWAY, checked_reflection_fields

__all__ = ["CheckInButton", "ReflectButton", "ReflectionModal", "message_view"]

NOT_THIS_CONVERSATION = "That check-in isn't your group's, so nothing was changed."

_STYLES = {
    CheckInAnswer.MET: discord.ButtonStyle.success,
    CheckInAnswer.BOOKED: discord.ButtonStyle.primary,
    CheckInAnswer.NOT_THIS_TIME: discord.ButtonStyle.secondary,
}


def _guild(community: str) -> int:
    return int(community.removeprefix("discord:"))


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
        custom_id = f"unmentor:checkin:{guild_id}:{round_number}:{group_index}:{choice.value}"
        super().__init__(ui.Button(label=label, style=_STYLES[choice], custom_id=custom_id))

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
        custom_id = f"unmentor:reflect:{guild_id}:{round_number}:{group_index}"
        super().__init__(
            ui.Button(label=label, style=discord.ButtonStyle.primary, custom_id=custom_id)
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: ui.Item[Any], match: re.Match[str]
    ) -> ReflectButton:
        label = getattr(item, "label", None) or "Share a takeaway"
        return cls(int(match["guild"]), int(match["round"]), int(match["group"]), label)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_modal(ReflectionModal(self.guild_id, self.round_number))


class ReflectionModal(ui.Modal):
    """The takeaway form; a public takeaway is posted to the reflections channel."""

    takeaway: ui.TextInput[ReflectionModal] = ui.TextInput(
        label="What did you take away from the conversation?",
        style=discord.TextStyle.paragraph,
        max_length=TAKEAWAY.limit,  # a hint to Discord's form; the core checks it
        custom_id="takeaway",
    )
    rating: ui.TextInput[ReflectionModal] = ui.TextInput(
        # Discord caps a label at 45 characters: the full question is the placeholder
        label=f"Did it challenge your thinking? {RATINGS[0]}-{RATINGS[-1]}",
        placeholder="Did this conversation challenge your thinking? "
        f"{RATINGS[0]} (not at all) to {RATINGS[-1]} (a lot)",
        required=False,
        max_length=len(str(RATINGS[-1])),
        custom_id="rating",
    )

    def __init__(self, guild_id: int, round_number: int | None, public: bool = True) -> None:
        self.guild_id, self.round_number, self.public = guild_id, round_number, public
        title = "Share a takeaway" if public else "Record a private takeaway"
        super().__init__(
            title=title,
            custom_id=f"unmentor:reflection:{guild_id}:{round_number or 0}",
            timeout=1800,
        )

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        deps = deps_of(interaction)
        async with deps.in_flight.track():
            # answered before any database work: Discord gives up after 3 seconds
            await interaction.response.defer(ephemeral=True, thinking=True)
            try:  # the core's checks, made here only to read the typed rating as a number
                typed = checked_reflection_fields(
                    self.takeaway.value, self.rating.value, self.round_number
                )
            except UsageError as refused:
                await answer(interaction, Message(str(refused)))
                return
            cmd = c.SubmitReflection(typed.text, self.public, typed.rating, typed.round_number)
            community = community_id(self.guild_id)
            reply = await handle(cmd, actor_of(interaction), community, deps.new_services())
            await answer(interaction, reply)
            deps.deliver_soon()  # the takeaway's post in the reflections channel


def message_view(community: str, message: Message) -> ui.View | None:
    """Render a message's buttons as a persistent view (no timeout, stable custom ids)."""
    if not message.actions:
        return None
    guild, view = _guild(community), ui.View(timeout=None)
    for action in message.actions:
        parts = action.value.split(":")
        if action.action_id == CHECKIN_ACTION:
            number, index, choice = int(parts[0]), int(parts[1]), CheckInAnswer(parts[2])
            view.add_item(CheckInButton(guild, number, index, choice, action.label))
        elif action.action_id == REFLECT_ACTION:
            view.add_item(ReflectButton(guild, int(parts[0]), int(parts[1]), action.label))
    return view
