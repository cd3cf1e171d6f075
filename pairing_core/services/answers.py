"""What groups answer: the half-way check-in and the takeaway they share."""

from __future__ import annotations

from dataclasses import dataclass

from pairing_core import commands as c
from pairing_core.errors import DomainError, NotAMember, RoundNotOpen
from pairing_core.message import Message, OutboxItem, Target
from pairing_core.reflection import Reflection
from pairing_core.round import Group, Round, RoundState
from pairing_core.services.community_setup import load_community
from pairing_core.services.context import Actor, Services
from pairing_core.services.round_steps import takeaway_key
from pairing_core.texts import checkin_answered, mention, reflection_post

__all__ = ["CheckInRecorded", "record_checkin", "submit_reflection"]

# How many earlier rounds a late takeaway may still be for.
_REFLECTION_LOOKBACK = 3

# Someone who left gets no more check-ins or prompts (see group_followups); a button they were
# sent before leaving, or a typed takeaway, is refused the same way, and never credits them.
_NO_LONGER_TAKING_PART = (
    "You're no longer taking part in UnMentoring, so your group's check-in and takeaway are for "
    "those still taking part."
)


async def _refuse_if_left(services: Services, community_id: str, member_id: str) -> None:
    member = await services.uow.members.get(community_id, member_id)
    if member is not None and not member.takes_part:
        raise NotAMember(_NO_LONGER_TAKING_PART)


async def _credited(
    services: Services, community_id: str, group: Group, author: str
) -> tuple[str, ...]:
    """Return who a takeaway credits: the author and the group's members still taking part."""
    credited = []
    for member_id in group.members:
        member = await services.uow.members.get(community_id, member_id)
        if member_id == author or (member is not None and member.takes_part):
            credited.append(member_id)
    return tuple(credited)


@dataclass(frozen=True)
class CheckInRecorded:
    reply: Message  # for the person who pressed
    updated: Message  # replaces the check-in message so nobody answers twice


async def record_checkin(
    cmd: c.RecordCheckIn, actor: Actor, community_id: str, services: Services
) -> CheckInRecorded:
    """Record the group's answer; the first answer stands and later presses are told so."""
    uow = services.uow
    async with uow:
        # Saving a round writes every group that differs from the stored one: without the lock,
        # two groups answering at once could each write back the other's group unanswered.
        await uow.lock_community(community_id)
        await _refuse_if_left(services, community_id, actor.member_id)
        round_ = await uow.rounds.get(community_id, cmd.round_number)
        if round_ is None or not round_.has_reached(RoundState.INTRODUCED):
            raise RoundNotOpen("That round isn't running.")
        group = next((g for g in round_.groups if g.index == cmd.group_index), None)
        if group is None or not group.has(actor.member_id):
            raise DomainError("This check-in is for another group.")
        if group.checkin is not None and group.checkin_by is not None:
            text = checkin_answered(group.checkin, group.checkin_by)
            return CheckInRecorded(Message("Your group has already answered."), Message(text))
        group.checkin, group.checkin_by = cmd.answer, actor.member_id
        await uow.rounds.save(round_)
        await uow.commit()
    text = checkin_answered(cmd.answer, actor.member_id)
    return CheckInRecorded(Message("Thanks, noted."), Message(text))


async def _members_round(
    services: Services, community_id: str, member_id: str, number: int | None
) -> tuple[Round, Group]:
    uow = services.uow
    latest = await uow.rounds.latest(community_id)
    if latest is None:
        raise RoundNotOpen("There hasn't been a round yet.")
    candidates = (
        [number]
        if number is not None
        else [latest.number - i for i in range(_REFLECTION_LOOKBACK + 1)]
    )
    for candidate in candidates:
        round_ = await uow.rounds.get(community_id, candidate)
        if round_ is None or not round_.has_reached(RoundState.INTRODUCED):
            continue
        group = round_.group_of(member_id)
        if group is not None:
            return round_, group
    raise RoundNotOpen("You don't have a recent conversation to share a takeaway from.")


async def submit_reflection(
    cmd: c.SubmitReflection, actor: Actor, community_id: str, services: Services
) -> Message:
    """Record a group's takeaway and, with consent, post it to the reflections channel."""
    uow = services.uow
    async with uow:
        community = await load_community(uow, community_id)
        await _refuse_if_left(services, community_id, actor.member_id)
        round_, group = await _members_round(
            services, community_id, actor.member_id, cmd.round_number
        )
        existing = await uow.reflections.for_group(community_id, round_.number, group.index)
        if existing is not None:
            raise DomainError(
                f"{mention(existing.author)} already shared your group's takeaway for round "
                f"{round_.number}."
            )
        reflection = Reflection(
            community_id=community_id,
            round_number=round_.number,
            group_index=group.index,
            author=actor.member_id,
            authors=await _credited(services, community_id, group, actor.member_id),
            text=cmd.text.strip(),
            public=cmd.public,
            created_at=services.clock.now(),
            rating=cmd.rating,
        )
        await uow.reflections.add(reflection)
        channel = community.settings.reflections_channel
        if cmd.public and channel:
            await uow.outbox.add(
                OutboxItem(
                    community_id,
                    takeaway_key(round_.number, group.index),
                    Target.channel(channel),
                    reflection_post(reflection),
                    created_at=services.clock.now(),
                )
            )
        await uow.commit()
    if not cmd.public:
        return Message("Thank you — your takeaway is recorded privately.")
    if not channel:
        return Message(
            "Thank you — your takeaway is recorded. No reflections channel is set yet, so an admin "
            "will need to choose one before takeaways are posted."
        )
    return Message(
        f"Thank you — your takeaway will appear in <#{channel}>, credited to your group."
    )
