"""Check a Slack request before anything reads its body: a valid signature, never seen before.

Bolt verifies signatures too, but only after parsing the body, so a forged request with a
malformed body (not JSON, not UTF-8, a timestamp that is not a number) raised before the check
and was answered 500 with a traceback in the log. Here such a request is refused with 401 and one
log line. A replay of a signed request within Slack's five-minute window verifies like the
original, so each accepted signature is recorded (in the database, shared by every replica) and a
second copy is answered 200 with an empty body and no effect: the person who sent the original
already had their answer, and a refusal would tell a replayer no more than silence does.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

__all__ = ["RequestGate", "SeenRequests"]

log = logging.getLogger(__name__)


class SeenRequests(Protocol):
    async def first_time(self, signature: str, timestamp: int) -> bool:
        """Record a signature; return False when it was recorded before."""
        ...


@dataclass
class RequestGate:
    """Refuse unsigned, forged, stale and replayed requests; ``seen`` None keeps no record."""

    verifier: SignatureVerifier
    seen: SeenRequests | None = None

    @classmethod
    def for_secret(cls, signing_secret: str, seen: SeenRequests | None = None) -> RequestGate:
        """Return a gate checking signatures made with ``signing_secret``."""
        return cls(SignatureVerifier(signing_secret), seen)

    def _signed(self, headers: Mapping[str, str], body: bytes) -> tuple[str, int] | None:
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        if not (timestamp.isascii() and timestamp.isdigit()) or not signature:
            return None
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return None  # Slack sends UTF-8; the verifier would raise on anything else
        if not self.verifier.is_valid(text, timestamp, signature):
            return None
        return signature, int(timestamp)

    async def refusal(self, headers: Mapping[str, str], body: bytes) -> web.Response | None:
        """Return the answer to a request that must not be handled, or None to handle it."""
        signed = self._signed(headers, body)
        if signed is None:
            log.warning("refused a Slack request: missing, invalid or expired signature")
            return web.Response(status=401, text="invalid signature")
        if self.seen is None:
            return None
        try:
            first = await self.seen.first_time(*signed)
        except Exception as error:  # the database is unreachable: Slack retries what fails
            log.warning("could not check a Slack request for replay: %s", error)
            return web.Response(status=503, text="try again")
        if not first:
            log.warning("ignored a replayed Slack request (its signature was already used)")
            return web.Response(status=200)
        return None
