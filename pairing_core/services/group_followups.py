"""Who gets a group's follow-ups (the half-way check-in, the reflection prompt), and where.

Someone who leaves the programme mid-round (``leave``, an admin opt-out, a deactivated account, an
erasure, which leaves a pseudonym in the group) hears nothing more from it; a pause keeps a member in
the conversation they already have, since it only keeps them out of rounds still to be matched.

A Slack group DM cannot drop anyone, nor can a Discord fallback that messages each member; a Discord
thread could, but the port has no such call and one behaviour everywhere is easier to trust. So the
intro's conversation is reused only while everyone it was opened for still takes part. Otherwise the
follow-up goes to a conversation opened for those remaining, saying why and never naming or
mentioning who left; one member left on their own gets a single direct message instead. The keys
stay ``round:N:group:G:<kind>`` whoever receives them, so a step run again never sends twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pairing_core.member import Member, MemberStatus
from pairing_core.message import Message, OutboxItem, Target
from pairing_core.pacing import CONVERSATION_KEY
from pairing_core.ports import UnitOfWork
from pairing_core.programme import Programme, programme_key
from pairing_core.round import Group, Round, RoundState
from pairing_core.services.programme_label import Label
from pairing_core.texts import for_those_remaining, partner_left_message

__all__ = ["followup_key", "group_followups", "intro_key", "leave_running_group", "still_in"]

# The step whose conversation a later step reuses when both went to the same people.
_EARLIER_STEP = {"nudge": "checkin", "reflect": "checkin"}


def intro_key(programme_id: str, number: int, group_index: int) -> str:
    return followup_key(programme_id, number, group_index, "intro")


def followup_key(programme_id: str, number: int, group_index: int, kind: str) -> str:
    return programme_key(programme_id, f"round:{number}:group:{group_index}:{kind}")


def still_in(group: Group, members: Mapping[str, Member]) -> tuple[str, ...]:
    """Return the group's members still taking part; a pseudonym or an unknown id is not.

    Nor is someone who left mid-round and has since rejoined: they are back in the pot for the
    next round, not in the conversation they left.
    """
    return tuple(
        m for m in group.members if m in members and members[m].takes_part and group.keeps(m)
    )


async def leave_running_group(
    uow: UnitOfWork, community_id: str, programme_id: str, member_id: str
) -> None:
    """Take a member who leaves the programme out of the group of the round that is running.

    Only a group already introduced: before the intro, leaving simply drops them from it (see
    ``round_steps``), and rejoining in time puts them back.
    """
    latest = await uow.rounds.latest(community_id, programme_id)
    for number in (latest.number, latest.number - 1) if latest is not None else ():
        round_ = await uow.rounds.get(community_id, programme_id, number)
        if round_ is None or not round_.is_open or not round_.has_reached(RoundState.INTRODUCED):
            continue
        group = round_.group_of(member_id)
        if group is not None and group.keeps(member_id):
            group.departed = group.departed | {member_id}
            await uow.rounds.save(round_)


async def _earlier_conversation(
    uow: UnitOfWork, round_: Round, group: Group, kind: str, to: tuple[str, ...]
) -> str | None:
    """Return the key of an earlier follow-up that opened a conversation for exactly ``to``.

    The recipients are recorded separately because an erasure takes the erased member out of an
    item's target but not out of the conversation it was sent in; it rewrites their id in the
    record too, so the record then no longer matches and a new conversation is opened.
    """
    earlier_kind = _EARLIER_STEP.get(kind)
    if earlier_kind is None:
        return None
    key = followup_key(round_.programme_id, round_.number, group.index, earlier_kind)
    earlier = await uow.outbox.get(round_.community_id, key)
    if earlier is None or earlier.extra.get("recipients") != list(to):
        return None
    return key


async def group_followups(
    uow: UnitOfWork,
    programme: Programme,
    round_: Round,
    group: Group,
    members: Mapping[str, Member],
    kind: str,
    message: Message,
    now: datetime,
    label: Label,
) -> list[OutboxItem]:
    """Return the outbox items that carry one step's ``message`` to what remains of the group."""
    number, remaining = round_.number, still_in(group, members)
    key = followup_key(programme.id, number, group.index, kind)
    community_id = programme.community_id
    if remaining == group.members:
        item = OutboxItem(community_id, key, Target.group(remaining), message, created_at=now)
        item.extra[CONVERSATION_KEY] = intro_key(programme.id, number, group.index)
        return [item]
    if len(remaining) >= 2:
        item = OutboxItem(
            community_id, key, Target.group(remaining), for_those_remaining(message), created_at=now
        )
        item.extra["recipients"] = list(remaining)
        earlier = await _earlier_conversation(uow, round_, group, kind, remaining)
        if earlier is not None:
            item.extra[CONVERSATION_KEY] = earlier
        return [item]
    if not remaining:
        return []
    # One key for both steps: whichever first finds the member alone tells them, once.
    (alone,) = remaining
    paused = members[alone].status is MemberStatus.PAUSED
    return [
        OutboxItem(
            community_id,
            followup_key(programme.id, number, group.index, "partner-left"),
            Target.member(alone),
            label(partner_left_message(round_, group, paused, programme)),
            created_at=now,
        )
    ]
