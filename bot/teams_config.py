"""Microsoft Teams settings, from ``TEAMS_*`` environment variables (or ``.env``)."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["BOT_FRAMEWORK_METADATA", "MICROSOFT_AUTHORITY", "TeamsSettings"]

# Where the Bot Framework publishes the keys that sign the tokens Teams sends the bot.
BOT_FRAMEWORK_METADATA = "https://login.botframework.com/v1/.well-known/openidconfiguration"
# Where the bot asks for its own token (client credentials) to call the Bot Connector.
MICROSOFT_AUTHORITY = "https://login.microsoftonline.com"


class TeamsSettings(BaseSettings):
    """An Azure Bot's app id and client secret; ``TEAMS_TENANT_ID`` for a single-tenant bot.

    Every Microsoft address the bot reaches can be pointed elsewhere (a proxy, a local fake in
    tests); the Bot Connector's own address comes from each activity's ``serviceUrl``.
    """

    # A variable left empty (``TEAMS_APP_ID=`` copied from .env.example) counts as unset.
    model_config = SettingsConfigDict(
        env_prefix="TEAMS_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,
    )

    app_id: str | None = None
    app_password: SecretStr | None = None
    tenant_id: str | None = None
    openid_metadata_url: str = BOT_FRAMEWORK_METADATA
    authority_url: str = MICROSOFT_AUTHORITY

    @property
    def problem(self) -> str | None:
        """Name what a half-set configuration lacks, in one line; None when it is whole or unset."""
        if self.app_id is None and (self.app_password is not None or self.tenant_id is not None):
            return "TEAMS_APP_PASSWORD or TEAMS_TENANT_ID is set but TEAMS_APP_ID is not"
        if self.app_id is not None and self.app_password is None:
            return "TEAMS_APP_ID is set but TEAMS_APP_PASSWORD is not"
        return None

    @property
    def configured(self) -> bool:
        """True when the bot has an app id and a secret to get its tokens with."""
        return self.app_id is not None and self.app_password is not None

    @property
    def token_tenant(self) -> str:
        """The tenant the bot's own token is issued by: its own, or Bot Framework's (multi-tenant)."""
        return self.tenant_id or "botframework.com"
