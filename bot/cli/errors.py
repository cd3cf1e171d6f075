"""Turn expected failures into one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.exc import DBAPIError, OperationalError

from pairing_core.errors import DomainError

__all__ = ["fail_cleanly"]


@contextmanager
def fail_cleanly() -> Iterator[None]:
    """Report configuration, database and domain errors as one line and exit 1."""
    try:
        yield
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except (ValueError, DomainError, OSError) as error:
        typer.echo(f"error: {str(error).strip().splitlines()[0]}", err=True)
        raise typer.Exit(1) from None
    except (OperationalError, DBAPIError) as error:
        first_line = str(error.orig or error).strip().splitlines()[0]
        typer.echo(f"error: database unavailable: {first_line}", err=True)
        raise typer.Exit(1) from None
