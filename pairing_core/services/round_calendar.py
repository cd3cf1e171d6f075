"""Decide which round steps are due and run them; start or skip a round on an admin's word."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from pairing_core.message import Attachment, Message
from pairing_core.ports import UnitOfWork
from pairing_core.programme import Programme, ProgrammeSettings, programme_key
from pairing_core.round import Round, RoundState
from pairing_core.schedule import next_slot, timetable_from
from pairing_core.services import round_steps as steps
from pairing_core.services.admin_notices import queue_for_admins
from pairing_core.services.community_setup import schedule_round
from pairing_core.services.context import Services
from pairing_core.services.heads_up import announce_round, heads_up_at
from pairing_core.services.nudges import nudge_at
from pairing_core.services.outcome_figures import chart_attachment, outcome_report
from pairing_core.services.where import Where, load_where
from pairing_core.texts import format_day

__all__ = [
    "due_at",
    "next_due_at",
    "next_due_times",
    "pair_of",
    "RoundPair",
    "current_rounds",
    "reschedule_next",
    "run_due_steps",
    "run_round_now",
    "skip_round",
]

# A round that is still running and its successor can make at most a handful of steps in one pass;
# the bound only guards against a storage fake that never changes state.
_MAX_STEPS_PER_PASS = 12
# The states from which the reflection prompt is sent: with or without a reminder before it.
_REFLECTABLE = (RoundState.CHECKED_IN, RoundState.NUDGED)


@dataclass(frozen=True)
class RoundPair:
    running: Round | None  # matched and not yet closed
    scheduled: Round | None  # the next round, not yet matched


async def current_rounds(uow: UnitOfWork, community_id: str, programme_id: str) -> RoundPair:
    """Return the programme's running round and scheduled one (inside an open unit of work)."""
    latest = await uow.rounds.latest(community_id, programme_id)
    if latest is None:
        return RoundPair(None, None)
    previous = None
    if latest.state is RoundState.SCHEDULED:
        previous = await uow.rounds.get(community_id, programme_id, latest.number - 1)
    return pair_of(latest, previous)


def pair_of(latest: Round, previous: Round | None) -> RoundPair:
    """Return the running and scheduled rounds, given a programme's latest round and the one
    before it."""
    if latest.state is RoundState.SCHEDULED:
        before = previous if previous is not None and previous.number == latest.number - 1 else None
        return RoundPair(before if before is not None and before.is_open else None, latest)
    return RoundPair(latest if latest.is_open else None, None)


async def _tell_admins(uow: UnitOfWork, where: Where, key: str, text: str, now: datetime) -> None:
    """Queue one notice per admin of the programme; the key makes a repeated call a no-op."""
    programme = where.programme
    async with uow:
        await uow.lock_programme(programme.community_id, programme.id)
        await queue_for_admins(
            uow,
            programme.community_id,
            where.admins,
            programme_key(programme.id, key),
            Message(where.named(text)),
            now,
        )
        await uow.commit()


async def _summary_chart(services: Services, where: Where, closing: Round) -> Attachment | None:
    """Draw the outcome chart for the closing round's summary, if one will be posted.

    Drawn before ``close_round`` takes the programme's lock, so other steps need not wait for it.
    """
    if (
        services.charts is None
        or not where.programme.settings.reflections_channel
        or not closing.groups
    ):
        return None
    return chart_attachment(
        services.charts, await outcome_report(services, where.community_id, where.programme_id)
    )


def _missed(due: datetime, now: datetime, grace: timedelta | None) -> bool:
    return grace is not None and now - due > grace


