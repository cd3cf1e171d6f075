"""One entry point for every adapter: text or a parsed command in, a reply out.

Adapters (Slack, Discord, the console playground) call ``handle_text`` for ``/unmentor ...`` and
``handle`` for commands they built themselves (e.g. from a button press).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from pairing_core import commands as c
from pairing_core.command_text import USAGE, MentionParser, parse_command, parse_mention
from pairing_core.errors import DomainError, NotAdmin, StorageConflict, UsageError
from pairing_core.message import Message, escape_markup
from pairing_core.services import (
    admin,
    answers,
    booking,
    data_rights,
    member_profile,
    member_status,
    membership,
    programmes,
    round_choices,
)
from pairing_core.services.community_setup import load_community
from pairing_core.services.context import Actor, Services
from pairing_core.services.programme_choice import ChooseProgramme, with_programme
from pairing_core.services.round_calendar import run_round_now, skip_round
from pairing_core.services.where import load_where
from pairing_core.texts import count, format_day

__all__ = ["NOT_ADMIN", "handle", "handle_text", "help_text", "topic_help"]

log = logging.getLogger(__name__)

# the reply to an admin command from someone who is not an admin (adapters may add how to become one)
NOT_ADMIN = "Sorry, only this community's admins can do that."

Handler = Callable[[Any, Actor, str, Services], Awaitable[Message]]


def help_text(is_admin: bool) -> str:
    """List the commands a person can use."""
    member_keys = [k for k in USAGE if not k.startswith("admin")]
    lines = ["*UnMentoring* — random conversations across the network. Commands:"]
    lines += [f"• `/unmentor {escape_markup(USAGE[k])}`" for k in member_keys]
    if is_admin:
        lines.append("Admin commands:")
        lines += [
            f"• `/unmentor {escape_markup(v)}`" for k, v in USAGE.items() if k.startswith("admin")
        ]
    return "\n".join(lines)


def topic_help(topic: str) -> str:
    """Show how to use one command (``admin``: every admin command)."""
    keys = [k for k in USAGE if k == topic or (topic == "admin" and k.startswith("admin "))]
    return "Usage:\n" + "\n".join(f"• `/unmentor {escape_markup(USAGE[k])}`" for k in keys)


async def _round_now(
    cmd: c.RunRoundNow, actor: Actor, community_id: str, services: Services
) -> Message:
    programme_id = c.chosen(cmd)
    async with services.uow:
        where = await load_where(services.uow, community_id, programme_id)
    if not where.programme.active:
        raise DomainError(f"The programme {where.programme.name} is archived: it runs no rounds.")
    round_ = await run_round_now(services, community_id, programme_id)
    people = sum(len(g.members) for g in round_.groups)
    return Message(
        where.named(
            f"Round {round_.number} has started: {count(len(round_.groups), 'group')}, "
            f"{count(people, 'person', 'people')}, {len(round_.sat_out)} sitting out. "
            f"It ends {format_day(round_.close_at, where.programme)}."
        )
    )


async def _skip(cmd: c.SkipRound, actor: Actor, community_id: str, services: Services) -> Message:
    programme_id = c.chosen(cmd)
    async with services.uow:
        where = await load_where(services.uow, community_id, programme_id)
    if not where.programme.active:
        raise DomainError(f"The programme {where.programme.name} is archived: it runs no rounds.")
    skipped, following = await skip_round(services, community_id, programme_id)
    return Message(
        where.named(
            f"Round {skipped.number} is skipped. The next round starts "
            f"{format_day(following.intro_at, where.programme)}."
        )
    )


_HANDLERS: dict[type, Handler] = {
    c.JoinPool: membership.join_pool,
    c.LeavePool: membership.leave_pool,
    c.PauseMembership: membership.pause_membership,
    c.ResumeMembership: membership.resume_membership,
    c.SkipComingRound: round_choices.skip_coming_round,
    c.JoinComingRound: round_choices.join_coming_round,
    c.ShowStatus: member_status.show_status,
    c.NeverPair: membership.never_pair,
    c.SetContact: membership.set_contact,
    c.SetAbout: member_profile.set_about,
    c.SetTimezone: member_profile.set_timezone,
    c.SetWorkingHours: member_profile.set_working_hours,
    c.SubmitReflection: answers.submit_reflection,
    c.BookSlot: booking.book_slot,
    c.ShowPrivacy: data_rights.show_privacy,
    c.ExportMyData: data_rights.export_my_data,
    c.ForgetMe: data_rights.forget_me,
    c.AdminOptOut: admin.admin_opt_out,
    c.AdminOptIn: admin.admin_opt_in,
    c.AdminBlock: admin.admin_block,
    c.ShowSettings: admin.show_settings,
    c.ChangeSettings: admin.change_settings,
    c.RunRoundNow: _round_now,
    c.SkipRound: _skip,
    c.ShowStats: admin.show_stats,
    c.ShowProgrammes: programmes.show_programmes,
    c.CreateProgramme: programmes.create_programme,
    c.RenameProgramme: programmes.rename_programme,
    c.ArchiveProgramme: programmes.archive_programme,
    c.BindProgramme: programmes.bind_programme,
}


def _usage_reply(error: UsageError) -> Message:
    if not error.usage:
        return Message(str(error))
    lines = escape_markup(error.usage).splitlines()
    if len(lines) == 1:
        return Message(f"{error}\nUsage: `/unmentor {lines[0]}`")
    return Message(f"{error}\nUsage:\n" + "\n".join(f"• `/unmentor {u}`" for u in lines))


async def _is_admin(
    actor: Actor, community_id: str, services: Services, programme_id: str | None = None
) -> bool:
    """Say whether the actor is an admin of the community, or of ``programme_id`` when given."""
    if actor.platform_admin:
        return True
    async with services.uow:
        community = await load_community(services.uow, community_id)
        if programme_id is None:
            return community.is_admin(actor.member_id, actor.roles)
        where = await load_where(services.uow, community_id, programme_id)
    return where.is_admin(actor.member_id, actor.roles)


async def _may(command: c.Command, actor: Actor, community_id: str, services: Services) -> bool:
    """Say whether the actor may run an admin command: a programme's admins may run its own."""
    if isinstance(command, c.COMMUNITY_ADMIN_COMMANDS):
        return await _is_admin(actor, community_id, services)
    programme_id = getattr(command, "programme_id", None)
    return await _is_admin(actor, community_id, services, programme_id)


