"""The admin's outcome report: the table of the last rounds and overall, with the chart.

Under the table, the experiment's answer in sentences: the mean challenge rating and each
comparison, or "not enough answers yet" (the figures themselves are in ``unmentor report``).
"""

from __future__ import annotations

from pairing_core import commands as c
from pairing_core.experiment_formats import experiment_lines
from pairing_core.member import MemberStatus
from pairing_core.message import Message, escape_markup
from pairing_core.outcome_formats import as_table
from pairing_core.services.context import Actor, Services
from pairing_core.services.outcome_figures import (
    chart_attachment,
    experiment_figures,
    outcome_report,
)
from pairing_core.services.round_calendar import current_rounds
from pairing_core.services.where import load_where
from pairing_core.texts import format_day

__all__ = ["STATS_ROUNDS", "stats_message"]

STATS_ROUNDS = 6  # rounds shown in chat; the command line report has them all


async def stats_message(
    cmd: c.ShowStats, actor: Actor, community_id: str, services: Services
) -> Message:
    """Give an admin the outcome table of the last rounds and overall, with a chart when drawable."""
    programme_id = c.chosen(cmd)
    report = await outcome_report(services, community_id, programme_id)
    async with services.uow:
        where = await load_where(services.uow, community_id, programme_id)
        members = await services.uow.members.list(community_id, programme_id=programme_id)
        pair = await current_rounds(services.uow, community_id, programme_id)
    by_status = {s: sum(m.status is s for m in members) for s in MemberStatus}
    lines = [
        f"*UnMentoring in {escape_markup(report.community_name)}*",
        "members: " + ", ".join(f"{n} {s.value}" for s, n in by_status.items()),
    ]
    if report.rounds:
        shown = min(STATS_ROUNDS, len(report.rounds))
        lines += [
            f"last {shown} of {len(report.rounds)} rounds, then all rounds "
            "(met, refl = reflections shared, x-org = mixed organisations: share of groups; "
            "rating: mean 1-5; rep = repeated pairs; join/left since the round before; "
            "nudged = groups reminded to answer the check-in, n-met = of them, met; "
            "paused = members paused for being quiet; skipped = members who skipped the round):",
            "```",
            as_table(report, last=STATS_ROUNDS),
            "```",
            "*Did the conversations challenge people's thinking?*",
        ]
        experiment = await experiment_figures(services, community_id, programme_id)
        lines += experiment_lines(experiment)
    else:
        lines.append("No rounds have run yet.")
    if pair.scheduled is not None:
        lines.append(f"next round: {format_day(pair.scheduled.intro_at, where.programme)}")
    chart = chart_attachment(services.charts, report)
    return Message("\n".join(lines), attachments=(chart,) if chart else ())
