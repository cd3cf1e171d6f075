"""A programme's outcome figures and the experiment's answer from storage, and the chart."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pairing_core.experiment import ExperimentAnswer, experiment_answer
from pairing_core.message import Attachment, OutboxItem
from pairing_core.outcomes import OutcomeReport, outcomes
from pairing_core.ports import ChartRenderer
from pairing_core.programme import programme_key, programme_of_key
from pairing_core.services.context import Services
from pairing_core.services.where import load_where

__all__ = ["CHART_FILENAME", "chart_attachment", "experiment_figures", "outcome_report"]

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
        nudged, auto_paused = _from_outbox(await uow.outbox.list(community_id), programme_id)
        skipped = await uow.rounds.skipped_counts(community_id, programme_id)
    name = where.community.name
    if where.several:
        name = f"{name} / {where.programme.name}"
    return outcomes(community_id, name, rounds, members, reflections, nudged, auto_paused, skipped)


async def experiment_figures(
    services: Services, community_id: str, programme_id: str
) -> ExperimentAnswer:
    """Return the programme's mean challenge rating, its comparisons and its rounds' means.

    Raises ``UnknownCommunity`` or ``UnknownProgramme`` (``DomainError``s) for unknown ids.
    """
    uow = services.uow
    async with uow:
        await load_where(uow, community_id, programme_id)
        rounds = await uow.rounds.list(community_id, programme_id)
        members = await uow.members.list(community_id, programme_id=programme_id)
        reflections = await uow.reflections.list(community_id, programme_id)
    return experiment_answer(rounds, members, reflections)


_NUDGE = re.compile(r"^round:(\d+):group:(\d+):nudge$")
_QUIET_PAUSE = re.compile(r"^round:(\d+):quiet-pause:")


def _from_outbox(
    items: Sequence[OutboxItem], programme_id: str
) -> tuple[set[tuple[int, int]], dict[int, int]]:
    """Return the programme's reminded groups and its automatic pauses per round."""
    prefix = programme_key(programme_id, "")
    nudged: set[tuple[int, int]] = set()
    paused: dict[int, int] = {}
    for item in items:
        if programme_of_key(item.key) != programme_id or not item.key.startswith(prefix):
            continue
        key = item.key.removeprefix(prefix)
        if found := _NUDGE.match(key):
            nudged.add((int(found[1]), int(found[2])))
        elif found := _QUIET_PAUSE.match(key):
            paused[int(found[1])] = paused.get(int(found[1]), 0) + 1
    return nudged, paused


def chart_attachment(charts: ChartRenderer | None, report: OutcomeReport) -> Attachment | None:
    """Return the report's chart as a PNG file; None without a renderer or before any round."""
    if charts is None or not report.rounds:
        return None
    return Attachment(CHART_FILENAME, charts.render(report), "image/png")
