"""The core's ``ChatPlatform`` on Discord, over discord.py's REST client.

Bots cannot open group DMs, so a group's conversation is a private thread in its programme's
intros channel with its members added (the programme is read from the key of the outbox item
being sent); with no such channel each member gets a DM naming their
partners (the conversation id is then ``dm:<id>,<id>``). A member whose DMs are closed is told in
a private thread instead, and the platform remembers them so the admins can be told once.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Final, Literal, TypeVar

import aiohttp
import discord
from discord.http import HTTPClient, handle_message_parameters

from adapters.discord.render import chunks, discord_text, mentions_of, message_view
from pairing_core.message import Message
from pairing_core.ports import DeliveryError
from pairing_core.programme import GENERAL, programme_of_key
from pairing_core.services.delivery import DELIVERY_KEY, EARLIER_ATTEMPT

__all__ = ["DM_PREFIX", "ClosedDMs", "DiscordPlatform", "delivery_error", "guild_of"]

log = logging.getLogger(__name__)

T = TypeVar("T")
DM_PREFIX = "dm:"
PRIVATE_THREAD: Final[Literal[12]] = 12
WEEK_MINUTES: Final[Literal[10080]] = 10080  # auto-archive after a week without messages

# Discord accepts a nonce of at most 25 characters.
_NONCE_LENGTH = 25
THREAD_NAME = "UnMentoring"
_TAG_LENGTH = 8


def _nonce(channel_id: str, part: int) -> str | None:
    """Return the nonce for one part of the outbox item being sent to a channel, if one is.

    Sent with ``enforce_nonce`` (discord.py sets it with any nonce): Discord answers a message
    repeated with the same nonce within a few minutes with the one it already created, so a send
    retried after a crash, or after an answer lost on the way back, shows once. The channel is in
    it because one item may go to several channels (a group as one DM each).
    """
    key = DELIVERY_KEY.get()
    if key is None:
        return None
    return hashlib.sha256(f"{key}\n{channel_id}\n{part}".encode()).hexdigest()[:_NONCE_LENGTH]


def _thread_name(member_ids: Sequence[str]) -> str:
    """Name a private thread, tagged with the outbox item it is opened for, if one is.

    A programme's threads bear its id ("general"'s none, as before programmes).

    Opening a thread takes no nonce; the tag lets a retry find the thread an attempt cut short by
    a crash opened (``_earlier_thread``) rather than open a second one.
    """
    key = DELIVERY_KEY.get()
    if key is None:
        return THREAD_NAME
    tag = hashlib.sha256(f"{key}\n{','.join(member_ids)}".encode()).hexdigest()[:_TAG_LENGTH]
    programme = _sending_for()  # someone in two programmes tells their threads apart
    named = THREAD_NAME if programme == GENERAL else f"{THREAD_NAME} {programme}"
    return f"{named} · {tag}"


# Discord JSON error codes that retrying cannot fix.
CANNOT_DM = 50007
_PERMANENT_CODES = {
    10003: "unknown_channel",
    10007: "unknown_member",
    10013: "unknown_user",
    50001: "missing_access",
    50013: "missing_permissions",
    50035: "invalid_form_body",
    CANNOT_DM: "dms_closed",
}

# (community, programme) -> the channel a programme's groups get their threads in
IntrosChannel = Callable[[str, str], Awaitable[str | None]]


def _sending_for() -> str:
    """Return the programme of the outbox item being sent ("general" outside a delivery)."""
    key = DELIVERY_KEY.get()
    if key is None:
        return GENERAL
    return programme_of_key(key.partition("/")[2])


class ClosedDMs(DeliveryError):
    """The member does not accept direct messages from this server's members."""


def guild_of(community_id: str) -> int:
    """Return the guild id of a ``discord:<guild_id>`` community."""
    return int(community_id.removeprefix("discord:"))


def _retry_after(error: discord.HTTPException) -> float | None:
    headers = getattr(error.response, "headers", None) or {}
    raw = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return float(raw) if raw is not None else None
    except ValueError:
        return None


