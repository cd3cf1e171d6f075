"""What a person says about themselves for intros: an about line, a time zone, working hours."""

from __future__ import annotations

from pairing_core import commands as c
from pairing_core.errors import DomainError
from pairing_core.member import MemberStatus
from pairing_core.message import Message, escape_markup, escape_prose
from pairing_core.services.context import Actor, Services
from pairing_core.services.membership import person_of
from pairing_core.typed_input import ABOUT, checked
from pairing_core.working_hours import checked_hours, checked_timezone, format_hours

__all__ = [
    "adopt_platform_timezone",
    "set_about",
    "set_timezone",
    "set_working_hours",
]


async def adopt_platform_timezone(services: Services, community_id: str, actor: Actor) -> None:
    """Store the platform's zone on first contact and at most daily after, unless the person
    set theirs by command."""
    if not actor.timezone:
        return
    async with services.uow:
        memberships = await services.uow.members.memberships(community_id, actor.member_id)
        person = next((m for m in memberships if m.status is not MemberStatus.ERASED), None)
        if person is None or not person.adopt_timezone(actor.timezone, services.clock.now()):
            return
        await services.uow.members.save(person)
        await services.uow.commit()


async def set_about(
    cmd: c.SetAbout, actor: Actor, community_id: str, services: Services
) -> Message:
    """Store (or clear) the one line intros show about the member."""
    about = None if cmd.about is None else checked(ABOUT, cmd.about)
    if about == "":
        raise DomainError(
            "Write a line about yourself, or clear it with `/unmentor about --clear`."
        )
    async with services.uow:
        member = await person_of(services, community_id, actor)
        member.about = about
        await services.uow.members.save(member)
        await services.uow.commit()
    if about is None:
        return Message("Your about line is cleared.")
    return Message(f"Your intros will say about you: {escape_prose(about)}")


async def set_timezone(
    cmd: c.SetTimezone, actor: Actor, community_id: str, services: Services
) -> Message:
    """Store (or clear) the member's time zone, refusing a name that is not an IANA zone."""
    zone = None if cmd.timezone is None else checked_timezone(cmd.timezone)
    async with services.uow:
        member = await person_of(services, community_id, actor)
        member.set_timezone_by_command(zone)
        await services.uow.members.save(member)
        await services.uow.commit()
    if zone is None:
        return Message("Your time zone is cleared: your programme's time zone is used.")
    return Message(f"Your time zone is {escape_markup(zone)}.")


async def set_working_hours(
    cmd: c.SetWorkingHours, actor: Actor, community_id: str, services: Services
) -> Message:
    """Store the member's working hours (local times, Monday to Friday)."""
    start, end = checked_hours(cmd.start, cmd.end)
    async with services.uow:
        member = await person_of(services, community_id, actor)
        member.work_start, member.work_end = start, end
        await services.uow.members.save(member)
        await services.uow.commit()
    return Message(f"Your working hours are {format_hours(start, end)}, Monday to Friday.")
