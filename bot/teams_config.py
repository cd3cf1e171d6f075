"""Microsoft Teams settings, from ``TEAMS_*`` environment variables (or ``.env``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from adapters.teams.app_credential import (
    AppCredential,
    CertificateError,
    ClientSecret,
    load_certificate,
)

__all__ = ["BOT_FRAMEWORK_METADATA", "MICROSOFT_AUTHORITY", "MICROSOFT_GRAPH", "TeamsSettings"]

# Where the Bot Framework publishes the keys that sign the tokens Teams sends the bot.
BOT_FRAMEWORK_METADATA = "https://login.botframework.com/v1/.well-known/openidconfiguration"
# Where the bot asks for its own token (client credentials) to call the Bot Connector.
MICROSOFT_AUTHORITY = "https://login.microsoftonline.com"
# Where the bot reads a team's owners (they are its admins too).
MICROSOFT_GRAPH = "https://graph.microsoft.com/v1.0"


class TeamsSettings(BaseSettings):
    """An Azure Bot's app id and either its client secret or a certificate (a PEM file with the
    private key and the certificate); ``TEAMS_TENANT_ID`` for a single-tenant bot.

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
    certificate_path: Path | None = None
    tenant_id: str | None = None
    openid_metadata_url: str = BOT_FRAMEWORK_METADATA
    authority_url: str = MICROSOFT_AUTHORITY
    graph_url: str = MICROSOFT_GRAPH

    @property
    def problem(self) -> str | None:
        """Name what a half-set configuration lacks, in one line; None when it is whole or unset."""
        proof = self.app_password is not None or self.certificate_path is not None
        if self.app_id is None and (proof or self.tenant_id is not None):
            return (
                "TEAMS_APP_PASSWORD, TEAMS_CERTIFICATE_PATH or TEAMS_TENANT_ID is set "
                "but TEAMS_APP_ID is not"
            )
        if self.app_id is None:
            return None
        if not proof:
            return "TEAMS_APP_ID is set but TEAMS_APP_PASSWORD (or TEAMS_CERTIFICATE_PATH) is not"
        if self.app_password is not None and self.certificate_path is not None:
            return "TEAMS_APP_PASSWORD and TEAMS_CERTIFICATE_PATH are both set: keep one"
        try:
            self.credential()
        except CertificateError as error:
            return str(error)
        return None

    @property
    def configured(self) -> bool:
        """True when the bot has an app id and a secret or certificate to get its tokens with."""
        proof = self.app_password is not None or self.certificate_path is not None
        return self.app_id is not None and proof

    def credential(self) -> AppCredential:
        """Return how the bot proves its identity: its certificate when one is set, else its secret."""
        if self.app_id is None or (self.app_password is None and self.certificate_path is None):
            raise ValueError(
                "TEAMS_APP_ID and TEAMS_APP_PASSWORD or TEAMS_CERTIFICATE_PATH are needed"
            )
        if self.certificate_path is not None:
            return load_certificate(self.certificate_path, self.app_id)
        assert self.app_password is not None
        return ClientSecret(self.app_id, self.app_password.get_secret_value())

    @property
    def token_tenant(self) -> str:
        """The tenant the bot's own token is issued by: its own, or Bot Framework's (multi-tenant)."""
        return self.tenant_id or "botframework.com"
