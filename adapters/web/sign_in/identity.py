"""What a sign-in learns, and how it fails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp

__all__ = ["Identity", "SignInFailed", "json_from"]


class SignInFailed(Exception):
    """The platform refused, or answered what a genuine sign-in never would; says which."""


@dataclass(frozen=True)
class Identity:
    """A person the platform vouched for; ``community_id`` when the sign-in names one (Slack)."""

    user_id: str
    name: str
    community_id: str | None = None


async def json_from(response: aiohttp.ClientResponse, what: str) -> dict[str, Any]:
    """Return the JSON object of a successful answer; raise ``SignInFailed`` otherwise."""
    if response.status != 200:
        raise SignInFailed(f"{what} answered HTTP {response.status}")
    try:
        body = await response.json(content_type=None)
    except (ValueError, aiohttp.ContentTypeError):
        raise SignInFailed(f"{what} did not answer JSON") from None
    if not isinstance(body, dict):
        raise SignInFailed(f"{what} did not answer a JSON object")
    return body
