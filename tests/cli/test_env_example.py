"""`.env.example` names every setting, holds no values, and, copied as it is, configures nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from bot.config import Settings
from bot.discord_config import DiscordSettings
from bot.slack_config import SlackSettings
from bot.teams_config import TeamsSettings

EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"
_ASSIGNMENT = re.compile(r"^(?P<commented># )?(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")


def assignments() -> dict[str, tuple[bool, str]]:
    """Each variable in the file: whether its line is commented out, and its value."""
    found = {}
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        if match := _ASSIGNMENT.match(line):
            found[match["name"]] = (match["commented"] is not None, match["value"])
    return found


def variables(settings: type[BaseSettings]) -> set[str]:
    prefix = str(settings.model_config.get("env_prefix", ""))
    return {f"{prefix}{name}".upper() for name in settings.model_fields}


class TestEnvExample:
    @pytest.mark.parametrize("settings", [Settings, SlackSettings, DiscordSettings, TeamsSettings])
    def test_it_lists_every_variable_the_bot_reads(self, settings: type[BaseSettings]) -> None:
        missing = variables(settings) - set(assignments())
        assert not missing, f".env.example lacks {sorted(missing)}"

    def test_it_lists_nothing_the_bot_does_not_read(self) -> None:
        known = (
            variables(Settings)
            | variables(SlackSettings)
            | variables(DiscordSettings)
            | variables(TeamsSettings)
        )
        assert set(assignments()) <= known

    def test_every_line_in_force_is_empty_so_it_holds_no_secret(self) -> None:
        in_force = {
            name: value for name, (commented, value) in assignments().items() if not commented
        }
        assert in_force and all(value == "" for value in in_force.values()), in_force

    def test_copied_as_it_is_it_sets_no_platform_and_changes_no_default(self) -> None:
        slack = SlackSettings(_env_file=EXAMPLE)  # type: ignore[call-arg]
        discord = DiscordSettings(_env_file=EXAMPLE)  # type: ignore[call-arg]
        assert (slack.configured, slack.problem) == (False, None)
        assert (discord.configured, discord.problem) == (False, None)
        teams = TeamsSettings(_env_file=EXAMPLE)  # type: ignore[call-arg]
        assert (teams.configured, teams.problem) == (False, None)

    def test_the_defaults_it_shows_are_the_real_ones(self) -> None:
        for settings in (Settings, SlackSettings, DiscordSettings, TeamsSettings):
            prefix = str(settings.model_config.get("env_prefix", ""))
            for name, field in settings.model_fields.items():
                commented, value = assignments()[f"{prefix}{name}".upper()]
                if commented and value:
                    assert value == str(field.default), name