async def _next_step(
    services: Services, where: Where, now: datetime, grace: timedelta | None
) -> str | None:
    uow = services.uow
    async with uow:
        await uow.lock_programme(where.community_id, where.programme_id)
        pair = await current_rounds(uow, where.community_id, where.programme_id)
        running, scheduled = pair.running, pair.scheduled
        stored = await uow.programmes.get(where.community_id, where.programme_id)
        if running is None and (stored is None or not stored.active):
            # archived: its last round has run; the one laid out after it never will
            if scheduled is None:
                return None
            scheduled.state = RoundState.SKIPPED
            await uow.rounds.save(scheduled)
            await uow.commit()
            return f"skipped round {scheduled.number}: the programme is archived"
        if running is None and scheduled is None:
            latest = await uow.rounds.latest(where.community_id, where.programme_id)
            number = latest.number + 1 if latest else 1
            await uow.rounds.add(
                schedule_round(where.programme, number, next_slot(where.programme.settings, now))
            )
            await uow.commit()
            return f"scheduled round {number}"
    if running is not None:
        n = running.number
        if running.state is RoundState.MATCHED:
            await steps.introduce_round(uow, where.community_id, where.programme_id, n, now)
            return f"introduced round {n}"
        next_due = scheduled is not None and now >= scheduled.intro_at
        if now >= running.close_at or next_due:
            chart = await _summary_chart(services, where, running)
            await steps.close_round(uow, where.community_id, where.programme_id, n, now, chart)
            return f"closed round {n}"
        if now >= running.reflection_at and running.state is RoundState.INTRODUCED:
            # the check-in is overtaken by the reflection prompt: move on without sending it
            await steps.send_checkins(
                uow, where.community_id, where.programme_id, n, now, send=False
            )
            return f"skipped the check-in of round {n}"
        if now >= running.reflection_at and running.state in _REFLECTABLE:
            return await _group_message_step(
                services, where, running, now, grace, "reflect", "reflection prompt"
            )
        nudge_due = nudge_at(where.programme.settings, running)
        if nudge_due is not None and now >= nudge_due and running.state is RoundState.CHECKED_IN:
            return await _group_message_step(
                services, where, running, now, grace, "nudge", "check-in reminder"
            )
        if now >= running.checkin_at and running.state is RoundState.INTRODUCED:
            return await _group_message_step(
                services, where, running, now, grace, "checkin", "half-way check-in"
            )
    if scheduled is not None and _heads_up_due(where.programme.settings, scheduled, now):
        # an archived programme's next round never runs: mark its heads-up done, unsent
        active = stored is not None and stored.active
        return await _heads_up_step(services, where, scheduled, now, grace, active)
    if scheduled is not None and running is None and now >= scheduled.intro_at:
        if _missed(scheduled.intro_at, now, grace):
            moved = await _skip_missed(services, where, scheduled, now)
            if moved is None:
                return ""  # another replica moved the round on meanwhile: look again
            skipped, following = moved
            await _tell_admins(
                uow,
                where,
                f"missed:{skipped.number}:intro",
                f"Round {skipped.number} was due {format_day(skipped.intro_at, where.programme)} while I "
                "was offline, too long ago to start now, so I skipped it. The next round starts "
                f"{format_day(following.intro_at, where.programme)}; `/unmentor admin round now` "
                "starts one at once.",
                now,
            )
            return f"skipped round {skipped.number}, missed while offline"
        await steps.match_round(
            uow, where.community_id, where.programme_id, scheduled.number, services.rng, now
        )
        return f"matched round {scheduled.number}"
    return None


def _heads_up_due(settings: ProgrammeSettings, scheduled: Round, now: datetime) -> bool:
    """True while the scheduled round's heads-up is due and not yet sent; once matching is due it
    would be news of something already happening, so it is not sent then."""
    due = heads_up_at(settings, scheduled)
    return scheduled.announced_at is None and due is not None and due <= now < scheduled.intro_at


async def _heads_up_step(
    services: Services,
    where: Where,
    scheduled: Round,
    now: datetime,
    grace: timedelta | None,
    active: bool = True,
) -> str:
    """Send the round's heads-up, or pass over it when it fell due longer ago than ``grace``.

    Unlike the other steps, admins are not told of a missed heads-up: it is also missed when a
    round is laid out (or re-timed) less than the heads-up's time before it starts, which is no
    fault, and the round itself runs as planned.
    """
    due = heads_up_at(where.programme.settings, scheduled)
    assert due is not None
    n, send = scheduled.number, active and not _missed(due, now, grace)
    await announce_round(services.uow, where.community_id, where.programme_id, n, now, send)
    return f"sent the heads-up for round {n}" if send else f"skipped the heads-up of round {n}"


