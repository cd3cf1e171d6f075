"""Slack listeners, one module per kind of request; each exposes ``register(app, deps)``."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from adapters.slack.deps import SlackDeps
from adapters.slack.listeners import actions, commands, events, installs, views

__all__ = ["register_listeners"]


def register_listeners(app: AsyncApp, deps: SlackDeps) -> None:
    """Register every listener the app answers."""
    for module in (commands, actions, views, events, installs):
        module.register(app, deps)
