"""A programme's page, read from the same core queries as ``unmentor report`` and ``admin stats``.

Privacy (``pairing_core.privacy``): admins see totals, public takeaways, and here the members'
names and statuses; never an organisation, contact note, never-pair list or private takeaway.
"""

from __future__ import annotations

from dataclasses import dataclass

from adapters.web.settings_form import SettingField, setting_fields
from pairing_core.member import MemberStatus
from pairing_core.outcomes import OutcomeReport, OutcomeRow
from pairing_core.services.context import Services
from pairing_core.services.outcome_figures import outcome_report
from pairing_core.services.round_calendar import current_rounds
from pairing_core.services.round_steps import takeaway_link
from pairing_core.services.where import Where
from pairing_core.texts import format_day

__all__ = ["FIGURE_COLUMNS", "ProgrammeView", "Takeaway", "programme_view"]

TAKEAWAYS_SHOWN = 20  # the newest; the reflections channel holds them all

FIGURE_COLUMNS = (
    "Round",
    "Introduced",
    "Active members",
    "Groups",
    "Met",
    "Shared a takeaway",
    "Mean rating (1-5)",
    "Mixed organisations",
    "Repeated pairs",
    "Joined",
    "Left",
)


@dataclass(frozen=True)
class Takeaway:
    round_number: int
    text: str
    link: str | None


@dataclass(frozen=True)
class ProgrammeView:
    community_id: str
    community_name: str
    programme_id: str
    programme_name: str
    several: bool
    active: bool
    report: OutcomeReport
    figures: list[tuple[str, ...]]  # one row per round, then the total
    members: list[tuple[str, str]]  # display name, status
    member_counts: list[tuple[str, int]]
    takeaways: list[Takeaway]
    settings: list[SettingField]
    next_round: str | None


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _figures(row: OutcomeRow) -> tuple[str, ...]:
    return (
        "All rounds" if row.round_number is None else str(row.round_number),
        "" if row.intro_at is None else f"{row.intro_at:%Y-%m-%d}",
        str(row.active),
        str(row.groups),
        _percent(row.met_rate),
        _percent(row.reflection_rate),
        "–" if row.mean_rating is None else f"{row.mean_rating:.2f}",
        _percent(row.cross_org_share),
        str(row.repeats),
        str(row.joiners),
        str(row.leavers),
    )


async def programme_view(services: Services, where: Where) -> ProgrammeView:
    """Gather everything the programme page shows."""
    community_id, programme_id = where.community_id, where.programme_id
    report = await outcome_report(services, community_id, programme_id)
    uow = services.uow
    async with uow:
        members = await uow.members.list(community_id, programme_id=programme_id)
        public = [r for r in await uow.reflections.list(community_id, programme_id) if r.public]
        public.sort(key=lambda r: (r.round_number, r.created_at), reverse=True)
        takeaways = [
            Takeaway(r.round_number, r.text, await takeaway_link(uow, r))
            for r in public[:TAKEAWAYS_SHOWN]
        ]
        scheduled = (await current_rounds(uow, community_id, programme_id)).scheduled
    shown = sorted(
        (m for m in members if m.status is not MemberStatus.ERASED),
        key=lambda m: (m.display_name.casefold(), m.member_id),
    )
    return ProgrammeView(
        community_id,
        where.community.name,
        programme_id,
        where.programme.name,
        where.several,
        where.programme.active,
        report,
        [_figures(row) for row in (*report.rounds, report.cumulative)],
        [(m.display_name, m.status.value) for m in shown],
        [
            (s.value, sum(m.status is s for m in shown))
            for s in MemberStatus
            if s is not MemberStatus.ERASED
        ],
        takeaways,
        setting_fields(where.programme.settings),
        None if scheduled is None else format_day(scheduled.intro_at, where.programme),
    )
