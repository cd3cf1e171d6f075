"""What a member sees with ``status``: their details, then each programme they are in."""

from __future__ import annotations

from pairing_core import commands as c
from pairing_core.member import BlockKind, Member, MemberStatus
from pairing_core.message import Message, escape_markup, escape_prose
from pairing_core.services.context import Actor, Services
from pairing_core.services.group_followups import still_in
from pairing_core.services.membership import next_round_text
from pairing_core.services.round_calendar import current_rounds
from pairing_core.services.round_choices import choice_status
from pairing_core.services.where import Where, load_where
from pairing_core.texts import format_day, list_people
from pairing_core.working_hours import format_hours

__all__ = ["show_status"]


async def show_status(
    cmd: c.ShowStatus, actor: Actor, community_id: str, services: Services
) -> Message:
    """Tell the member where they stand: details, then each programme they are in."""
    uow = services.uow
    async with uow:
        memberships = [
            m
            for m in await uow.members.memberships(community_id, actor.member_id)
            if m.status is not MemberStatus.ERASED
        ]
        if not memberships:
            return Message("You're not in the pot. Join with `/unmentor join`.")
        person = memberships[0]
        details = [
            f"Organisation: {escape_markup(person.organisation or 'not set')}",
            f"Contact note: {escape_prose(person.contact or 'not set')}",
            f"About: {escape_prose(person.about or 'not set')}",
            "Time zone: "
            + (escape_markup(person.timezone) if person.timezone else "your programme's"),
            f"Working hours: {format_hours(person.work_start, person.work_end)}, Monday to Friday",
        ]
        blocked = [
            b
            for b in await uow.blocks.list(community_id)
            if b.kind is BlockKind.MEMBER and b.author == actor.member_id
        ]
        if blocked:
            others = [b.second if b.first == actor.member_id else b.first for b in blocked]
            details.append(f"Never paired with (private): {list_people(others)}")
        blocks = [
            await _programme_status(
                services, await load_where(uow, community_id, m.programme_id), m, actor
            )
            for m in memberships
        ]
    if len(blocks) == 1:
        # one programme reads as it always has: the status, the details, then the rounds
        return Message("\n".join([blocks[0][0], *details, *blocks[0][1:]]))
    return Message("\n".join([*details, *(line for block in blocks for line in block)]))


async def _programme_status(
    services: Services, where: Where, member: Member, actor: Actor
) -> list[str]:
    uow = services.uow
    status = f"Status: *{member.status.value}*"
    if member.paused_until:
        status += f" until {member.paused_until.isoformat()}"
    lines = [where.named(status)]
    pair = await current_rounds(uow, where.community_id, where.programme_id)
    running = pair.running
    group = running.group_of(actor.member_id) if running is not None else None
    if running is not None and group is not None and member.takes_part:
        # only those still taking part: someone who left is nobody's partner any more, and
        # someone who left mid-round and rejoined is back in the pot, not in that group
        members = {
            m.member_id: m
            for m in await uow.members.list(where.community_id, programme_id=where.programme_id)
        }
        remaining = still_in(group, members)
        partners = [m for m in remaining if m != actor.member_id]
        if actor.member_id in remaining and partners:
            lines.append(
                where.named(
                    f"Round {running.number}: you're with {list_people(partners)} until "
                    f"{format_day(running.close_at, where.programme)}."
                )
            )
    if member.status in (MemberStatus.ACTIVE, MemberStatus.PAUSED):
        lines.append(where.named(await next_round_text(services, where)))
        chose = await choice_status(services, where, actor.member_id)
        if chose is not None:
            lines.append(where.named(chose))
    return lines
