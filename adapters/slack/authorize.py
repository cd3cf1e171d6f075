"""Authorize requests without a Slack call before their ack (bar the first one for a token)."""

from __future__ import annotations

import asyncio

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

__all__ = ["NOT_INSTALLED", "OneWorkspaceAuthorize"]

# What a person sees when their workspace sent a request the bot holds no token for.
NOT_INSTALLED = "UnMentoring isn't installed in this workspace, so it can't answer here."


class OneWorkspaceAuthorize(AsyncAuthorize):
    """Authorize every request with the one bot token; ask Slack who the bot is just once.

    Bolt's own single-workspace authorization caches ``auth.test`` only after the first answer,
    so a burst of requests reaching a freshly started bot made one call each before acking.
    Here they all wait for the same call; a failed call is tried again by the next request.
    A request from any other workspace than the token's is refused (bolt then answers with
    ``NOT_INSTALLED`` and stores nothing): the token cannot act there, and its admins are not
    that workspace's admins.
    """

    def __init__(self, token: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.token = token
        self._result: asyncio.Task[AuthorizeResult] | None = None

    async def _ask(self, client: AsyncWebClient) -> AuthorizeResult:
        response = await client.auth_test(token=self.token)
        return AuthorizeResult.from_auth_test_response(
            bot_token=self.token, auth_test_response=response
        )

    async def __call__(
        self,
        *,
        context: AsyncBoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        actor_enterprise_id: str | None = None,
        actor_team_id: str | None = None,
        actor_user_id: str | None = None,
    ) -> AuthorizeResult | None:
        failed = self._result is not None and self._result.done() and self._result.exception()
        if self._result is None or failed:
            self._result = asyncio.ensure_future(self._ask(context.client))
        # shielded: one request giving up must not cancel the call the others wait for
        result = await asyncio.shield(self._result)
        if team_id != result.team_id:
            return None  # bolt logs the refusal, once
        return result
