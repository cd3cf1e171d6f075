"""``unmentor report``: a community's outcome figures per round and overall, optionally charted."""

from __future__ import annotations

import asyncio
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from adapters.charts import PngCharts
from bot.bootstrap import open_storage, services_for
from bot.cli.errors import fail_cleanly
from bot.config import Settings
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


async def _load(settings: Settings, community_id: str) -> OutcomeReport:
    # read-only: a report never migrates or writes the database
    async with open_storage(settings, migrate=False) as storage:
        return await outcome_report(services_for(storage), community_id)


def report_command(
    community: Annotated[str, typer.Option("--community", help="The community's id.")],
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
        report = asyncio.run(_load(settings, community))
        if chart is not None:
            chart.write_bytes(PngCharts().render(report))
    typer.echo(render(report, form.value).rstrip("\n"))
