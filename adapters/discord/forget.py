"""The forget-me confirmation buttons; the custom id carries the guild and the choice."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import ui

from adapters.discord.identity import actor_of, community_id
from adapters.discord.render import SAFE_MENTIONS, discord_text
from pairing_core import commands as c
from pairing_core.dispatch import handle
from pairing_core.message import Message
from pairing_core.privacy import FORGET_ACTION, FORGET_ANONYMISE

if TYPE_CHECKING:
    from adapters.discord.deps import DiscordDeps

__all__ = ["ForgetButton", "forget_view"]


class ForgetButton(
    ui.DynamicItem[ui.Button[Any]],
    template=r"unmentor:forget:(?P<guild>\d+):(?P<choice>delete|anonymise)",
):
    """Confirms an erasure: ``unmentor:forget:<guild>:<delete|anonymise>``."""

    def __init__(self, guild_id: int, choice: str, label: str) -> None:
        self.guild_id, self.choice = guild_id, choice
        super().__init__(
            ui.Button(
                label=label,
                style=discord.ButtonStyle.danger,
                custom_id=f"unmentor:forget:{guild_id}:{choice}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: ui.Item[Any], match: re.Match[str]
    ) -> ForgetButton:
        label = getattr(item, "label", None) or "Erase me"
        return cls(int(match["guild"]), match["choice"], label)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        deps = cast("DiscordDeps", interaction.client.deps)
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


def forget_view(guild_id: int, message: Message) -> ui.View | None:
    """Render a reply's forget-me buttons, if it has any."""
    buttons = [a for a in message.actions if a.action_id == FORGET_ACTION]
    if not buttons:
        return None
    view = ui.View(timeout=None)
    for action in buttons:
        view.add_item(ForgetButton(guild_id, action.value, action.label))
    return view
