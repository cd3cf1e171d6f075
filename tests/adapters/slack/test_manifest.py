"""The app manifest people create the Slack app from matches what the code asks Slack for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from adapters.slack import scopes
from adapters.slack.http import EVENTS_PATH

MANIFEST = Path(scopes.__file__).with_name("manifest.yml")


def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


class TestManifest:
    def test_its_bot_scopes_are_exactly_the_ones_the_code_uses(self) -> None:
        listed = manifest()["oauth_config"]["scopes"]["bot"]
        assert len(listed) == len(set(listed))
        assert set(listed) == set(scopes.BOT_SCOPES)

    def test_it_asks_for_no_user_scopes(self) -> None:
        assert "user" not in manifest()["oauth_config"]["scopes"]

    def test_it_subscribes_to_exactly_the_events_the_code_handles(self) -> None:
        events = manifest()["settings"]["event_subscriptions"]["bot_events"]
        assert set(events) == set(scopes.BOT_EVENTS)

    def test_it_hears_people_join_and_leave_public_and_private_channels(self) -> None:
        # a programme bound to a channel: Slack sends these events only with the read scope of
        # the channel's kind, and the bot checks the channel with conversations.info (same scopes)
        loaded = manifest()
        events = loaded["settings"]["event_subscriptions"]["bot_events"]
        bot_scopes = loaded["oauth_config"]["scopes"]["bot"]
        assert {"member_joined_channel", "member_left_channel"} <= set(events)
        assert {"channels:read", "groups:read"} <= set(bot_scopes)

    def test_every_request_url_is_the_events_path(self) -> None:
        loaded = manifest()
        urls = [
            loaded["settings"]["event_subscriptions"]["request_url"],
            loaded["settings"]["interactivity"]["request_url"],
            *(c["url"] for c in loaded["features"]["slash_commands"]),
        ]
        assert {url.removeprefix("https://unmentor.example.org") for url in urls} == {EVENTS_PATH}

    def test_the_oauth_redirect_is_the_path_the_app_serves(self) -> None:
        [redirect] = manifest()["oauth_config"]["redirect_urls"]
        assert redirect == "https://unmentor.example.org/slack/oauth_redirect"

    def test_the_slash_command_escapes_mentions(self) -> None:
        [command] = manifest()["features"]["slash_commands"]
        assert command["command"] == "/unmentor" and command["should_escape"] is True
