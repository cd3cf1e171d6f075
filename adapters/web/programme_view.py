"""A programme's page, read from the same core queries as ``unmentor report`` and ``admin stats``.

Privacy (``pairing_core.privacy``): admins see totals, public takeaways, and here the members'
names and statuses; never an organisation, contact note, never-pair list or private takeaway.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from adapters.web.settings_form import SettingField, setting_fields
from pairing_core.experiment import ExperimentAnswer, experiment_answer
from pairing_core.experiment_formats import experiment_lines
from pairing_core.member import MemberStatus
from pairing_core.outcomes import OutcomeReport, OutcomeRow
from pairing_core.rating_estimates import Estimate
from pairing_core.services.context import Services
from pairing_core.services.outcome_figures import outcome_report
from pairing_core.services.round_calendar import current_rounds
from pairing_core.services.round_steps import takeaway_link
from pairing_core.services.where import Where
from pairing_core.texts import format_day

__all__ = [
    "ANSWER_COLUMNS",
    "FIGURE_COLUMNS",
    "Figures",
    "Live",
    "Takeaway",
    "live_part",
    "programme_figures",
]

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
ANSWER_COLUMNS = ("Comparison", "First kind", "Second kind", "Difference")


@dataclass(frozen=True)
class Takeaway:
    round_number: int
    text: str
    link: str | None


@dataclass(frozen=True)
class Figures:
    """What changes only as rounds run and people answer: read once, shown many times."""

    report: OutcomeReport
    figures: list[tuple[str, ...]]  # one row per round, then the total
    overall: str  # the mean rating with its interval, or why there is none
    sentences: list[str]  # what the data can and cannot show
    comparisons: list[tuple[str, ...]]  # ANSWER_COLUMNS
    by_round: list[tuple[str, str]]
    members: list[tuple[str, str]]  # display name, status
    member_counts: list[tuple[str, int]]
    takeaways: list[Takeaway]
    next_round: str | None


@dataclass(frozen=True)
class Live:
    """What an admin may just have changed: read on every request."""

    community_id: str
    community_name: str
    programme_id: str
    programme_name: str
    active: bool
    settings: list[SettingField]


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _row(row: OutcomeRow) -> tuple[str, ...]:
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


def estimate_text(e: Estimate | None, signed: bool = False) -> str:
    """Say an estimate in words: mean, 95% interval and ratings, or that there are too few."""
    if e is None or e.mean is None or e.low is None or e.high is None:
        n = 0 if e is None else e.n
        return f"not enough answers yet ({n} ratings)"
    form = "+.2f" if signed else ".2f"
    return f"{e.mean:{form}} (95% interval {e.low:{form}} to {e.high:{form}}; {e.n} ratings)"


def _answer(
    answer: ExperimentAnswer,
) -> tuple[str, list[str], list[tuple[str, ...]], list[tuple[str, str]]]:
    comparisons: list[tuple[str, ...]] = [
        (c.name, estimate_text(c.a), estimate_text(c.b), estimate_text(c.difference, True))
        for c in answer.comparisons
    ]
    rounds = [
        (str(number), estimate_text(e))
        for number, e in zip(answer.round_numbers, answer.by_round, strict=True)
    ]
    return estimate_text(answer.overall), experiment_lines(answer), comparisons, rounds


async def programme_figures(services: Services, where: Where) -> Figures:
    """Read the programme's figures, experiment's answer, members and public takeaways."""
    community_id, programme_id = where.community_id, where.programme_id
    report = await outcome_report(services, community_id, programme_id)
    uow = services.uow
    async with uow:
        # what `experiment_figures` reads, so the bootstrap can run off the event loop
        rounds = await uow.rounds.list(community_id, programme_id)
        members = await uow.members.list(community_id, programme_id=programme_id)
        reflections = await uow.reflections.list(community_id, programme_id)
        public = [r for r in reflections if r.public]
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
    answer = await asyncio.to_thread(experiment_answer, rounds, members, reflections)
    overall, sentences, comparisons, by_round = _answer(answer)
    return Figures(
        report,
        [_row(row) for row in (*report.rounds, report.cumulative)],
        overall,
        sentences,
        comparisons,
        by_round,
        [(m.display_name, m.status.value) for m in shown],
        [
            (s.value, sum(m.status is s for m in shown))
            for s in MemberStatus
            if s is not MemberStatus.ERASED
        ],
        takeaways,
        None if scheduled is None else format_day(scheduled.intro_at, where.programme),
    )


def live_part(where: Where) -> Live:
    """Return the programme's name and settings, as loaded for this request."""
    return Live(
        where.community_id,
        where.community.name,
        where.programme_id,
        where.programme.name,
        where.programme.active,
        setting_fields(where.programme.settings),
    )
