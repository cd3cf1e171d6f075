"""Programmes bound to roles: gaining a bound role opts the member in, losing it opts them out.

Discord tells the bot about role changes only with the privileged Server Members intent, which
the operator turns on (``DISCORD_MEMBERS_INTENT``); without it these listeners are never called.
The member is told in a direct message what changed.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, cast

import discord
from discord.ext import commands

from adapters.discord.identity import role_ids
from pairing_core.message import Message, escape_markup
from pairing_core.ports import DeliveryError
from pairing_core.services.bindings import joined_binding, left_binding
from pairing_core.services.context import Actor

if TYPE_CHECKING:
    from adapters.discord.deps import DiscordDeps

__all__ = ["RoleBindings", "setup"]

log = logging.getLogger(__name__)


class RoleBindings(commands.Cog):
    """Opt members in and out of the programmes bound to the roles they gain and lose."""

    def __init__(self, bot: commands.Bot) -> None:
        self.deps = cast("DiscordDeps", bot.deps)  # type: ignore[attr-defined]

    @commands.Cog.listener()
    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        await self._changed(
            after, role_ids(after) - role_ids(before), role_ids(before) - role_ids(after)
        )

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        await self._changed(member, role_ids(member), frozenset())

    async def _changed(
        self, member: discord.Member, gained: frozenset[str], lost: frozenset[str]
    ) -> None:
        if member.bot or not (gained or lost):
            return
        deps = self.deps
        async with deps.in_flight.track():
            community = await deps.ensure_guild(member.guild.id, member.guild.name)
            actor = Actor(str(member.id), member.display_name, False, role_ids(member))
            replies: list[Message] = []
            for role in sorted(lost):
                replies += await left_binding(deps.new_services(), community, actor, role=role)
            for role in sorted(gained):
                replies += await joined_binding(deps.new_services(), community, actor, role=role)
            if not replies:
                return  # no programme is bound to these roles
            told = Message(
                f"Your roles in {escape_markup(member.guild.name)} changed, so:\n"
                + "\n".join(reply.text for reply in replies)
            )
            try:
                await deps.platform.send_direct(community, str(member.id), told)
            except DeliveryError as error:
                log.warning("could not tell %s about a role change: %s", member.id, error.reason)
            deps.deliver_soon()


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(RoleBindings(bot))
