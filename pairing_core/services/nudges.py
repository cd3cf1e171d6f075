"""Reminders to groups that have not answered the check-in, and pauses for quiet members.

A reminder goes once to each group with no answer, ``nudge_days`` after the check-in at the same
local time (so a clock change in between moves it with the programme's day), into the
check-in's conversation, with the check-in's buttons. It is the round step CHECKED_IN -> NUDGED;
when the reflection prompt falls due first, the round moves on and no reminder is sent.

A member quiet for ``quiet_after`` rounds (``pairing_core.quiet``) is paused when the next round
is matched, until they resume, and told why with a button that resumes them. The message is
keyed ``round:N:quiet-pause:<member>``: a step run again pauses nobody twice, and the key is
how the outcome figures count automatic pauses.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from pairing_core.button_values import CHOOSE_PROGRAMME_ACTION
from pairing_core.member import Member, MemberStatus
from pairing_core.message import Action, Message, OutboxItem, Target, escape_markup
from pairing_core.ports import UnitOfWork
from pairing_core.programme import Programme, ProgrammeSettings, programme_key
from pairing_core.quiet import quiet_members
from pairing_core.round import Group, Round, RoundState
from pairing_core.services.group_followups import followup_key
from pairing_core.services.programme_label import Label

__all__ = ["NUDGE", "nudge_at", "pause_quiet_members", "quiet_pause_key", "RESUME_LABEL"]

NUDGE = "nudge"  # the follow-up kind: keys ``round:N:group:G:nudge``
RESUME_LABEL = "Resume"


def nudge_at(settings: ProgrammeSettings, round_: Round) -> datetime | None:
    """Return when the round's reminder falls due; None when off or after the reflection prompt."""
    if settings.nudge_days is None:
        return None
    local = round_.checkin_at.astimezone(settings.zone)
    wall = local.replace(tzinfo=None) + timedelta(days=settings.nudge_days)
    due = wall.replace(tzinfo=settings.zone).astimezone(UTC)
    return due if due < round_.reflection_at else None


def quiet_pause_key(programme_id: str, number: int, member_id: str) -> str:
    return programme_key(programme_id, f"round:{number}:quiet-pause:{member_id}")


def _quiet_pause_message(programme: Programme, rounds: Sequence[int]) -> Message:
    resume = f"resume {programme.name}"
    listed = ", ".join(str(n) for n in sorted(rounds))
    return Message(
        f"I've paused you in {escape_markup(programme.name)}: you haven't answered a check-in or "
        f"shared a takeaway in your last {len(rounds)} rounds ({listed}), so I'm not matching "
        "you for now, to spare a partner waiting on someone who is busy. Whenever you want to "
        f"be matched again, press {RESUME_LABEL} (or type `{resume}`).",
        (Action(CHOOSE_PROGRAMME_ACTION, RESUME_LABEL, resume),),
    )


async def _was_auto_paused_since(
    uow: UnitOfWork, programme_id: str, member_id: str, first: int, until: int, community_id: str
) -> bool:
    for number in range(first, until + 1):
        if await uow.outbox.get(community_id, quiet_pause_key(programme_id, number, member_id)):
            return True
    return False


async def pause_quiet_members(
    uow: UnitOfWork,
    programme: Programme,
    round_: Round,
    members: Sequence[Member],
    now: datetime,
    label: Label,
) -> list[Member]:
    """Pause the active members who have gone quiet, telling each why (inside the match's lock).

    Only rounds after a member's last automatic pause count: someone who resumes starts afresh.
    """
    after = programme.settings.quiet_after
    active = [m for m in members if m.status is MemberStatus.ACTIVE]
    if after is None or not active:
        return []
    community_id = programme.community_id
    rounds = [
        r
        for r in await uow.rounds.list(community_id, programme.id)
        if r.number < round_.number and r.has_reached(RoundState.CHECKED_IN)
    ]
    reflections = await uow.reflections.list(community_id, programme.id)
    asked_cache: dict[tuple[int, int], bool] = {}

    async def was_asked(r: Round, g: Group) -> bool:
        ref = (r.number, g.index)
        if ref not in asked_cache:
            key = followup_key(programme.id, r.number, g.index, "checkin")
            asked_cache[ref] = await uow.outbox.get(community_id, key) is not None
        return asked_cache[ref]

    # the rule is pure and synchronous: answer "asked" for every group that could matter first
    for r in rounds:
        for g in r.groups:
            if any(m.member_id in g.members for m in active):
                await was_asked(r, g)
    quiet = quiet_members(
        (m.member_id for m in active),
        rounds,
        reflections,
        lambda r, g: asked_cache.get((r.number, g.index), False),
        after,
    )
    paused: list[Member] = []
    for member in active:
        numbers = quiet.get(member.member_id)
        if numbers is None or await _was_auto_paused_since(
            uow, programme.id, member.member_id, min(numbers), round_.number, community_id
        ):
            continue
        member.status, member.paused_until = MemberStatus.PAUSED, None
        await uow.members.save(member)
        await uow.outbox.add(
            OutboxItem(
                community_id,
                quiet_pause_key(programme.id, round_.number, member.member_id),
                Target.member(member.member_id),
                label(_quiet_pause_message(programme, numbers)),
                created_at=now,
            )
        )
        paused.append(member)
    return paused