def delivery_error(error: Exception) -> DeliveryError:
    """Classify a discord.py failure: permanent, or transient with Discord's retry-after."""
    if isinstance(error, discord.RateLimited):
        return DeliveryError("rate_limited", permanent=False, retry_after=error.retry_after)
    if isinstance(error, discord.HTTPException):
        reason = _PERMANENT_CODES.get(error.code) or f"http_{error.status}:{error.code}"
        if error.code == CANNOT_DM:
            return ClosedDMs(reason, permanent=True)
        if error.status == 429:
            return DeliveryError(reason, permanent=False, retry_after=_retry_after(error))
        if error.status >= 500 or error.status in (408, 425):
            return DeliveryError(reason, permanent=False)
        # Discord understood the request and refused it: it will refuse it again.
        return DeliveryError(reason, permanent=True)
    return DeliveryError(f"{type(error).__name__}: {error}", permanent=False)


async def _call(request: Awaitable[T]) -> T:
    try:
        return await request
    except (discord.HTTPException, discord.RateLimited, aiohttp.ClientError, OSError) as error:
        raise delivery_error(error) from error
    except TimeoutError as error:
        raise delivery_error(error) from error


def _name(member: dict[str, Any]) -> str:
    user = member.get("user") or {}
    for name in (member.get("nick"), user.get("global_name"), user.get("username")):
        if name:
            return str(name)
    return str(user.get("id", ""))


