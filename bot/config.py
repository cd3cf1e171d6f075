"""Settings read from the environment (and a git-ignored ``.env``), built once by the entry point."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "DEFAULT_DATABASE_URL"]

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///unmentor.db"


class Settings(BaseSettings):
    """Everything configurable about a running bot; platform tokens arrive in later sections."""

    model_config = SettingsConfigDict(
        env_prefix="UNMENTOR_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy async URL: sqlite+aiosqlite:///path.db or postgresql+asyncpg://...",
    )
    log_level: str = "INFO"
    log_format: str = "text"
