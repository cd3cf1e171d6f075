"""A community's outcome figures from storage, and the chart drawn from them."""

from __future__ import annotations

from pairing_core.message import Attachment
from pairing_core.outcomes import OutcomeReport, outcomes
from pairing_core.ports import ChartRenderer
from pairing_core.services.community_setup import load_community
from pairing_core.services.context import Services

__all__ = ["CHART_FILENAME", "chart_attachment", "outcome_report"]

CHART_FILENAME = "unmentor-outcomes.png"


async def outcome_report(services: Services, community_id: str) -> OutcomeReport:
    """Return the community's per-round and cumulative outcome figures.

    Raises ``UnknownCommunity`` (a ``DomainError``) for an unknown community.
    """
    uow = services.uow
    async with uow:
        community = await load_community(uow, community_id)
        rounds = await uow.rounds.list(community_id)
        members = await uow.members.list(community_id)
        reflections = await uow.reflections.list(community_id)
    return outcomes(community_id, community.name, rounds, members, reflections)


def chart_attachment(charts: ChartRenderer | None, report: OutcomeReport) -> Attachment | None:
    """Return the report's chart as a PNG file; None without a renderer or before any round."""
    if charts is None or not report.rounds:
        return None
    return Attachment(CHART_FILENAME, charts.render(report), "image/png")
