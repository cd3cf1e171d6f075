"""Turn expected failures into one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from pydantic import ValidationError
from pydantic_settings import BaseSettings
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.config import Settings
from bot.discord_config import DiscordSettings
from bot.slack_config import SlackSettings
from pairing_core.errors import DomainError

__all__ = ["fail_cleanly", "setting_problem"]


@contextmanager
def fail_cleanly() -> Iterator[None]:
    """Report configuration, database and domain errors as one line and exit 1."""
    try:
        yield
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except ValidationError as error:  # a ValueError whose first line names only the class
        typer.echo(f"error: {setting_problem(error)}", err=True)
        raise typer.Exit(1) from None
    except (ValueError, DomainError, OSError) as error:
        typer.echo(f"error: {str(error).strip().splitlines()[0]}", err=True)
        raise typer.Exit(1) from None
    except (OperationalError, DBAPIError) as error:
        first_line = str(error.orig or error).strip().splitlines()[0]
        typer.echo(f"error: database unavailable: {first_line}", err=True)
        raise typer.Exit(1) from None


_SETTINGS: tuple[type[BaseSettings], ...] = (Settings, SlackSettings, DiscordSettings)


def setting_problem(error: ValidationError) -> str:
    """Say which variable holds a value the settings refuse, and why, without echoing the value."""
    first = error.errors()[0]
    prefix = next(
        (str(c.model_config.get("env_prefix", "")) for c in _SETTINGS if c.__name__ == error.title),
        "",
    )
    field = str(first["loc"][0]) if first["loc"] else ""
    # the value may be a secret: it is never repeated
    return f"{(prefix + field).upper() or error.title}: {first['msg']}"
