"""The heads-up before a round: each active member hears it is coming and can skip it.

It falls due ``heads_up_days`` before the round's matching, at the same local time (so a clock
change in between moves it with the programme's day). It is sent once per round (the round's
``announced_at`` records that the step ran) and once per member (its outbox key
``round:N:heads-up:<member>``). Members who already chose for the round hear nothing more.

In mode ``always`` it says "you're in" with buttons Skip this round / Pause 2 weeks; in mode
``opt-in`` it asks "Want in?" with I'm in / Skip. The buttons carry command text (``skip data
--round 4``), so they work on every platform and say which round they were about.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pairing_core.button_values import CHOOSE_PROGRAMME_ACTION
from pairing_core.member import MemberStatus
from pairing_core.message import Action, Message, OutboxItem, Target
from pairing_core.ports import UnitOfWork
from pairing_core.programme import Programme, ProgrammeSettings, RoundMode, programme_key
from pairing_core.round import Round, RoundState
from pairing_core.services.community_setup import load_programme
from pairing_core.services.programme_label import labeller
from pairing_core.texts import format_day

__all__ = [
    "IN_LABEL",
    "PAUSE_LABEL",
    "SKIP_LABEL",
    "announce_round",
    "choice_text",
    "heads_up_at",
    "heads_up_key",
    "heads_up_message",
    "starts_when",
]

SKIP_LABEL = "Skip this round"
PAUSE_LABEL = "Pause 2 weeks"
IN_LABEL = "I'm in"


def heads_up_at(settings: ProgrammeSettings, round_: Round) -> datetime | None:
    """Return when the round's heads-up falls due; None when the programme sends none."""
    if settings.heads_up_days is None:
        return None
    local = round_.intro_at.astimezone(settings.zone)
    wall = local.replace(tzinfo=None) - timedelta(days=settings.heads_up_days)
    return wall.replace(tzinfo=settings.zone).astimezone(UTC)


def heads_up_key(programme_id: str, number: int, member_id: str) -> str:
    return programme_key(programme_id, f"round:{number}:heads-up:{member_id}")


def starts_when(round_: Round, programme: Programme, now: datetime) -> str:
    """Say when the round starts, relative to ``now`` when it is today or tomorrow."""
    zone = programme.settings.zone
    start, today = round_.intro_at.astimezone(zone), now.astimezone(zone).date()
    if start.date() == today:
        return f"today at {start:%H:%M}"
    if start.date() == today + timedelta(days=1):
        return "tomorrow"
    return format_day(round_.intro_at, programme)


def choice_text(word: str, programme: Programme, number: int | None = None) -> str:
    """The command a heads-up button runs: ``skip data --round 4``."""
    return f"{word} {programme.name}" + (f" --round {number}" if number is not None else "")


def heads_up_message(
    programme: Programme, round_: Round, now: datetime, several: bool = False
) -> Message:
    """The heads-up; the commands it suggests name the programme when there are ``several``."""
    when, n = starts_when(round_, programme, now), round_.number

    def typed(word: str) -> str:
        return f"`/unmentor {choice_text(word, programme) if several else word}`"

    skip = Action(CHOOSE_PROGRAMME_ACTION, SKIP_LABEL, choice_text("skip", programme, n))
    if programme.settings.mode is RoundMode.OPT_IN:
        return Message(
            f"Round {n} starts {when}. Want in? Only people who say so are matched this time: "
            f"press {IN_LABEL} (or type {typed('in')}).",
            (Action(CHOOSE_PROGRAMME_ACTION, IN_LABEL, choice_text("in", programme, n)), skip),
        )
    return Message(
        f"Round {n} starts {when}: you're in. Busy? Press {SKIP_LABEL} to sit this one out "
        f"(or type {typed('skip')}), or {PAUSE_LABEL}.",
        (skip, Action(CHOOSE_PROGRAMME_ACTION, PAUSE_LABEL, f"pause {programme.name} 2w")),
    )


async def announce_round(
    uow: UnitOfWork,
    community_id: str,
    programme_id: str,
    number: int,
    now: datetime,
    send: bool = True,
) -> Round | None:
    """Send the scheduled round's heads-up to each active member once (``send=False``: mark it
    done without sending, when it was missed)."""
    async with uow:
        await uow.lock_programme(community_id, programme_id)
        round_ = await uow.rounds.get(community_id, programme_id, number)
        if round_ is None or round_.state is not RoundState.SCHEDULED or round_.announced_at:
            return round_
        if send:
            programme = await load_programme(uow, community_id, programme_id)
            label = await labeller(uow, programme)
            chosen = await uow.rounds.choices(community_id, programme_id, number)
            several = await uow.programmes.count(community_id) > 1
            message = label(heads_up_message(programme, round_, now, several))
            for member in await uow.members.list(
                community_id, [MemberStatus.ACTIVE], programme_id=programme_id
            ):
                if member.member_id in chosen:
                    continue
                await uow.outbox.add(
                    OutboxItem(
                        community_id,
                        heads_up_key(programme_id, number, member.member_id),
                        Target.member(member.member_id),
                        message,
                        created_at=now,
                    )
                )
        round_.announced_at = now
        await uow.rounds.save(round_)
        await uow.commit()
        return round_
