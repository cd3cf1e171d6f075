"""Settings read from the environment (and a git-ignored ``.env``), built once by the entry point."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DEFAULT_DATABASE_URL", "DEFAULT_PLAYGROUND_DATABASE_URL", "Settings", "secret_values"]

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///unmentor.db"
# The playground's own file, so a bot started later in the same folder never finds its community.
DEFAULT_PLAYGROUND_DATABASE_URL = "sqlite+aiosqlite:///unmentor-playground.db"


class Settings(BaseSettings):
    """Everything configurable about a running bot; platform tokens arrive in later sections."""

    model_config = SettingsConfigDict(
        env_prefix="UNMENTOR_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,
    )

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy async URL: sqlite+aiosqlite:///path.db or postgresql+asyncpg://...",
    )
    playground_database_url: str = Field(
        default=DEFAULT_PLAYGROUND_DATABASE_URL,
        description="Where `unmentor playground` keeps its data (never the bot's database).",
    )
    log_level: str = "INFO"
    log_format: str = "text"
    library_log_level: str | None = Field(
        default=None,
        description="Level of third-party loggers (slack_sdk, sqlalchemy, ...); unset: INFO, "
        "and WARNING for SQLAlchemy. DEBUG there can log tokens and personal data.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Fernet keys, comma-separated, newest first, that encrypt stored tokens.",
    )
    host: str = Field(
        default="0.0.0.0", description="Address the HTTP server (/healthz, /metrics) binds."
    )
    port: int = Field(default=3000, description="Port of the HTTP server.")
    metrics_host: str | None = Field(
        default=None,
        description="Address of the private /metrics listener (default 127.0.0.1).",
    )
    metrics_port: int | None = Field(
        default=None,
        description="Serve /metrics only on this port (of metrics_host), not the public one.",
    )
    missed_step_grace_hours: float = Field(
        default=24,
        description="A round step missed (bot offline) by more than this is skipped and admins told.",
    )
    delivery_interval_seconds: float = Field(
        default=2, description="Seconds between delivery passes when nothing wakes the worker."
    )
    scheduler_resync_seconds: float = Field(
        default=60, description="Seconds between re-reading every community's next due step."
    )
    retention_days: int = Field(
        default=180,
        ge=1,
        description="Members who left are erased (personal data removed) this many days later.",
    )
    http_platform_url: str | None = Field(
        default=None, description="Base URL the HTTP (webhook) platform POSTs each send to."
    )
    public_url: str | None = Field(
        default=None,
        description="The address people reach the bot at (https://unmentor.example.org): "
        "the dashboard's sign-in sends them back there. Unset: no dashboard.",
    )
    session_secret: SecretStr | None = Field(
        default=None,
        description="A long random string that signs dashboard sessions (at least 32 characters). "
        "Unset: no dashboard.",
    )
    simulated_clock_file: Path | None = Field(
        default=None,
        description="For simulations only: read the current time from this file (ISO 8601).",
    )

    @property
    def dashboard_problem(self) -> str | None:
        """Say what the dashboard lacks to be on, in one sentence; None when it can run."""
        secret = self.session_secret.get_secret_value() if self.session_secret else ""
        if not self.public_url:
            return "set UNMENTOR_PUBLIC_URL to the address people reach the bot at"
        if not self.public_url.startswith(("https://", "http://")):
            return "UNMENTOR_PUBLIC_URL must start with https:// (or http:// on your own machine)"
        if len(secret) < 32:
            return (
                "set UNMENTOR_SESSION_SECRET to a random string of at least 32 characters "
                "(`python3 -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        return None


def secret_values(*settings: BaseModel) -> list[str]:
    """Return every secret the settings hold (each part of a comma-separated list too)."""
    values: list[str] = []
    for model in settings:
        for name in type(model).model_fields:
            value = getattr(model, name)
            if isinstance(value, SecretStr) and value.get_secret_value():
                secret = value.get_secret_value()
                values += [secret, *(part.strip() for part in secret.split(",") if part.strip())]
    return values
