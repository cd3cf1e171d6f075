"""``unmentor report``: a programme's outcome figures per round and overall, optionally charted.

Without ``--programme``, every programme of the community, each row named by a column. The text
and JSON carry the experiment's answer too; ``--experiment`` prints it alone (its CSV has a row
per comparison, so the round table's CSV keeps one shape).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
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
from pairing_core.experiment import ExperimentAnswer
from pairing_core.outcome_formats import render
from pairing_core.outcomes import OutcomeReport
from pairing_core.programme_experiment_formats import render_experiments
from pairing_core.programme_outcome_formats import ProgrammeReport, render_programmes
from pairing_core.services.outcome_figures import experiment_figures, outcome_report

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


class UnknownProgrammeName(Exception):
    """A ``--programme`` the community does not have; the message lists those it has."""


@dataclass(frozen=True)
class Reports:
    """The community and the reports asked for, one per programme, in the programmes' order."""

    community: Community
    reports: list[ProgrammeReport]
    experiments: list[ExperimentAnswer]


async def _load(settings: Settings, community_id: str, programme: str | None) -> Reports:
    # read-only: a report never migrates or writes the database
    async with open_storage(settings, migrate=False) as storage:
        async with storage.uow as uow:
            community = await uow.communities.get(community_id)
            if community is None:
                # the core's sentence speaks to a chat user; here, say where to find the ids
                raise ValueError(
                    f"there is no community {community_id!r} in this database "
                    "(`unmentor report` without --community lists them)"
                )
            programmes = await uow.programmes.list(community_id)
            if programme is not None:
                named = await uow.programmes.named(community_id, programme)
                if named is None:
                    names = ", ".join(p.name for p in programmes) or "none"
                    raise UnknownProgrammeName(
                        f"there is no programme {programme!r} in {community_id!r} "
                        f"(its programmes: {names})"
                    )
                programmes = [named]
        services = services_for(storage)
        reports = [(p.name, await outcome_report(services, community_id, p.id)) for p in programmes]
        answers = [await experiment_figures(services, community_id, p.id) for p in programmes]
        return Reports(community, reports, answers)


def _chart_paths(chart: Path, reports: Reports) -> list[tuple[Path, OutcomeReport]]:
    """Return where each programme's chart goes: ``chart`` itself when there is one report."""
    if len(reports.reports) == 1:
        return [(chart, reports.reports[0][1])]
    return [
        (chart.with_name(f"{chart.stem}-{name}{chart.suffix}"), report)
        for name, report in reports.reports
    ]


def _rendered(reports: Reports, form: ReportFormat, experiment_only: bool) -> str:
    if experiment_only:
        names = [name for name, _ in reports.reports]
        return render_experiments(list(zip(names, reports.experiments, strict=True)), form.value)
    if len(reports.reports) == 1:  # one programme reads exactly as before programmes existed
        return render(reports.reports[0][1], form.value, reports.experiments[0])
    community = reports.community
    return render_programmes(
        reports.reports, form.value, community.id, community.name, reports.experiments
    )


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
    programme: Annotated[
        str | None,
        typer.Option(
            "--programme",
            help="One programme's name; without it, every programme of the community "
            "(a column names each one's rows when there are several).",
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
    experiment: Annotated[
        bool,
        typer.Option(
            "--experiment",
            help="Print only the experiment's answer: the mean challenge rating overall, "
            "per comparison and per round, with 95% intervals (CSV: a row per comparison).",
        ),
    ] = False,
    chart: Annotated[
        Path | None,
        typer.Option(
            "--chart",
            help="Also draw the per-round figures to this PNG file (with several programmes, "
            "one file each, named NAME-PROGRAMME.png).",
        ),
    ] = None,
) -> None:
    """Print outcome figures per round and overall, and whether conversations challenged thinking."""
    with fail_cleanly():
        settings = Settings() if database_url is None else Settings(database_url=database_url)
        _require_database(settings.database_url)
        if community is None:
            if programme is not None:
                typer.echo("error: --programme needs --community ID", err=True)
                raise typer.Exit(2)
            typer.echo(_listing(asyncio.run(_communities(settings))))
            return
        try:
            reports = asyncio.run(_load(settings, community, programme))
        except UnknownProgrammeName as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None
        if chart is not None:
            for path, report in _chart_paths(chart, reports):
                path.write_bytes(PngCharts().render(report))
        text = _rendered(reports, form, experiment)
    typer.echo(text.rstrip("\n"))
