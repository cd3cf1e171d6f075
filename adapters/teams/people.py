"""Learn the people and channels an activity names, and store how to reach them."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from adapters.teams.connector import Connector
from adapters.teams.identity import member_id, member_ref, tenant_of
from adapters.teams.references import ChannelRef, MemberRef, References, channel_alias
from pairing_core.ports import Clock, DeliveryError

__all__ = ["People"]

log = logging.getLogger(__name__)


class People:
    def __init__(self, references: References, connector: Connector, clock: Clock) -> None:
        self.references, self.connector, self.clock = references, connector, clock

    async def sender(self, activity: dict[str, Any], community_id: str) -> MemberRef | None:
        """Store the sender (their UPN asked of the connector once, for the deep link)."""
        ref = member_ref(activity, community_id)
        if ref is None:
            return None
        stored = await self.references.member(community_id, ref.member_id)
        if ref.upn is None and (stored is None or stored.upn is None):
            fetched = await self._fetch(activity, ref.user_id, community_id)
            if fetched is not None:
                ref = replace(ref, upn=fetched.upn)
        await self.references.remember_member(ref, self.clock.now())
        return ref

    async def named(
        self, activity: dict[str, Any], user_id: str, community_id: str
    ) -> MemberRef | None:
        """Return the person a mention names: stored, or asked of the connector and stored."""
        stored = await self.references.by_user_id(community_id, user_id)
        if stored is not None:
            return stored
        fetched = await self._fetch(activity, user_id, community_id)
        if fetched is not None:
            await self.references.remember_member(fetched, self.clock.now())
        return fetched

    async def channel(
        self, activity: dict[str, Any], conversation_id: str, name: str, community_id: str
    ) -> str:
        """Store a channel a command names; return the id the core knows it by."""
        alias = channel_alias(conversation_id.partition(";")[0])
        ref = ChannelRef(
            community_id, alias, conversation_id.partition(";")[0], name, activity["serviceUrl"]
        )
        await self.references.remember_channel(ref)
        return alias

    async def _fetch(
        self, activity: dict[str, Any], user_id: str, community_id: str
    ) -> MemberRef | None:
        conversation = str((activity.get("conversation") or {}).get("id", ""))
        try:
            account = await self.connector.call(
                activity["serviceUrl"],
                lambda c: c.get_conversation_member(conversation, user_id),
            )
        except DeliveryError as error:
            log.info("could not look up a Teams member: %s", error.reason)
            return None
        extra = account.model_extra or {}
        if not account.aad_object_id:
            return None
        return MemberRef(
            community_id,
            member_id(account.aad_object_id),
            account.id,
            account.name or "someone",
            extra.get("userPrincipalName"),
            tenant_of(activity),
            str(activity["serviceUrl"]),
        )
