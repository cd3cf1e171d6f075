"""The programme option of the slash commands: suggestions from the server's programmes."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord.identity import community_id
from adapters.discord.respond import deps_of

__all__ = ["PROGRAMME_HELP", "ProgrammeName", "programme_choices"]

PROGRAMME_HELP = "Which programme (needed only when the server has several)"
# A programme's name as Discord's option takes it; the core checks it is one.
ProgrammeName = app_commands.Range[str, 1, 40]


async def programme_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Suggest the server's running programmes whose names contain what is typed so far."""
    if interaction.guild_id is None:
        return []
    uow = deps_of(interaction).new_services().uow
    async with uow:
        programmes = await uow.programmes.list(community_id(interaction.guild_id))
    wanted = current.strip().lower()
    names = [p.name for p in programmes if p.active and wanted in p.name.lower()]
    return [app_commands.Choice(name=n, value=n) for n in names[:25]]
