"""What members do for themselves: join, leave, pause, resume, contact note, never-pair list, status."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from pairing_core import commands as c
from pairing_core.errors import DomainError, NotAMember
from pairing_core.member import Block, BlockKind, Member, MemberStatus
from pairing_core.message import Message, escape_markup, escape_prose
from pairing_core.services.context import Actor, Services
from pairing_core.services.group_followups import leave_running_group
from pairing_core.services.known_members import checked_member_id, known_member
from pairing_core.services.round_calendar import current_rounds
from pairing_core.services.where import Where, load_where
from pairing_core.texts import format_day, mention
from pairing_core.typed_input import CONTACT, ORGANISATION, checked, display_name

__all__ = [
    "join_pool",
    "leave_pool",
    "member_of",
    "never_pair",
    "pause_membership",
    "resume_membership",
    "next_round_text",
    "person_of",
    "set_contact",
]


async def next_round_text(services: Services, where: Where) -> str:
    """Say when the programme's next round starts (inside an open unit of work)."""
    programme = where.programme
    if not programme.active:
        return "This programme is archived: it runs no more rounds."
    pair = await current_rounds(services.uow, programme.community_id, programme.id)
    if pair.scheduled is None:
        return "The next round will be announced soon."
    return f"The next round starts {format_day(pair.scheduled.intro_at, programme)}."


def _join_word(where: Where) -> str:
    return f"`/unmentor join {where.programme.name}`" if where.several else "`/unmentor join`"


async def member_of(services: Services, where: Where, actor: Actor) -> Member:
    """Return the actor's membership of the programme, refusing one who left or never joined."""
    member = await services.uow.members.get(
        where.community_id, actor.member_id, programme_id=where.programme_id
    )
    if member is not None and member.status is MemberStatus.LEFT:
        raise NotAMember(
            where.named(f"You've left UnMentoring — join again with {_join_word(where)}.")
        )
    if member is None:
        raise NotAMember(where.named(f"You're not in the pot yet — join with {_join_word(where)}."))
    return member


async def person_of(services: Services, community_id: str, actor: Actor) -> Member:
    """Return one membership of the actor that still takes part (for what is the person's)."""
    memberships = await services.uow.members.memberships(community_id, actor.member_id)
    for member in memberships:
        if member.status not in (MemberStatus.LEFT, MemberStatus.ERASED):
            return member
    if memberships:
        raise NotAMember("You've left UnMentoring — join again with `/unmentor join`.")
    raise NotAMember("You're not in the pot yet — join with `/unmentor join`.")


async def join_pool(
    cmd: c.JoinPool, actor: Actor, community_id: str, services: Services
) -> Message:
    """Put the member in the programme's pot (again), optionally recording their organisation."""
    cmd = replace(cmd, organisation=checked(ORGANISATION, cmd.organisation or "") or None)
    name = display_name(actor.display_name, actor.member_id)
    uow = services.uow
    async with uow:
        where = await load_where(uow, community_id, c.chosen(cmd))
        if not where.programme.active:
            raise DomainError(
                f"The programme {where.programme.name} is archived: it takes no new members."
            )
        member = await uow.members.get(
            community_id, actor.member_id, programme_id=where.programme_id
        )
        if member is not None and member.status is MemberStatus.OPTED_OUT:
            raise DomainError(
                where.named(
                    "An admin has taken you out of UnMentoring; ask them to opt you back in."
                )
            )
        if member is not None and member.status is MemberStatus.ACTIVE:
            if cmd.organisation and cmd.organisation != member.organisation:
                member.organisation = cmd.organisation
                await uow.members.save(member)
                await uow.commit()
                return Message(
                    where.named(
                        "You're already in the pot; organisation set to "
                        f"{escape_markup(cmd.organisation)}."
                    )
                )
            return Message(
                where.named(f"You're already in the pot. {await next_round_text(services, where)}")
            )
        if member is None:
            person = next(iter(await uow.members.memberships(community_id, actor.member_id)), None)
            member = Member(
                community_id=community_id,
                member_id=actor.member_id,
                display_name=name,
                joined_at=services.clock.now(),
                organisation=cmd.organisation or (person.organisation if person else None),
                contact=person.contact if person else None,
                programme_id=where.programme_id,
            )
            if person is not None:
                member.take_profile_of(person)
            else:
                member.adopt_timezone(actor.timezone, services.clock.now())
            if not await uow.members.add(member):
                # the same person's other request (a double press) stored them a moment ago
                return Message(
                    where.named(
                        f"You're already in the pot. {await next_round_text(services, where)}"
                    )
                )
            if person is not None:
                await uow.members.save(member)  # the person's name and organisation, as now
        else:
            member.status, member.paused_until, member.left_at = MemberStatus.ACTIVE, None, None
            member.display_name = name
            member.adopt_timezone(actor.timezone, services.clock.now())
            if cmd.organisation:
                member.organisation = cmd.organisation
            await uow.members.save(member)
        next_round = await next_round_text(services, where)
        size = where.programme.settings.group_size
        await uow.commit()
    org = f" (organisation: {escape_markup(member.organisation)})" if member.organisation else ""
    pot = f"the {where.programme.name} pot" if where.several else "the pot"
    return Message(
        f"You're in {pot}{org}! {next_round} You'll get a group message introducing you to "
        f"{_OTHERS.get(size, 'others')} at random. Set how people can reach you with "
        "`/unmentor contact`."
    )


