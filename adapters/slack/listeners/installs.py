"""Uninstalls and revoked tokens: forget the workspace's tokens (several workspaces only)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from adapters.slack.deps import SlackDeps

__all__ = ["register"]

log = logging.getLogger(__name__)


def register(app: AsyncApp, deps: SlackDeps) -> None:
    if app.installation_store is None:
        return  # one workspace: its token comes from the environment, not from installs
    # bolt's own listeners delete from the installation store; wrapped so shutdown waits for them
    revoked = app.default_tokens_revoked_event_listener()
    uninstalled = app.default_app_uninstalled_event_listener()

    async def tokens_revoked(event: dict[str, Any], context: AsyncBoltContext) -> None:
        async with deps.in_flight.track():
            await revoked(event=event, context=context)
            log.info("tokens revoked in %s: %s", context.team_id, event.get("tokens"))

    async def app_uninstalled(context: AsyncBoltContext) -> None:
        async with deps.in_flight.track():
            await uninstalled(context=context)
            log.info("uninstalled from %s: its tokens are deleted", context.team_id)

    app.event("tokens_revoked")(tokens_revoked)
    app.event("app_uninstalled")(app_uninstalled)
