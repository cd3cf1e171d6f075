"""Form submissions: the takeaway form, opened by a button or by ``/unmentor reflect``."""

from __future__ import annotations

from typing import Any

import discord
from discord import ui

from adapters.discord.identity import actor_of, community_id
from adapters.discord.render import CUSTOM_ID_LENGTH
from adapters.discord.respond import answer, deps_of
from pairing_core import commands as c
from pairing_core.dispatch import handle
from pairing_core.errors import UsageError
from pairing_core.message import Message
from pairing_core.programme import GENERAL
from pairing_core.typed_input import RATINGS, TAKEAWAY, checked_reflection_fields

__all__ = ["ReflectionModal"]


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

    def __init__(
        self,
        guild_id: int,
        round_number: int | None,
        public: bool = True,
        *,
        programme_id: str | None = None,
        programme: str | None = None,
    ) -> None:
        """``programme_id`` comes from a round's button; ``programme`` is a name as typed."""
        self.guild_id, self.round_number, self.public = guild_id, round_number, public
        self.programme_id, self.programme = programme_id, programme
        title = "Share a takeaway" if public else "Record a private takeaway"
        custom_id = f"unmentor:reflection:{guild_id}:{round_number or 0}"
        if programme_id not in (None, GENERAL):
            custom_id += f":{programme_id}"
        super().__init__(title=title, custom_id=custom_id[:CUSTOM_ID_LENGTH], timeout=1800)

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
            cmd = c.SubmitReflection(
                typed.text,
                self.public,
                typed.rating,
                typed.round_number,
                programme=self.programme,
                programme_id=self.programme_id,
            )
            community = community_id(self.guild_id)
            reply = await handle(cmd, actor_of(interaction), community, deps.new_services())
            await answer(interaction, reply)
            deps.deliver_soon()  # the takeaway's post in the reflections channel
