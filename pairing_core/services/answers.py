"""What groups answer: the half-way check-in and the takeaway they share."""

from __future__ import annotations

from dataclasses import dataclass

from pairing_core import commands as c
from pairing_core.errors import DomainError, NotAMember, RoundNotOpen
from pairing_core.message import Message, OutboxItem, Target
from pairing_core.programme import GENERAL
from pairing_core.reflection import Reflection
from pairing_core.round import Group, Round, RoundState
from pairing_core.services.community_setup import load_programme
from pairing_core.services.context import Actor, Services
from pairing_core.services.group_followups import still_in
from pairing_core.services.round_steps import takeaway_key, takeaway_link
from pairing_core.texts import (
    and_list,
    checkin_already,
    checkin_answered,
    mention,
    reflection_post,
)
from pairing_core.typed_input import checked_reflection

__all__ = ["CheckInRecorded", "record_checkin", "submit_reflection"]

# How many earlier rounds a late takeaway may still be for.
_REFLECTION_LOOKBACK = 3

# Someone who left gets no more check-ins or prompts (see group_followups); a button they were
# sent before leaving, or a typed takeaway, is refused the same way, and never credits them.
_NO_LONGER_TAKING_PART = (
    "You're no longer taking part in UnMentoring, so your group's check-in and takeaway are for "
    "those still taking part."
)


async def _refuse_if_left(
    services: Services, community_id: str, programme_id: str, member_id: str
) -> None:
    member = await services.uow.members.get(community_id, member_id, programme_id=programme_id)
    if member is not None and not member.takes_part:
        raise NotAMember(_NO_LONGER_TAKING_PART)


async def _credited(
    services: Services, round_: Round, group: Group, author: str
) -> tuple[str, ...]:
    """Return who a takeaway credits: the author and the group's members still in it."""
    members = {
        m.member_id: m
        for m in await services.uow.members.list(
            round_.community_id, programme_id=round_.programme_id
        )
    }
    remaining = still_in(group, members)
    return tuple(m for m in group.members if m == author or m in remaining)


def _left_group(number: int) -> str:
    return (
        f"You left UnMentoring during round {number}, so that group's check-in and takeaway are "
        "for those still in it."
    )


@dataclass(frozen=True)
class CheckInRecorded:
    reply: Message  # for the person who pressed
    updated: Message  # replaces the check-in message: the group's answer, and any better ones
    changed: bool = True  # False when the press left the group's answer as it was


async def record_checkin(
    cmd: c.RecordCheckIn, actor: Actor, community_id: str, services: Services
) -> CheckInRecorded:
    """Record the group's answer; a better one ("met" > "booked" > "not this time") replaces it.

    Any other press gets the same reply, however long after and whatever restarted meanwhile.
    """
    uow = services.uow
    # a check-in button sent before programmes existed carries no programme: "general"'s
    programme_id = cmd.programme_id or GENERAL
    async with uow:
        # Saving a round writes every group that differs from the stored one: without the lock,
        # two groups answering at once could each write back the other's group unanswered, and
        # two presses in one group are taken in turn, so the better answer is the one kept.
        await uow.lock_programme(community_id, programme_id)
        await _refuse_if_left(services, community_id, programme_id, actor.member_id)
        round_ = await uow.rounds.get(community_id, programme_id, cmd.round_number)
        if round_ is None or not round_.has_reached(RoundState.INTRODUCED):
            raise RoundNotOpen("That round isn't running.")
        group = next((g for g in round_.groups if g.index == cmd.group_index), None)
        if group is None or not group.has(actor.member_id):
            raise DomainError("This check-in is for another group.")
        if not group.keeps(actor.member_id):
            raise NotAMember(_left_group(round_.number))
        earlier = group.checkin
        if earlier is not None and cmd.answer.rank <= earlier.rank:
            return CheckInRecorded(
                Message(checkin_already(earlier)), checkin_answered(round_, group), changed=False
            )
        group.checkin, group.checkin_by = cmd.answer, actor.member_id
        await uow.rounds.save(round_)
        await uow.commit()
    reply = (
        "Thanks, noted." if earlier is None else "Thanks, noted: your group's answer is updated."
    )
    return CheckInRecorded(Message(reply), checkin_answered(round_, group))


async def _chosen_round(
    services: Services, community_id: str, programme_id: str, member_id: str, number: int
) -> tuple[Round, Group]:
    """Return the round a takeaway names (a form's button carries it) and the member's group."""
    round_ = await services.uow.rounds.get(community_id, programme_id, number)
    group = round_.group_of(member_id) if round_ is not None else None
    if round_ is None or group is None or not round_.has_reached(RoundState.INTRODUCED):
        raise RoundNotOpen(f"You weren't in a group in round {number}.")
    if not group.keeps(member_id):
        raise NotAMember(_left_group(number))
    return round_, group