async def handle(
    command: c.Command, actor: Actor, community_id: str, services: Services
) -> Message:
    """Run a command for ``actor``; domain refusals come back as a polite reply, never raised.

    A command that clashed in storage with one made at the same moment (the same person pressing
    twice) runs once more, and then sees the other's change; it always gets an answer.
    """
    try:
        return await _handle(command, actor, community_id, services)
    except StorageConflict:
        log.info("storage conflict; running %s again", type(command).__name__)
    try:
        return await _handle(command, actor, community_id, services)
    except StorageConflict:
        log.warning("storage conflict twice; %s not done", type(command).__name__)
        return Message(_CLASHED)


# the reply when a command clashed twice with others made at the same moment
_CLASHED = "That clashed with another change made at the same moment, so nothing was done. Please try again."


async def _handle(
    command: c.Command, actor: Actor, community_id: str, services: Services
) -> Message:
    try:
        # the platform's zone for someone who has none yet (Slack's profile); theirs wins
        await member_profile.adopt_platform_timezone(services, community_id, actor)
        if isinstance(command, c.ADMIN_COMMANDS) and not await _is_admin(
            actor, community_id, services
        ):
            # a programme's own admins may run its commands: resolve which programme first
            command = await with_programme(command, actor, community_id, services)
            if not await _may(command, actor, community_id, services):
                raise NotAdmin(NOT_ADMIN)
        command = await with_programme(command, actor, community_id, services)
        if isinstance(command, c.ShowHelp) and command.topic:
            return Message(topic_help(command.topic))
        if isinstance(command, c.ShowHelp):
            return Message(help_text(await _is_admin(actor, community_id, services)))
        if isinstance(command, c.RecordCheckIn):
            return (await answers.record_checkin(command, actor, community_id, services)).reply
        return await _HANDLERS[type(command)](command, actor, community_id, services)
    except UsageError as error:
        return _usage_reply(error)
    except ChooseProgramme as question:
        return question.reply
    except DomainError as error:
        return Message(str(error))


async def handle_text(
    text: str,
    actor: Actor,
    community_id: str,
    services: Services,
    mention: MentionParser = parse_mention,
) -> Message:
    """Parse the words after ``/unmentor`` and run them."""
    try:
        command = parse_command(text, mention)
    except UsageError as error:
        return _usage_reply(error)
    return await handle(command, actor, community_id, services)
