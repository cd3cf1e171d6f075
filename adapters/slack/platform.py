"""Deliver the core's messages through the Slack Web API; failures become ``DeliveryError``."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import message_blocks
from adapters.slack.sent_before import find_posted, outbox_metadata
from adapters.slack.shares import (
    CHART_NOT_ATTACHED,
    NO_UPLOAD_PERMISSION,
    chart_missing_note,
    comment_within_limit,
    file_upload,
    share_link,
    shared_ts,
)
from pairing_core.message import Attachment, Message
from pairing_core.ports import DeliveryError
from pairing_core.services.delivery import DELIVERY_KEY, EARLIER_ATTEMPT

__all__ = [
    "CHART_NOT_ATTACHED",
    "NO_UPLOAD_PERMISSION",
    "PERMANENT_ERRORS",
    "SlackPlatform",
    "TokenLookup",
    "delivery_error",
    "user_display_name",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

# Files sent as files beside a message, in its thread, rather than shown in it (an invite).
_FILES_IN_THREAD = frozenset({"text/calendar"})

# Errors retrying cannot fix: the person or channel is gone, or the bot may not post there.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "user_not_found",
        "users_not_found",
        "account_inactive",
        "cannot_dm_bot",
        "is_archived",
        "user_disabled",
        "restricted_action",
        "invalid_blocks",
        "msg_too_long",
        "no_text",
        "not_authed",
        "invalid_auth",
        "token_revoked",
        "missing_scope",
        "not_installed",  # ours: no installation of the app holds a token for the workspace
    }
)
_TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


def delivery_error(error: SlackApiError) -> DeliveryError:
    """Classify a Slack API error: permanent, or transient with Slack's ``Retry-After``."""
    response = error.response
    reason = str(response.get("error") or f"http_{response.status_code}")
    if response.status_code == 429:
        retry_after = response.headers.get("Retry-After") or response.headers.get("retry-after")
        return DeliveryError(
            reason, permanent=False, retry_after=float(retry_after) if retry_after else None
        )
    if response.status_code >= 500 or reason in _TRANSIENT_ERRORS:
        return DeliveryError(reason, permanent=False)
    # Unknown errors are not retried: a request Slack understood and refused will be refused again.
    return DeliveryError(reason, permanent=True)


async def _call(request: Callable[[], Awaitable[T]]) -> T:
    try:
        return await request()
    except SlackApiError as error:
        raise delivery_error(error) from error
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as error:
        raise DeliveryError(f"{type(error).__name__}: {error}", permanent=False) from error


# Returns a workspace's (a community's) bot token, or None when the app is not installed there.
TokenLookup = Callable[[str], Awaitable[str | None]]