async def _members_round(
    services: Services, community_id: str, programme_id: str, member_id: str, number: int | None
) -> tuple[Round, Group]:
    """Return the round and group a takeaway is for: only ever a group the member was in.

    With no round named, it is the member's latest group, except in the days between a round's
    intro and its check-in: then the group of the round just before (closed by now, its
    reflection prompt having come ~2 days before the close) comes first while it has shared no
    takeaway, since nobody has had time to meet their new group yet.
    """
    if number is not None:
        return await _chosen_round(services, community_id, programme_id, member_id, number)
    uow = services.uow
    latest = await uow.rounds.latest(community_id, programme_id)
    if latest is None:
        raise RoundNotOpen("There hasn't been a round yet.")
    ran: list[Round] = []
    for candidate in range(latest.number, max(0, latest.number - _REFLECTION_LOOKBACK - 1), -1):
        round_ = await uow.rounds.get(community_id, programme_id, candidate)
        if round_ is not None and round_.has_reached(RoundState.INTRODUCED):
            ran.append(round_)
    mine = [(r, g) for r in ran if (g := r.group_of(member_id)) is not None and g.keeps(member_id)]
    if not mine:
        raise RoundNotOpen("You don't have a recent conversation to share a takeaway from.")
    round_, group = mine[0]
    before = ran[ran.index(round_) + 1 :]
    # the window: the member's newest group not yet checked in on, and a group of theirs in the
    # round that ran just before it
    if round_.state is RoundState.INTRODUCED and before and mine[1:] and mine[1][0] is before[0]:
        previous, earlier = mine[1]
        if (
            await uow.reflections.for_group(
                community_id, programme_id, previous.number, earlier.index
            )
            is None
        ):
            return previous, earlier
    return round_, group


async def _takeaway_group(
    services: Services, community_id: str, member_id: str, cmd: c.SubmitReflection
) -> tuple[Round, Group]:
    """Return the round and group a takeaway is for, in the programme named or, with none
    named, in whichever programme of the member's had their most recent conversation."""
    if cmd.programme_id is not None:
        await _refuse_if_left(services, community_id, cmd.programme_id, member_id)
        return await _members_round(
            services, community_id, cmd.programme_id, member_id, cmd.round_number
        )
    memberships = await services.uow.members.memberships(community_id, member_id)
    taking_part = [m for m in memberships if m.takes_part]
    if memberships and not taking_part:
        raise NotAMember(_NO_LONGER_TAKING_PART)
    found: list[tuple[Round, Group]] = []
    refusal: DomainError | None = None
    for member in taking_part:
        try:
            found.append(
                await _members_round(
                    services, community_id, member.programme_id, member_id, cmd.round_number
                )
            )
        except DomainError as error:
            refusal = refusal or error
    if not found:
        raise refusal or RoundNotOpen("There hasn't been a round yet.")
    return max(found, key=lambda pair: pair[0].intro_at)


async def _already_shared(services: Services, existing: Reflection) -> DomainError:
    """Say the group's takeaway is in, linking to its post where there is one."""
    link = await takeaway_link(services.uow, existing)
    # a bare address: it shows as a link in messages and stays readable in a form's plain text
    where = f": {link}" if link else "."
    return DomainError(
        f"Your group already shared its takeaway for round {existing.round_number} "
        f"(from {mention(existing.author)}){where}"
    )


def _credit(reflection: Reflection, author: str) -> str:
    """Say which round and which people a takeaway is credited to, from its author's side."""
    others = [mention(a) for a in reflection.authors if a != author]
    return f"for round {reflection.round_number}, credited to {and_list(['you', *others])},"


async def submit_reflection(
    cmd: c.SubmitReflection, actor: Actor, community_id: str, services: Services
) -> Message:
    """Record a group's takeaway and, with consent, post it to the reflections channel."""
    cmd = checked_reflection(cmd)  # the same limits whichever form or command it came from
    uow = services.uow
    async with uow:
        round_, group = await _takeaway_group(services, community_id, actor.member_id, cmd)
        programme = await load_programme(uow, community_id, round_.programme_id)
        existing = await uow.reflections.for_group(
            community_id, programme.id, round_.number, group.index
        )
        if existing is not None:
            raise await _already_shared(services, existing)
        reflection = Reflection(
            community_id=community_id,
            round_number=round_.number,
            group_index=group.index,
            author=actor.member_id,
            authors=await _credited(services, round_, group, actor.member_id),
            text=cmd.text.strip(),
            public=cmd.public,
            created_at=services.clock.now(),
            rating=cmd.rating,
            programme_id=programme.id,
        )
        if not await uow.reflections.add(reflection):
            # another member of the group submitted at the same moment, and theirs was stored
            stored = await uow.reflections.for_group(
                community_id, programme.id, round_.number, group.index
            )
            raise await _already_shared(services, stored or reflection)
        channel = programme.settings.reflections_channel
        if cmd.public and channel:
            await uow.outbox.add(
                OutboxItem(
                    community_id,
                    takeaway_key(programme.id, round_.number, group.index),
                    Target.channel(channel),
                    reflection_post(reflection),
                    created_at=services.clock.now(),
                )
            )
        await uow.commit()
    credit = _credit(reflection, actor.member_id)
    if not cmd.public:
        return Message(f"Thank you — your takeaway {credit} is recorded privately.")
    if not channel:
        return Message(
            f"Thank you — your takeaway {credit} is recorded. No reflections channel is set yet, "
            "so an admin will need to choose one before takeaways are posted."
        )
    return Message(f"Thank you — your takeaway {credit} will appear in <#{channel}>.")
