"""A chat platform reached over HTTP: every send is a JSON POST to a webhook-style endpoint.

``POST {base}/{method}`` with a JSON body, for the methods ``open_group`` (-> ``conversation_id``),
``send``, ``send_direct``, ``post_to_channel`` (-> ``ref``) and ``display_name`` (-> ``name``).
A message travels as ``Message.to_dict()``: its text, buttons and files (``attachments``, each with
``filename``, ``media_type`` and ``content_base64``, e.g. the chart of a round's summary). The text
is the core's markup (``pairing_core.message``): a receiver shows ``&amp;`` ``&lt;`` ``&gt;`` as
``&`` ``<`` ``>`` after reading the markup, as Slack does, and so never mistakes typed text for it. A
``post_to_channel`` whose ``ref`` is an ``https://`` address gets the post linked from the summary.
Each delivery carries an ``Idempotency-Key`` header, stable across retries of one outbox item, so
the receiver can drop a repeat. 429 and 5xx are retried (after ``Retry-After`` when given), other
4xx are permanent; timeouts and connection errors are retried.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any, Self

import aiohttp

from pairing_core.message import Message
from pairing_core.ports import DeliveryError
from pairing_core.services.delivery import DELIVERY_KEY

__all__ = ["HttpPlatform"]


class HttpPlatform:
    """Implement ``ChatPlatform`` by POSTing JSON; use ``async with`` to open and close the client."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self._base = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _call(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if self._session is None:
            raise RuntimeError("use HttpPlatform inside 'async with'")
        key = DELIVERY_KEY.get()
        headers = {"Idempotency-Key": key} if key else {}
        try:
            async with self._session.post(
                f"{self._base}/{method}", json=body, headers=headers
            ) as response:
                if response.status == 429:
                    raise DeliveryError(
                        f"{method}: rate limited",
                        permanent=False,
                        retry_after=_seconds(response.headers.get("Retry-After")),
                    )
                if response.status >= 500:
                    raise DeliveryError(
                        f"{method}: HTTP {response.status}",
                        permanent=False,
                        retry_after=_seconds(response.headers.get("Retry-After")),
                    )
                if response.status >= 400:
                    reason = (await response.text())[:200]
                    raise DeliveryError(
                        f"{method}: HTTP {response.status} {reason}", permanent=True
                    )
                data: dict[str, Any] = await response.json()
                return data
        except (TimeoutError, aiohttp.ClientError) as error:
            raise DeliveryError(f"{method}: {type(error).__name__}", permanent=False) from error

    async def open_group(self, community_id: str, member_ids: Sequence[str]) -> str:
        data = await self._call(
            "open_group", {"community_id": community_id, "member_ids": list(member_ids)}
        )
        return str(data["conversation_id"])

    async def send(self, community_id: str, conversation_id: str, message: Message) -> str:
        body = {
            "community_id": community_id,
            "conversation_id": conversation_id,
            "message": message.to_dict(),
        }
        return str((await self._call("send", body))["ref"])

    async def send_direct(self, community_id: str, member_id: str, message: Message) -> str:
        body = {"community_id": community_id, "member_id": member_id, "message": message.to_dict()}
        return str((await self._call("send_direct", body))["ref"])

    async def post_to_channel(self, community_id: str, channel_id: str, message: Message) -> str:
        body = {
            "community_id": community_id,
            "channel_id": channel_id,
            "message": message.to_dict(),
        }
        return str((await self._call("post_to_channel", body))["ref"])

    async def display_name(self, community_id: str, member_id: str) -> str | None:
        data = await self._call(
            "display_name", {"community_id": community_id, "member_id": member_id}
        )
        name = data.get("name")
        return None if name is None else str(name)


def _seconds(header: str | None) -> float | None:
    try:
        return max(float(header), 0.0) if header is not None else None
    except ValueError:
        return None  # an HTTP date: fall back to the outbox's own backoff