# who a member is introduced to, by the programme's group size
_OTHERS = {2: "someone", 3: "two people", 4: "three people"}


async def leave_pool(
    cmd: c.LeavePool, actor: Actor, community_id: str, services: Services
) -> Message:
    """Take the member out of the programme: no future rounds, no more messages this round."""
    async with services.uow:
        where = await load_where(services.uow, community_id, c.chosen(cmd))
        stored = await services.uow.members.get(
            community_id, actor.member_id, programme_id=where.programme_id
        )
        if stored is not None and stored.status is MemberStatus.LEFT:
            return Message(
                where.named(
                    f"You've already left UnMentoring; {_join_word(where)} any time to come back."
                )
            )
        if stored is None:
            return Message(where.named("You're not in the pot, so there is nothing to leave."))
        member = await member_of(services, where, actor)
        if member.status is MemberStatus.OPTED_OUT:
            return Message(where.named("An admin has already taken you out of UnMentoring."))
        await depart(services, where, member)
        await services.uow.commit()
    return Message(
        where.named(
            f"You've left UnMentoring. Thank you for taking part — {_join_word(where)} any time."
        )
    )


async def depart(
    services: Services, where: Where, member: Member, status: MemberStatus = MemberStatus.LEFT
) -> None:
    """Mark the membership left (or opted out) and take it out of the running round's group."""
    member.status, member.left_at, member.paused_until = status, services.clock.now(), None
    await services.uow.members.save(member)
    await leave_running_group(
        services.uow, where.community_id, where.programme_id, member.member_id
    )


async def pause_membership(
    cmd: c.PauseMembership, actor: Actor, community_id: str, services: Services
) -> Message:
    """Skip rounds until a date; the member is back in the pot for the first round on or after it."""
    async with services.uow:
        where = await load_where(services.uow, community_id, c.chosen(cmd))
        member = await member_of(services, where, actor)
        if member.status is MemberStatus.OPTED_OUT:
            raise DomainError(
                where.named("An admin has taken you out of UnMentoring; there is nothing to pause.")
            )
        today = services.clock.now().astimezone(where.programme.settings.zone).date()
        until = cmd.until or today + timedelta(days=cmd.days or 14)
        if until <= today:
            raise DomainError(f"{until.isoformat()} is not in the future.")
        if until > today + timedelta(days=366):
            raise DomainError("A pause lasts at most a year; use `/unmentor leave` instead.")
        member.status, member.paused_until = MemberStatus.PAUSED, until
        await services.uow.members.save(member)
        await services.uow.commit()
    return Message(
        where.named(
            f"Paused until {until:%A} {until.day} {until:%B %Y}. You'll be back in the pot for "
            "the first round after that; `/unmentor resume` brings you back sooner."
        )
    )


async def resume_membership(
    cmd: c.ResumeMembership, actor: Actor, community_id: str, services: Services
) -> Message:
    """End a pause early."""
    async with services.uow:
        where = await load_where(services.uow, community_id, c.chosen(cmd))
        member = await member_of(services, where, actor)
        if member.status is not MemberStatus.PAUSED:
            return Message(
                where.named("You're not paused. " + await next_round_text(services, where))
            )
        member.status, member.paused_until = MemberStatus.ACTIVE, None
        await services.uow.members.save(member)
        text = "Welcome back! " + await next_round_text(services, where)
        await services.uow.commit()
    return Message(where.named(text))


async def set_contact(
    cmd: c.SetContact, actor: Actor, community_id: str, services: Services
) -> Message:
    """Store (or clear) the note that tells partners how to reach the member."""
    if cmd.contact is not None:
        cmd = replace(cmd, contact=checked(CONTACT, cmd.contact))
        if not cmd.contact:
            raise DomainError("Tell me how people can reach you, or clear your note.")
    async with services.uow:
        member = await person_of(services, community_id, actor)
        member.contact = cmd.contact
        await services.uow.members.save(member)
        await services.uow.commit()
    if cmd.contact is None:
        return Message("Your contact note is cleared.")
    return Message(f"Your intros will say how to reach you: {escape_prose(cmd.contact)}")


async def never_pair(
    cmd: c.NeverPair, actor: Actor, community_id: str, services: Services
) -> Message:
    """Add (or remove) someone on the member's private never-pair list."""
    checked_member_id(cmd.other)
    if cmd.other == actor.member_id:
        raise DomainError("You'll never be paired with yourself.")
    block = Block(community_id, actor.member_id, cmd.other, BlockKind.MEMBER, actor.member_id)
    async with services.uow:
        await person_of(services, community_id, actor)
        if not cmd.undo:
            await known_member(services.uow, community_id, cmd.other, None)
        if cmd.undo:
            removed = await services.uow.blocks.remove(block)
            await services.uow.commit()
            if not removed:
                return Message(f"{mention(cmd.other)} wasn't on your never-pair list.")
            return Message(f"{mention(cmd.other)} is off your never-pair list.")
        await services.uow.blocks.add(block)
        await services.uow.commit()
    return Message(
        f"Noted, privately: you'll never be paired with {mention(cmd.other)}. Nobody else can see this."
    )