class DiscordPlatform:
    """Deliver through ``http`` (a logged-in ``HTTPClient``); ``intros_channel`` reads settings."""

    def __init__(self, http: HTTPClient, intros_channel: IntrosChannel) -> None:
        self.http = http
        self._intros_channel = intros_channel
        self._dm_channels: dict[str, str] = {}
        self._names: dict[tuple[str, str], str] = {}
        self._threads: dict[tuple[str, str, str, tuple[str, ...]], str] = {}
        self._sent_parts: set[tuple[str, str, str]] = set()
        self._closed: dict[str, set[str]] = {}

    # -- ChatPlatform -------------------------------------------------------------------------

    async def open_group(self, community_id: str, member_ids: Sequence[str]) -> str:
        channel = await self._intros_channel(community_id, _sending_for())
        if channel is None:
            return DM_PREFIX + ",".join(member_ids)
        return await self._private_thread(community_id, channel, member_ids)

    async def send(self, community_id: str, conversation_id: str, message: Message) -> str:
        if conversation_id.startswith(DM_PREFIX):
            members = conversation_id.removeprefix(DM_PREFIX).split(",")
            return await self._send_each(community_id, conversation_id, members, message)
        return await self._post(community_id, conversation_id, message)

    async def send_direct(self, community_id: str, member_id: str, message: Message) -> str:
        try:
            return await self._post(community_id, await self._dm_channel(member_id), message)
        except ClosedDMs:
            return await self._tell_in_thread(community_id, member_id, message)

    async def post_to_channel(self, community_id: str, channel_id: str, message: Message) -> str:
        """Post to a channel; return the post's jump URL, which opens it in Discord."""
        posted = await self._post(community_id, channel_id, message)
        message_id = posted.rsplit(":", 1)[1]
        return f"https://discord.com/channels/{guild_of(community_id)}/{channel_id}/{message_id}"

    async def display_name(self, community_id: str, member_id: str) -> str | None:
        cached = self._names.get((community_id, member_id))
        if cached is not None:
            return cached
        try:
            member = await _call(self.http.get_member(guild_of(community_id), member_id))
        except DeliveryError as error:
            if error.permanent:
                return None
            raise
        name = _name(dict(member))
        self._names[(community_id, member_id)] = name
        return name

    # -- members whose DMs are closed ---------------------------------------------------------

    def take_closed_dms(self) -> dict[str, set[str]]:
        """Return (and forget) the members per community found with closed DMs since last asked."""
        closed, self._closed = self._closed, {}
        return closed

    # -- the REST calls -----------------------------------------------------------------------

    async def _post(self, community_id: str, channel_id: str, message: Message) -> str:
        """Send the message, in parts if long; return ``channel:id`` of its first part."""
        parts = chunks(discord_text(message.text))
        first = ""
        for number, part in enumerate(parts, 1):
            last = number == len(parts)
            view = message_view(guild_of(community_id), message) if last else None
            # files (the round summary's chart) go with the last part, like the buttons
            files = [
                discord.File(io.BytesIO(a.content), filename=a.filename)
                for a in (message.attachments if last else ())
            ]
            with handle_message_parameters(
                content=part,
                nonce=_nonce(channel_id, number),
                view=view or discord.utils.MISSING,
                files=files or discord.utils.MISSING,
                allowed_mentions=mentions_of(message.text),
            ) as params:
                sent = dict(await _call(self.http.send_message(channel_id, params=params)))
            first = first or str(sent.get("id", ""))
        return f"{channel_id}:{first}"

    async def _dm_channel(self, member_id: str) -> str:
        channel = self._dm_channels.get(member_id)
        if channel is None:
            data = await _call(self.http.start_private_message(member_id))
            channel = self._dm_channels[member_id] = str(data["id"])
        return channel

    async def _private_thread(
        self, community_id: str, channel_id: str, member_ids: Sequence[str]
    ) -> str:
        # A retry after a failed add reuses the thread rather than opening a second one; the
        # same people in another programme (or channel) get a thread of their own there.
        key = (community_id, _sending_for(), channel_id, tuple(member_ids))
        thread_id = self._threads.get(key)
        if thread_id is None:
            name = _thread_name(member_ids)
            thread_id = await self._earlier_thread(community_id, channel_id, name)
            if thread_id is None:
                thread = await _call(
                    self.http.start_thread_without_message(
                        channel_id,
                        name=name,
                        auto_archive_duration=WEEK_MINUTES,
                        type=PRIVATE_THREAD,
                        invitable=False,
                    )
                )
                thread_id = str(thread["id"])
            self._threads[key] = thread_id
        for member in member_ids:
            try:
                await _call(self.http.add_user_to_thread(thread_id, member))
            except DeliveryError as error:
                if not error.permanent:
                    raise
                log.warning("could not add %s to thread %s: %s", member, thread_id, error.reason)
        return thread_id

    async def _earlier_thread(self, community_id: str, channel_id: str, name: str) -> str | None:
        """Return the thread an earlier attempt at this item may have opened, if it is there.

        Asked only after an attempt that may have reached Discord, so a first send costs no call.
        """
        if EARLIER_ATTEMPT.get() is None or name == THREAD_NAME:
            return None
        active = await _call(self.http.get_active_threads(guild_of(community_id)))
        for thread in active.get("threads", []):
            if str(thread.get("parent_id")) == channel_id and thread.get("name") == name:
                log.info("reusing thread %s an earlier attempt opened", thread["id"])
                return str(thread["id"])
        return None

    async def _tell_in_thread(self, community_id: str, member_id: str, message: Message) -> str:
        """Give a member with closed DMs their message in a private thread, if there is a channel."""
        self._closed.setdefault(community_id, set()).add(member_id)
        channel = await self._intros_channel(
            community_id, _sending_for()
        ) or await self._system_channel(community_id)
        if channel is None:
            raise ClosedDMs("dms_closed", permanent=True)
        thread = await self._private_thread(community_id, channel, [member_id])
        note = (
            f"<@{member_id}> I couldn't send you a direct message (your DMs from this server are "
            "closed), so here it is:\n"
        )
        return await self._post(community_id, thread, Message(note + message.text, message.actions))

    async def _system_channel(self, community_id: str) -> str | None:
        guild = await _call(self.http.get_guild(guild_of(community_id), with_counts=False))
        channel = guild.get("system_channel_id")
        return str(channel) if channel else None

    async def _send_each(
        self, community_id: str, conversation_id: str, members: list[str], message: Message
    ) -> str:
        """Send a group message as one DM per member, each naming the others."""
        digest = hashlib.sha256(message.text.encode()).hexdigest()[:16]
        references: list[str] = []
        failures: list[DeliveryError] = []
        for member in members:
            if (conversation_id, member, digest) in self._sent_parts:
                continue  # a retry after a partial send: this member has it already
            partners = [m for m in members if m != member]
            names = [
                f"**{await self.display_name(community_id, p) or p}** (<@{p}>)" for p in partners
            ]
            header = f"Your UnMentoring group: you and {', '.join(names)}.\n\n" if names else ""
            try:
                references.append(
                    await self.send_direct(
                        community_id, member, Message(header + message.text, message.actions)
                    )
                )
            except DeliveryError as error:
                if not error.permanent:
                    raise
                failures.append(error)
                continue
            self._sent_parts.add((conversation_id, member, digest))
        if failures and not references:
            raise failures[0]
        return ";".join(references)