async def _group_message_step(
    services: Services,
    where: Where,
    running: Round,
    now: datetime,
    grace: timedelta | None,
    kind: str,
    what: str,
) -> str:
    """Send the round's check-ins or reflection prompts, or skip them if missed too long ago."""
    uow, n = services.uow, running.number
    step, due = {
        "checkin": (steps.send_checkins, running.checkin_at),
        "nudge": (steps.send_nudges, nudge_at(where.programme.settings, running)),
        "reflect": (steps.prompt_reflections, running.reflection_at),
    }[kind]
    assert due is not None
    if _missed(due, now, grace):
        await _tell_admins(
            uow,
            where,
            f"missed:{n}:{kind}",
            f"The {what} for round {n} was due while I was offline, too long ago to send now, "
            "so I skipped it.",
            now,
        )
        await step(uow, where.community_id, where.programme_id, n, now, send=False)
        return f"skipped the {what.removeprefix('half-way ')} of round {n}"
    await step(uow, where.community_id, where.programme_id, n, now)
    return {
        "checkin": f"sent check-ins for round {n}",
        "nudge": f"reminded unanswered groups of round {n}",
        "reflect": f"prompted reflections for round {n}",
    }[kind]


async def _skip_missed(
    services: Services, where: Where, missed: Round, now: datetime
) -> tuple[Round, Round] | None:
    async with services.uow:
        await services.uow.lock_programme(where.community_id, where.programme_id)
        current = await services.uow.rounds.get(
            where.community_id, where.programme_id, missed.number
        )
        if current is None or current.state is not RoundState.SCHEDULED:
            return None
        current.state = RoundState.SKIPPED
        await services.uow.rounds.save(current)
        following = schedule_round(
            where.programme, missed.number + 1, next_slot(where.programme.settings, now)
        )
        await services.uow.rounds.add(following)
        await services.uow.commit()
        return current, following


async def run_due_steps(
    services: Services, community_id: str, programme_id: str, grace: timedelta | None = None
) -> list[str]:
    """Run every step of the programme's rounds that is due now; return what was done.

    With a ``grace``, a step that fell due longer ago than that (the bot was offline) is skipped
    rather than sent late, and the admins are told.
    """
    now = services.clock.now()
    async with services.uow:
        where = await load_where(services.uow, community_id, programme_id)
    done: list[str] = []
    for _ in range(_MAX_STEPS_PER_PASS):
        step = await _next_step(services, where, now, grace)
        if step is None:
            break
        if step:
            done.append(step)
    return done


async def run_round_now(services: Services, community_id: str, programme_id: str) -> Round:
    """Close any running round and start the next one at once; the calendar continues from it."""
    uow, now = services.uow, services.clock.now()
    async with uow:
        where = await load_where(uow, community_id, programme_id)
        pair = await current_rounds(uow, community_id, programme_id)
    if pair.running is not None:
        chart = await _summary_chart(services, where, pair.running)
        await steps.close_round(uow, community_id, programme_id, pair.running.number, now, chart)
        if pair.running.state is RoundState.MATCHED:
            await steps.introduce_round(uow, community_id, programme_id, pair.running.number, now)
            await steps.close_round(
                uow, community_id, programme_id, pair.running.number, now, chart
            )
    async with uow:
        await uow.lock_programme(community_id, programme_id)
        pair = await current_rounds(uow, community_id, programme_id)
        if pair.scheduled is None:
            latest = await uow.rounds.latest(community_id, programme_id)
            number = latest.number + 1 if latest else 1
            scheduled = schedule_round(where.programme, number, now)
            await uow.rounds.add(scheduled)
        else:
            scheduled = _retimed(where.programme, pair.scheduled, now)
            await uow.rounds.save(scheduled)
        await uow.commit()
    await steps.match_round(uow, community_id, programme_id, scheduled.number, services.rng, now)
    introduced = await steps.introduce_round(uow, community_id, programme_id, scheduled.number, now)
    assert introduced is not None
    services.timetable_changed(community_id, programme_id)  # its check-in is now the next step
    return introduced


