"""Answer an interaction privately, and run a core command for the person behind it."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

import discord

from adapters.discord.identity import actor_of
from adapters.discord.render import SAFE_MENTIONS, chunks, discord_text, message_view
from pairing_core import commands as c
from pairing_core.dispatch import handle, handle_text
from pairing_core.message import Message
from pairing_core.services.context import Actor, Services

if TYPE_CHECKING:
    from adapters.discord.deps import DiscordDeps

__all__ = ["answer", "deps_of", "run_command", "run_text"]


def deps_of(interaction: discord.Interaction[Any]) -> DiscordDeps:
    """Return the deps of the bot that received the interaction."""
    return cast("DiscordDeps", interaction.client.deps)


async def answer(interaction: discord.Interaction[Any], message: Message) -> None:
    """Reply so only the person who asked sees it (as a follow-up once the answer was deferred).

    Files (a data export) and buttons (forget-me, a programme choice) go with the last part.
    """
    choices = deps_of(interaction).choices
    parts = chunks(discord_text(message.text))
    for number, part in enumerate(parts, 1):
        extra: dict[str, Any] = {}
        if number == len(parts):
            if message.attachments:
                extra["files"] = [
                    discord.File(io.BytesIO(a.content), filename=a.filename)
                    for a in message.attachments
                ]
            view = message_view(interaction.guild_id or 0, message, choices)
            if view is not None:
                extra["view"] = view
        if interaction.response.is_done():
            await interaction.followup.send(
                part, ephemeral=True, allowed_mentions=SAFE_MENTIONS, **extra
            )
        else:
            await interaction.response.send_message(
                part, ephemeral=True, allowed_mentions=SAFE_MENTIONS, **extra
            )


async def run_command(interaction: discord.Interaction[Any], command: c.Command) -> None:
    """Defer privately, run ``command`` in the guild's community, answer, then deliver."""
    await _run(
        interaction, lambda actor, community, services: handle(command, actor, community, services)
    )


async def run_text(
    interaction: discord.Interaction[Any], text: str, guild_id: int | None = None
) -> None:
    """As ``run_command``, for a command as typed after ``/unmentor`` (a programme choice's);
    ``guild_id`` is the server a button pressed in a DM belongs to."""
    await _run(
        interaction,
        lambda actor, community, services: handle_text(text, actor, community, services),
        guild_id,
    )


Runner = Callable[[Actor, str, Services], Awaitable[Message]]


async def _run(
    interaction: discord.Interaction[Any], run: Runner, dm_guild_id: int | None = None
) -> None:
    deps = deps_of(interaction)
    async with deps.in_flight.track():
        # answered before any database work: Discord gives up after 3 seconds
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild_id = interaction.guild_id or dm_guild_id
        if guild_id is None:
            await answer(interaction, Message("Please use UnMentoring commands in a server."))
            return
        name = getattr(interaction.guild, "name", None)
        community = await deps.ensure_guild(guild_id, name)
        reply = await run(actor_of(interaction), community, deps.new_services())
        await answer(interaction, reply)
        # e.g. `round now` queued the intros: send them now rather than at the next tick
        deps.deliver_soon()
