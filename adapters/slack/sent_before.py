"""Mark each message with its outbox key, and find it again after an attempt that may have posted it.

Slack's Web API takes no idempotency key. ``chat.postMessage`` carries the outbox key in the
message's ``metadata`` instead; before an item whose earlier attempt may have reached Slack is sent
again, the conversation's recent history (``conversations.history``, which needs the
``im:history``, ``mpim:history`` or ``channels:history`` scope) is searched for that key.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

__all__ = ["OUTBOX_EVENT", "find_posted", "outbox_metadata"]

OUTBOX_EVENT = "unmentor_outbox"
# Slack's clock and the bot's may differ a little: look this much further back than the attempt.
_MARGIN = timedelta(minutes=2)
_PAGE = 200
_PAGES = 5  # a conversation with more than 1,000 messages since the attempt is not searched further


def outbox_metadata(key: str) -> dict[str, Any]:
    """Return the message metadata naming the outbox item a message was sent for."""
    return {"event_type": OUTBOX_EVENT, "event_payload": {"key": key}}


def _carries(message: dict[str, Any], key: str, shared_comment: str | None) -> bool:
    if shared_comment is not None:
        # a file share takes no metadata: it is known by its files and its comment, the text
        return bool(message.get("files")) and message.get("text") == shared_comment
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return bool(metadata.get("event_type") == OUTBOX_EVENT and payload.get("key") == key)


async def find_posted(
    client: AsyncWebClient,
    channel: str,
    key: str,
    since: datetime,
    shared_comment: str | None = None,
) -> str | None:
    """Return the ``ts`` of the message for ``key`` posted in ``channel`` since ``since``, if any.

    With ``shared_comment``, look instead for a file share with that comment (files.
    completeUploadExternal takes no metadata). Slack errors propagate (``SlackApiError``); the
    caller decides which ones allow sending anyway.
    """
    oldest = f"{(since - _MARGIN).timestamp():.6f}"
    cursor: str | None = None
    for _ in range(_PAGES):
        response = await client.conversations_history(
            channel=channel, oldest=oldest, limit=_PAGE, include_all_metadata=True, cursor=cursor
        )
        for message in response.get("messages") or []:
            if _carries(message, key, shared_comment):
                return str(message["ts"])
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not response.get("has_more") or cursor is None:
            return None
    return None