def _retimed(programme: Programme, round_: Round, intro_at: datetime) -> Round:
    times = timetable_from(programme.settings, intro_at)
    round_.intro_at, round_.checkin_at = times.intro_at, times.checkin_at
    round_.reflection_at, round_.close_at = times.reflection_at, times.close_at
    return round_


async def skip_round(
    services: Services, community_id: str, programme_id: str
) -> tuple[Round, Round]:
    """Skip the next scheduled round; return it and the round scheduled in its place."""
    uow = services.uow
    async with uow:
        await uow.lock_programme(community_id, programme_id)
        where = await load_where(uow, community_id, programme_id)
        pair = await current_rounds(uow, community_id, programme_id)
        skipped = pair.scheduled
        if skipped is None:
            latest = await uow.rounds.latest(community_id, programme_id)
            number = latest.number + 1 if latest else 1
            start = (
                latest.close_at
                if latest
                else next_slot(where.programme.settings, services.clock.now())
            )
            skipped = schedule_round(where.programme, number, start)
            await uow.rounds.add(skipped)
        skipped.state = RoundState.SKIPPED
        await uow.rounds.save(skipped)
        following = schedule_round(where.programme, skipped.number + 1, skipped.close_at)
        await uow.rounds.add(following)
        await uow.commit()
    services.timetable_changed(community_id, programme_id)
    return skipped, following


async def reschedule_next(uow: UnitOfWork, programme: Programme, now: datetime) -> Round | None:
    """Re-time the scheduled round after a settings change (inside an open unit of work)."""
    pair = await current_rounds(uow, programme.community_id, programme.id)
    if pair.scheduled is None:
        return None
    earliest = pair.running.close_at if pair.running is not None else now
    round_ = _retimed(programme, pair.scheduled, next_slot(programme.settings, max(earliest, now)))
    await uow.rounds.save(round_)
    return round_


async def next_due_at(uow: UnitOfWork, community_id: str, programme_id: str) -> datetime | None:
    """Return when the programme's next round step falls due (for the scheduler)."""
    async with uow:
        programme = await uow.programmes.get(community_id, programme_id)
        pair = await current_rounds(uow, community_id, programme_id)
        return due_at(pair, programme.settings if programme is not None else None)


async def next_due_times(
    uow: UnitOfWork, programmes: Iterable[Programme]
) -> dict[tuple[str, str], datetime | None]:
    """Return when each programme's next round step falls due, keyed by (community, programme).

    One query reads every programme's latest rounds, so a scheduler's resync costs the same
    whatever the number of programmes.
    """
    async with uow:
        latest = await uow.rounds.latest_rounds()
    due: dict[tuple[str, str], datetime | None] = {}
    for p in programmes:
        rounds = latest.get((p.community_id, p.id), ())
        pair = pair_of(rounds[0], rounds[1] if len(rounds) > 1 else None) if rounds else None
        due[(p.community_id, p.id)] = due_at(pair, p.settings) if pair is not None else None
    return due


def due_at(pair: RoundPair, settings: ProgrammeSettings | None = None) -> datetime | None:
    """Return when the next step of a programme with these rounds falls due (None: no round).

    Without ``settings`` (a programme no longer stored) no reminder or heads-up is expected.
    """
    times: list[datetime] = []
    if pair.running is not None:
        r = pair.running
        if r.state is RoundState.MATCHED:
            times.append(r.intro_at)
        if r.state is RoundState.INTRODUCED:
            times.append(r.checkin_at)
        if r.state is RoundState.CHECKED_IN and settings is not None:
            nudge_due = nudge_at(settings, r)
            if nudge_due is not None:
                times.append(nudge_due)
        if r.state in _REFLECTABLE:
            times.append(r.reflection_at)
        times.append(r.close_at)
    if pair.scheduled is not None:
        scheduled = pair.scheduled
        times.append(scheduled.intro_at)
        heads_up = heads_up_at(settings, scheduled) if settings is not None else None
        if (
            scheduled.announced_at is None
            and heads_up is not None
            and heads_up < scheduled.intro_at
        ):
            times.append(heads_up)
    return min(times) if times else None
