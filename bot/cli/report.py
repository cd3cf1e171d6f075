"""``unmentor report``: a community's outcome figures per round and overall, optionally charted."""

from __future__ import annotations

import asyncio
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url

from adapters.charts import PngCharts
from bot.bootstrap import open_storage, services_for
from bot.cli.errors import fail_cleanly
from bot.config import Settings
from pairing_core.community import Community
from pairing_core.errors import UnknownCommunity
from pairing_core.outcome_formats import render
from pairing_core.outcomes import OutcomeReport
from pairing_core.services.outcome_figures import outcome_report

__all__ = ["register"]


class ReportFormat(StrEnum):
    TEXT = "text"
    CSV = "csv"
    JSON = "json"


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to the command line."""
    app.command("report")(report_command)


def _require_database(database_url: str) -> None:
    """Refuse a SQLite file that is not there: opening it would create an empty one."""
    url = make_url(database_url)
    path = url.database
    on_disk = url.get_backend_name() == "sqlite" and path and path != ":memory:"
    if on_disk and not Path(str(path)).is_file():
        raise ValueError(
            f"there is no database at {path} (give --database-url or UNMENTOR_DATABASE_URL; "
            "the playground's is unmentor-playground.db)"
        )


async def _load(settings: Settings, community_id: str) -> OutcomeReport:
    # read-only: a report never migrates or writes the database
    async with open_storage(settings, migrate=False) as storage:
        try:
            return await outcome_report(services_for(storage), community_id)
        except UnknownCommunity:
            # the core's sentence speaks to a chat user; here, say where to find the ids
            raise ValueError(
                f"there is no community {community_id!r} in this database "
                "(`unmentor report` without --community lists them)"
            ) from None


async def _communities(settings: Settings) -> list[Community]:
    async with open_storage(settings, migrate=False) as storage, storage.uow:
        return sorted(await storage.uow.communities.list(), key=lambda c: c.id)


def _listing(communities: list[Community]) -> str:
    if not communities:
        return "No communities in this database yet."
    width = max(len(c.id) for c in communities)
    lines = [f"  {c.id:<{width}}  {c.platform:<8}  {c.name}" for c in communities]
    return "\n".join(["Communities (pass one with --community ID):", *lines])


def report_command(
    community: Annotated[
        str | None,
        typer.Option(
            "--community",
            help="The community's id; without it, the communities in the database are listed.",
            show_default=False,
        ),
    ] = None,
    form: Annotated[
        ReportFormat, typer.Option("--format", help="How to print the figures.")
    ] = ReportFormat.TEXT,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="Database to read; defaults to UNMENTOR_DATABASE_URL.",
            show_default=False,
        ),
    ] = None,
    chart: Annotated[
        Path | None,
        typer.Option("--chart", help="Also draw the per-round figures to this PNG file."),
    ] = None,
) -> None:
    """Print outcome figures per round and overall: members, groups, met, reflections, ratings."""
    with fail_cleanly():
        settings = Settings() if database_url is None else Settings(database_url=database_url)
        _require_database(settings.database_url)
        if community is None:
            typer.echo(_listing(asyncio.run(_communities(settings))))
            return
        report = asyncio.run(_load(settings, community))
        if chart is not None:
            chart.write_bytes(PngCharts().render(report))
    typer.echo(render(report, form.value).rstrip("\n"))
