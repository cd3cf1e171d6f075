"""A programme's outcome figures from storage, and the chart drawn from them."""

from __future__ import annotations

from pairing_core.message import Attachment
from pairing_core.outcomes import OutcomeReport, outcomes
from pairing_core.ports import ChartRenderer
from pairing_core.services.context import Services
from pairing_core.services.where import load_where

__all__ = ["CHART_FILENAME", "chart_attachment", "outcome_report"]

CHART_FILENAME = "unmentor-outcomes.png"


async def outcome_report(services: Services, community_id: str, programme_id: str) -> OutcomeReport:
    """Return the programme's per-round and cumulative outcome figures.

    Raises ``UnknownCommunity`` or ``UnknownProgramme`` (``DomainError``s) for unknown ids. The
    report is named after the community, and the programme too when there are several.
    """
    uow = services.uow
    async with uow:
        where = await load_where(uow, community_id, programme_id)
        rounds = await uow.rounds.list(community_id, programme_id)
        members = await uow.members.list(community_id, programme_id=programme_id)
        reflections = await uow.reflections.list(community_id, programme_id)
    name = where.community.name
    if where.several:
        name = f"{name} / {where.programme.name}"
    return outcomes(community_id, name, rounds, members, reflections)


def chart_attachment(charts: ChartRenderer | None, report: OutcomeReport) -> Attachment | None:
    """Return the report's chart as a PNG file; None without a renderer or before any round."""
    if charts is None or not report.rounds:
        return None
    return Attachment(CHART_FILENAME, charts.render(report), "image/png")
