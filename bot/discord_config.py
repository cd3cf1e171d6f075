"""Discord settings, from ``DISCORD_*`` environment variables (or ``.env``)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["DiscordSettings"]


class DiscordSettings(BaseSettings):
    """A bot token; commands sync globally, or to ``DISCORD_GUILD_IDS`` (comma-separated) at once."""

    # A variable left empty (``DISCORD_TOKEN=`` copied from .env.example) counts as unset.
    model_config = SettingsConfigDict(
        env_prefix="DISCORD_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,
    )

    token: SecretStr | None = None
    guild_ids: Annotated[tuple[int, ...], NoDecode] = ()
    application_id: int | None = None  # only for `unmentor discord invite-url`
    # Where REST calls and the gateway connection go: Discord, a proxy, or a local fake in tests.
    api_base_url: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg/"
    # Sign in with Discord (the dashboard): the application's OAuth2 client; the token and user
    # endpoints are oauth2/token and users/@me under api_base_url.
    client_id: str | None = None
    client_secret: SecretStr | None = None
    oauth_authorize_url: str = "https://discord.com/oauth2/authorize"
    # Ask for the privileged Server Members intent, so `admin programme bind` can bind a programme
    # to a role (enable the intent in the Developer Portal too, or Discord refuses the connection).
    members_intent: bool = False

    @field_validator("guild_ids", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(int(part) for part in value.replace(" ", "").split(",") if part)
        if isinstance(value, int):
            return (value,)
        return value

    @property
    def problem(self) -> str | None:
        """Name what a half-set configuration lacks, in one line; None when it is whole or unset."""
        if self.token is None and self.guild_ids:
            return "DISCORD_GUILD_IDS is set but DISCORD_TOKEN is not"
        return None

    @property
    def configured(self) -> bool:
        """True when there is a token to connect with."""
        return self.token is not None
