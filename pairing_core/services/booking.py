"""``book N``: a member picks one of their intro's suggested times for their current group.

The group's check-in answer becomes "booked" (unless it already met), the slot is stored, and the
others are told in the group's conversation, with the slot's calendar invite (the intro's UID, so a
calendar that took the intro's file updates the same event).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pairing_core import commands as c
from pairing_core.errors import DomainError, NotAMember, RoundNotOpen
from pairing_core.meeting_slots import SLOT_LENGTH, SLOTS_SUGGESTED, Slot
from pairing_core.meeting_texts import group_slots, slot_attachment, slot_line
from pairing_core.message import Message, OutboxItem, Target
from pairing_core.round import CheckInAnswer, Group, Round, RoundState
from pairing_core.services.community_setup import load_programme
from pairing_core.services.context import Actor, Services
from pairing_core.services.group_followups import followup_key, still_in
from pairing_core.services.programme_label import labeller

__all__ = ["book_slot"]

_LOOKBACK = 3
_NO_GROUP = "You're not in a group in a running round, so there's no time to book."


async def _current_group(services: Services, community_id: str, member_id: str) -> Round:
    """Return the member's newest introduced round with a group of theirs, in any programme."""
    uow = services.uow
    rounds: list[Round] = []
    for member in await uow.members.memberships(community_id, member_id):
        if not member.takes_part:
            continue
        latest = await uow.rounds.latest(community_id, member.programme_id)
        newest = latest.number if latest is not None else 0
        # the next round is scheduled once one is introduced; a skipped one is passed over
        for number in range(newest, max(0, newest - _LOOKBACK), -1):
            round_ = await uow.rounds.get(community_id, member.programme_id, number)
            if round_ is None or not round_.has_reached(RoundState.INTRODUCED):
                continue
            if round_.group_of(member_id) is not None:
                rounds.append(round_)
            break
    if not rounds:
        raise RoundNotOpen(_NO_GROUP)
    return max(rounds, key=lambda r: r.intro_at)


def _chosen(slots: list[Slot], cmd: c.BookSlot, round_: Round) -> Slot:
    """Return the slot pressed: the time its button carried (what the intro showed), else slot N.

    A button's time is kept even when people's hours changed since, and the slots worked out
    now differ from those the intro showed.
    """
    at = cmd.at
    week = round_.intro_at + timedelta(days=7)
    if at is not None and 1 <= cmd.slot <= SLOTS_SUGGESTED and round_.intro_at <= at <= week:
        return Slot(at, at + SLOT_LENGTH)
    if 1 <= cmd.slot <= len(slots):
        return slots[cmd.slot - 1]
    if len(slots) == 1:
        raise DomainError("There is 1 suggested time: book 1, as numbered in your intro.")
    raise DomainError(
        f"There are {len(slots)} suggested times: book 1 to {len(slots)}, "
        "as numbered in your intro."
    )


async def book_slot(
    cmd: c.BookSlot, actor: Actor, community_id: str, services: Services
) -> Message:
    """Book one of the group's suggested times and tell the others, with its invite."""
    uow = services.uow
    async with uow:
        found = await _current_group(services, community_id, actor.member_id)
        await uow.lock_programme(community_id, found.programme_id)
        round_ = await uow.rounds.get(community_id, found.programme_id, found.number)
        group = round_.group_of(actor.member_id) if round_ is not None else None
        if round_ is None or group is None:
            raise RoundNotOpen(_NO_GROUP)
        if not round_.is_open:
            raise RoundNotOpen(f"Round {round_.number} is over: there's nothing left to book.")
        if not group.keeps(actor.member_id):
            raise NotAMember(
                f"You left your round {round_.number} group, so you can't book for it."
            )
        if group.checkin is CheckInAnswer.MET:
            raise DomainError("Your group has already met this round: nothing to book.")
        programme = await load_programme(uow, community_id, round_.programme_id)
        members = {
            m.member_id: m
            for m in await uow.members.list(community_id, programme_id=round_.programme_id)
        }
        slot = _chosen(group_slots(programme, round_, group, members), cmd, round_)
        if group.booked_slot_at == slot.start:
            raise DomainError(f"Your group has already booked slot {cmd.slot}.")
        group.checkin, group.checkin_by = CheckInAnswer.BOOKED, actor.member_id
        group.booked_slot_at = slot.start
        await uow.rounds.save(round_)
        people = [members[m] for m in still_in(group, members)]
        line = slot_line(slot, people, programme)
        label = await labeller(uow, programme)
        await uow.outbox.add(
            OutboxItem(
                community_id,
                _booking_key(round_, group, slot.start),
                Target.group(tuple(p.member_id for p in people)),
                label(
                    Message(
                        f"<@{actor.member_id}> booked slot {cmd.slot}: {line}. The calendar "
                        "invite is attached; add your own video call link if you meet online.",
                        attachments=(
                            slot_attachment(programme, round_, group, members, cmd.slot, slot),
                        ),
                    )
                ),
                created_at=services.clock.now(),
            )
        )
        await uow.commit()
    return Message(f"Booked slot {cmd.slot}: {line}. I've told your group.")


def _booking_key(round_: Round, group: Group, start: datetime) -> str:
    return followup_key(
        round_.programme_id, round_.number, group.index, f"booked:{start:%Y%m%dT%H%MZ}"
    )