class SlackPlatform:
    """The core's ``ChatPlatform`` on Slack: group DMs are multi-person IMs opened by the bot.

    With one workspace every call uses ``client``'s token. With several (``tokens`` given) each
    call uses the token of the community's workspace; ``client`` then only lends its base URL,
    timeout and retry handlers.
    """

    def __init__(self, client: AsyncWebClient, tokens: TokenLookup | None = None) -> None:
        self.client = client
        self._tokens = tokens
        self._clients: dict[str, AsyncWebClient] = {}  # community id -> client with its token
        self._posters: dict[str | None, AsyncWebClient] = {}  # token -> its client for posting

    async def client_for(self, community_id: str) -> AsyncWebClient:
        """Return a client holding the community's bot token."""
        if self._tokens is None:
            return self.client
        token = await self._tokens(community_id)
        if token is None:
            raise DeliveryError("not_installed", permanent=True)
        client = self._clients.get(community_id)
        if client is None or client.token != token:  # first use, or reinstalled with a new token
            base = self.client
            client = AsyncWebClient(
                token=token,
                base_url=base.base_url,
                timeout=base.timeout,
                session=base.session,  # one connection pool for every workspace
                retry_handlers=base.retry_handlers,
                logger=base.logger,
            )
            self._clients[community_id] = client
        return client

    async def open_group(self, community_id: str, member_ids: Sequence[str]) -> str:
        # conversations.open returns the same conversation for the same people: idempotent
        client = await self.client_for(community_id)
        users = ",".join(member_ids)
        response = await _call(lambda: client.conversations_open(users=users))
        return str(response["channel"]["id"])

    async def send(self, community_id: str, conversation_id: str, message: Message) -> str:
        """Post the message, carrying its outbox key; first look for it if it may be there already."""
        client = await self.client_for(community_id)
        key, earlier = DELIVERY_KEY.get(), EARLIER_ATTEMPT.get()
        if key is not None and earlier is not None:
            ts = await self._posted_before(client, conversation_id, key, earlier)
            if ts is not None:
                log.info(
                    "%s was already posted in %s at %s: not posting it again",
                    key,
                    conversation_id,
                    ts,
                )
                return f"{conversation_id}:{ts}"
        metadata = outbox_metadata(key) if key is not None else None
        poster = self._poster(client)
        files = [a for a in message.attachments if a.media_type in _FILES_IN_THREAD]
        shown = replace(
            message, attachments=tuple(a for a in message.attachments if a not in files)
        )
        response = await _call(
            lambda: poster.chat_postMessage(
                channel=conversation_id,
                text=shown.text,
                blocks=message_blocks(shown),
                metadata=metadata,
            )
        )
        if files:
            await self._files_in_thread(client, response["channel"], response["ts"], files)
        return f"{response['channel']}:{response['ts']}"

    async def _files_in_thread(
        self, client: AsyncWebClient, channel: str, ts: str, files: Sequence[Attachment]
    ) -> None:
        """Upload a message's calendar invites in its thread (needs ``files:write``).

        The message is posted already, so a refused upload is logged, never a failed delivery
        (a retry would find the message and post nothing): its links still add the event.
        """
        try:
            await _call(
                lambda: client.files_upload_v2(
                    file_uploads=[file_upload(a) for a in files], channel=channel, thread_ts=ts
                )
            )
        except DeliveryError as error:
            log.warning("could not upload %d file(s) to %s: %s", len(files), channel, error.reason)

    def _poster(self, client: AsyncWebClient) -> AsyncWebClient:
        """Return ``client`` without its resending of calls whose connection dropped.

        A post whose connection drops after Slack took it would show twice if resent blindly;
        the outbox retries it instead, after looking for it (``EARLIER_ATTEMPT``).
        """
        kept = [
            h for h in client.retry_handlers if not isinstance(h, AsyncConnectionErrorRetryHandler)
        ]
        if len(kept) == len(client.retry_handlers):
            return client
        poster = self._posters.get(client.token)
        if poster is None:
            poster = AsyncWebClient(
                token=client.token,
                base_url=client.base_url,
                timeout=client.timeout,
                session=client.session,
                retry_handlers=kept,
                logger=client.logger,
            )
            self._posters[client.token] = poster
        return poster

    async def _posted_before(
        self,
        client: AsyncWebClient,
        channel: str,
        key: str,
        since: datetime,
        shared_comment: str | None = None,
    ) -> str | None:
        """Return the ts of the message an earlier attempt posted for ``key``, if Slack has it.

        Where Slack will not show the history (an install without the history scopes, which
        existing installs get only by re-installing), the message is sent again, as before.
        A transient failure fails the send, to be retried: sending blind could show it twice.
        """
        try:
            return await _call(lambda: find_posted(client, channel, key, since, shared_comment))
        except DeliveryError as error:
            if not error.permanent:
                raise
            log.warning(
                "cannot look in %s for %s, which may have been posted already (%s): posting it",
                channel,
                key,
                error.reason,
            )
            return None

    async def send_direct(self, community_id: str, member_id: str, message: Message) -> str:
        conversation = await self.open_group(community_id, [member_id])
        return await self.send(community_id, conversation, message)

    async def upload_direct(
        self, community_id: str, member_id: str, attachment: Attachment, comment: str
    ) -> None:
        """Upload a file into the member's DM with the bot (needs the ``files:write`` scope)."""
        conversation = await self.open_group(community_id, [member_id])
        client = await self.client_for(community_id)
        await _call(
            lambda: client.files_upload_v2(
                channel=conversation,
                file=attachment.content,
                filename=attachment.filename,
                title=attachment.filename,
                initial_comment=comment,
            )
        )

    async def post_to_channel(self, community_id: str, channel_id: str, message: Message) -> str:
        """Post to a channel; return the post's permalink (another reference if Slack gives none).

        A message with images (the round's chart) is one file share whose comment is the text
        (``shares.py``): nothing shows until its last call succeeds, so a retry after a failed
        step, by this process or another, does not show the text twice. When Slack refuses the
        file before anything is shared (no files:write, uploads disabled), the text is posted
        alone and says why the chart is missing.
        """
        if not any(_is_image(a) for a in message.attachments):
            posted = await self.send(community_id, channel_id, message)
            return await self._permalink(community_id, posted)
        try:
            return await self._share(community_id, channel_id, message)
        except DeliveryError as error:
            if not _refused_before_sharing(error):
                raise
            log.warning("cannot upload to %s: %s", channel_id, error.reason)
            alone = replace(
                message,
                text=f"{message.text}\n{chart_missing_note(error.reason)}",
                attachments=tuple(a for a in message.attachments if not _is_image(a)),
            )
            posted = await self.send(community_id, channel_id, alone)
            return await self._permalink(community_id, posted)

    async def _share(self, community_id: str, channel_id: str, message: Message) -> str:
        """Upload the message's files and share them in the channel with its text as the comment."""
        if message.actions:
            # a share's comment is text only: the buttons would be dropped without a word
            raise DeliveryError("buttons_with_images_unsupported", permanent=True)
        client = await self.client_for(community_id)
        comment = comment_within_limit(message.text)
        key, earlier = DELIVERY_KEY.get(), EARLIER_ATTEMPT.get()
        if key is not None and earlier is not None:
            ts = await self._posted_before(client, channel_id, key, earlier, shared_comment=comment)
            if ts is not None:
                log.info(
                    "%s was already shared in %s at %s: not sharing it again", key, channel_id, ts
                )
                return await self._permalink(community_id, f"{channel_id}:{ts}")
        completion = await _call(
            lambda: client.files_upload_v2(
                file_uploads=[file_upload(a) for a in message.attachments],
                channel=channel_id,
                initial_comment=comment,
            )
        )
        answer = completion.data if isinstance(completion.data, dict) else {}
        ts = shared_ts(answer, channel_id)
        if ts is None:  # shared, but Slack has not said in which message yet: link the file
            return share_link(answer)
        return await self._permalink(community_id, f"{channel_id}:{ts}")

    async def _permalink(self, community_id: str, posted: str) -> str:
        # chat.getPermalink needs no scope. The message is already posted, so nothing that fails
        # while linking it (the call, or finding the workspace's token again) may fail the
        # delivery (a retry would post it twice): the reference stays unlinked.
        channel, ts = posted.split(":", 1)
        try:
            client = await self.client_for(community_id)
            response = await _call(lambda: client.chat_getPermalink(channel=channel, message_ts=ts))
        except Exception as error:
            reason = error.reason if isinstance(error, DeliveryError) else repr(error)
            log.warning("no permalink for %s: %s", posted, reason)
            return posted
        return str(response.get("permalink") or posted)

    async def display_name(self, community_id: str, member_id: str) -> str | None:
        try:
            user = await self.user(community_id, member_id)
        except DeliveryError as error:
            if error.permanent:
                return None
            raise
        if user.get("deleted"):
            return None
        return user_display_name(user)

    async def is_in_channel(self, community_id: str, channel_id: str) -> bool:
        """Say whether the bot is in the channel, so Slack tells it who joins and leaves.

        False when Slack will not show the channel to the bot (``channel_not_found`` for a private
        channel it is not in) or shows it without the bot in it; a transient failure raises
        ``DeliveryError``.
        """
        client = await self.client_for(community_id)
        try:
            response = await _call(lambda: client.conversations_info(channel=channel_id))
        except DeliveryError as error:
            if error.permanent:
                return False
            raise
        channel = response.get("channel")
        return isinstance(channel, dict) and channel.get("is_member") is True

    async def user(self, community_id: str, member_id: str) -> dict[str, Any]:
        """Return Slack's ``users.info`` record for a member."""
        client = await self.client_for(community_id)
        response = await _call(lambda: client.users_info(user=member_id))
        return dict(response["user"])


def _is_image(attachment: Attachment) -> bool:
    return attachment.media_type.startswith("image/")


def _refused_before_sharing(error: DeliveryError) -> bool:
    """Whether Slack refused a file for good at the upload's first step, before any share."""
    cause = error.__cause__
    return (
        error.permanent
        and isinstance(cause, SlackApiError)
        and str(cause.response.api_url).endswith("files.getUploadURLExternal")
    )


def user_display_name(user: dict[str, Any]) -> str:
    """Return the name Slack shows for a user record."""
    profile = user.get("profile")
    profile = profile if isinstance(profile, dict) else {}
    for name in (profile.get("display_name"), profile.get("real_name"), user.get("name")):
        if name:
            return str(name)
    return str(user.get("id", ""))
