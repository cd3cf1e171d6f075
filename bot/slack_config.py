"""Slack settings, from ``SLACK_*`` environment variables (or ``.env``)."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["SlackSettings"]


class SlackSettings(BaseSettings):
    """A bot token plus either a signing secret (HTTP events) or an app token (Socket Mode)."""

    model_config = SettingsConfigDict(
        env_prefix="SLACK_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None  # xapp-...: Socket Mode, no public URL needed
    api_base_url: str = "https://slack.com/api/"

    @property
    def configured(self) -> bool:
        """True when there is enough to connect to one workspace."""
        return self.bot_token is not None and (
            self.signing_secret is not None or self.app_token is not None
        )
