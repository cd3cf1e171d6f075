"""The core's ``ChatPlatform`` on Teams, through the Bot Connector.

Teams lets no bot open a group chat, so a group's "conversation" is its members
(``group:<id>,<id>``) and each message to it is one 1:1 card per member naming the others, with
a button opening the group chat through a deep link (intros). A 1:1 chat is opened (and stored)
the first time a person is written to. Someone Teams will not deliver to is remembered, so the
admins can be told once; the others in their group still get their cards.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from microsoft_agents.activity import Activity, ConversationParameters, ResourceResponse
from microsoft_agents.hosting.core.connector.conversations_base import ConversationsBase

from adapters.teams.connector import Connector, Unreachable
from adapters.teams.references import MemberRef, References
from adapters.teams.render import card, card_activity, deep_link, overflow_cards
from adapters.teams.sent_cards import SentCards
from pairing_core.message import Message, escape_markup
from pairing_core.ports import Clock, DeliveryError
from pairing_core.services.delivery import DELIVERY_KEY

__all__ = ["GROUP_PREFIX", "TeamsPlatform"]

log = logging.getLogger(__name__)

GROUP_PREFIX = "group:"
_ROUND = re.compile(r"round:(\d+):")


def _updating(
    chat: str, activity_id: str, body: Activity
) -> Callable[[ConversationsBase], Awaitable[ResourceResponse]]:
    return lambda c: c.update_activity(chat, activity_id, body)


def _topic() -> str:
    found = _ROUND.search(DELIVERY_KEY.get() or "")
    return f"UnMentoring round {found[1]}" if found else "UnMentoring"


class TeamsPlatform:
    def __init__(
        self, connector: Connector, references: References, sent_cards: SentCards, clock: Clock
    ) -> None:
        self.connector, self.references, self.clock = connector, references, clock
        self.sent_cards = sent_cards
        self._unreachable: dict[str, set[str]] = {}

    # -- ChatPlatform -------------------------------------------------------------------------

    async def open_group(self, community_id: str, member_ids: Sequence[str]) -> str:
        return GROUP_PREFIX + ",".join(member_ids)

    async def send(self, community_id: str, conversation_id: str, message: Message) -> str:
        if not conversation_id.startswith(GROUP_PREFIX):  # never opened by this platform
            raise DeliveryError(f"unknown_conversation:{conversation_id}", permanent=True)
        members = conversation_id.removeprefix(GROUP_PREFIX).split(",")
        return await self._send_each(community_id, conversation_id, members, message)

    async def send_direct(self, community_id: str, member_id: str, message: Message) -> str:
        return await self._direct(community_id, member_id, message)

    async def post_to_channel(self, community_id: str, channel_id: str, message: Message) -> str:
        channel = await self.references.channel(community_id, channel_id)
        if channel is None:
            raise DeliveryError("unknown_channel", permanent=True)
        content = card(message, community_id, await self.names(community_id, message.text))
        body = Activity.model_validate(card_activity(content))
        sent = await self.connector.call(
            channel.service_url,
            lambda c: c.send_to_conversation(channel.conversation_id, body),
            channel.conversation_id,
        )
        return f"{channel.conversation_id};{sent.id}"

    async def display_name(self, community_id: str, member_id: str) -> str | None:
        found = await self.references.member(community_id, member_id)
        return found.name if found else None

    async def update_sent(self, community_id: str, reference: str, message: Message) -> None:
        """Show ``message`` in place of every copy of a sent group card (``chat;id|chat;id``)."""
        content = card(message, community_id, await self.names(community_id, message.text))
        for part in reference.split("|"):
            chat, _, activity_id = part.partition(";")
            person = await self.references.by_chat(community_id, chat)
            if person is None or not activity_id:
                continue
            body = Activity.model_validate({**card_activity(content), "id": activity_id})
            await self.connector.call(person.service_url, _updating(chat, activity_id, body), chat)

    # -- people Teams would not deliver to ----------------------------------------------------

    def take_unreachable(self) -> dict[str, set[str]]:
        """Return (and forget) the people per community found unreachable since last asked."""
        found, self._unreachable = self._unreachable, {}
        return found

    # -- the connector calls ------------------------------------------------------------------

    async def names(
        self, community_id: str, text: str, known: Mapping[str, MemberRef | None] | None = None
    ) -> Any:
        """Return a function naming each person the text mentions (looked up once each)."""
        names: dict[str, str] = {}
        known = known or {}
        for person in set(re.findall(r"<@([A-Za-z0-9]+)", text)):
            if person in known:
                found = known[person]
            else:
                found = await self.references.member(community_id, person)
            names[person] = found.name if found else "a colleague"
        return lambda person: names.get(person, "a colleague")

    async def _direct(
        self,
        community_id: str,
        member_id: str,
        message: Message,
        links: Sequence[Any] = (),
        known: Mapping[str, MemberRef | None] | None = None,
    ) -> str:
        """Send a card to the person's 1:1 chat; ``known``: people already looked up."""
        if known is not None and member_id in known:
            person = known[member_id]
        else:
            person = await self.references.member(community_id, member_id)
        if person is None:
            self._unreachable.setdefault(community_id, set()).add(member_id)
            raise Unreachable("unknown_member", permanent=True)
        names = await self.names(community_id, message.text, known)
        content = card(message, community_id, names, links=links)
        try:
            chat = person.chat_id or await self._open_chat(person)
            sent = await self._post_to(person.service_url, chat, content)
            # A text file too long for one card (a large data export) follows in parts.
            for more in overflow_cards(message):
                await self._post_to(person.service_url, chat, more)
            return sent
        except Unreachable:
            self._unreachable.setdefault(community_id, set()).add(member_id)
            raise

    async def _post_to(self, service_url: str, chat: str, content: dict[str, Any]) -> str:
        body = Activity.model_validate(card_activity(content))
        sent = await self.connector.call(
            service_url, lambda c: c.send_to_conversation(chat, body), chat
        )
        return f"{chat};{sent.id}"

    async def _open_chat(self, person: MemberRef) -> str:
        """Open the bot's 1:1 chat with the person (Teams returns the same one each time)."""
        params = ConversationParameters.model_validate(
            {
                "isGroup": False,
                "members": [{"id": person.user_id}],
                "tenantId": person.tenant_id,
                "channelData": {"tenant": {"id": person.tenant_id}},
            }
        )
        created = await self.connector.call(
            person.service_url, lambda c: c.create_conversation(params)
        )
        chat = str(created.id)
        await self.references.remember_member(
            MemberRef(**{**person.__dict__, "chat_id": chat}), self.clock.now()
        )
        return chat

    async def _send_each(
        self, community_id: str, conversation_id: str, members: list[str], message: Message
    ) -> str:
        """Send a group message as one card per member naming the others, with a chat link.

        The cards go out side by side. Members whose card of this outbox item Teams already
        accepted are skipped (a retry); one refused for good does not stop the others.
        """
        digest = hashlib.sha256(message.text.encode()).hexdigest()[:16]
        key = DELIVERY_KEY.get() or f"{conversation_id}#{digest}"
        done = await self.sent_cards.of(community_id, key)
        found = await self.references.members(community_id, members)
        people: dict[str, MemberRef | None] = {m: found.get(m) for m in members}

        async def send_to(member: str) -> None:
            others = [people[m] for m in members if m != member]
            names = ", ".join(f"*{escape_markup(o.name)}*" if o else "a colleague" for o in others)
            header = f"Your UnMentoring group: you and {names}.\n\n" if others else ""
            upns = [o.upn for o in others if o is not None and o.upn]
            links = [("Open a group chat", deep_link(upns, _topic()))] if upns else []
            mine = Message(header + message.text, message.actions, message.attachments)
            done[member] = await self._direct(community_id, member, mine, links, people)
            await self.sent_cards.add(community_id, key, member, done[member], self.clock.now())

        outcomes = await asyncio.gather(
            *(send_to(m) for m in members if m not in done), return_exceptions=True
        )
        errors = [e for e in outcomes if isinstance(e, BaseException)]
        for error in errors:  # anything but a permanent refusal means: try again later
            if not isinstance(error, DeliveryError) or not error.permanent:
                raise error
        if errors and not done:
            raise errors[0]
        return "|".join(done[m] for m in members if m in done)
