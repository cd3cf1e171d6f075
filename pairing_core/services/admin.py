"""What admins do: opt members out or in, block pairs, change settings, run or skip rounds, see figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from pairing_core import commands as c
from pairing_core.command_text import USAGE, parse_channel, parse_mention, parse_role
from pairing_core.community import WEEKDAYS, Cadence, Community, CommunitySettings
from pairing_core.errors import DomainError, InvalidSetting, UsageError
from pairing_core.member import Block, BlockKind, MemberStatus
from pairing_core.message import Message, escape_markup
from pairing_core.services.community_setup import load_community
from pairing_core.services.context import Actor, Services
from pairing_core.services.group_followups import leave_running_group
from pairing_core.services.known_members import checked_member_id, known_member
from pairing_core.services.outcome_report import stats_message
from pairing_core.services.round_calendar import reschedule_next
from pairing_core.texts import format_day, list_people, mention
from pairing_core.typed_input import ADMIN_ROLE, CHANNEL, SETTING_VALUE, TIMEZONE, checked, quoted

__all__ = [
    "admin_block",
    "admin_opt_in",
    "admin_opt_out",
    "change_settings",
    "describe_settings",
    "show_stats",
]

_YES = {
    "yes": True,
    "y": True,
    "on": True,
    "true": True,
    "no": False,
    "n": False,
    "off": False,
    "false": False,
}
_CADENCES = {
    "weekly": Cadence.WEEKLY,
    "1w": Cadence.WEEKLY,
    "fortnightly": Cadence.FORTNIGHTLY,
    "2w": Cadence.FORTNIGHTLY,
    "every-4-weeks": Cadence.FOUR_WEEKLY,
    "4w": Cadence.FOUR_WEEKLY,
    "monthly": Cadence.FOUR_WEEKLY,
}


async def admin_opt_out(
    cmd: c.AdminOptOut, actor: Actor, community_id: str, services: Services
) -> Message:
    """Take a member out of every future round until an admin opts them back in."""
    async with services.uow:
        member = await known_member(services.uow, community_id, cmd.member)
        member.status, member.paused_until = MemberStatus.OPTED_OUT, None
        await services.uow.members.save(member)
        await leave_running_group(services.uow, community_id, member.member_id)
        await services.uow.commit()
    return Message(f"{mention(cmd.member)} is opted out and won't be paired until opted back in.")


async def admin_opt_in(
    cmd: c.AdminOptIn, actor: Actor, community_id: str, services: Services
) -> Message:
    """Undo an admin opt-out; the member is active again."""
    async with services.uow:
        member = await known_member(services.uow, community_id, cmd.member)
        if member.status is not MemberStatus.OPTED_OUT:
            raise DomainError(f"{mention(cmd.member)} isn't opted out.")
        member.status = MemberStatus.ACTIVE
        await services.uow.members.save(member)
        await services.uow.commit()
    return Message(f"{mention(cmd.member)} is opted back in and will be in the next round.")


async def admin_block(
    cmd: c.AdminBlock, actor: Actor, community_id: str, services: Services
) -> Message:
    """Make sure two members are never grouped (or undo that)."""
    for member_id in (cmd.first, cmd.second):
        checked_member_id(member_id)
    if cmd.first == cmd.second:
        raise DomainError("Name two different people.")
    block = Block(community_id, cmd.first, cmd.second, BlockKind.ADMIN, actor.member_id)
    pair = f"{mention(cmd.first)} and {mention(cmd.second)}"
    async with services.uow:
        if cmd.undo:
            removed = await services.uow.blocks.remove(block)
            await services.uow.commit()
            return Message(
                f"{pair} may be paired again." if removed else f"{pair} weren't blocked by you."
            )
        for member_id in (cmd.first, cmd.second):
            await known_member(services.uow, community_id, member_id)
        added = await services.uow.blocks.add(block)
        await services.uow.commit()
    return Message(f"{pair} will never be paired." if added else f"{pair} were already blocked.")


def describe_settings(community: Community) -> str:
    s = community.settings
    channel = f"<#{s.reflections_channel}>" if s.reflections_channel else "not set"
    role = f"<@&{s.admin_role}>" if s.admin_role else "not set"
    return "\n".join(
        [
            f"*Settings for {escape_markup(community.name)}*",
            f"cadence: {s.cadence.value}",
            f"weekday: {WEEKDAYS[s.weekday]}",
            f"time: {s.local_time:%H:%M} ({escape_markup(s.timezone)})",
            f"channel (reflections): {channel}",
            f"size (people per group): {s.group_size}",
            f"cross-org (prefer mixing organisations): {'yes' if s.prefer_cross_org else 'no'}",
            f"admins: {list_people(sorted(s.admins))}",
            f"admin-role (its members are admins too): {role}",
        ]
    )


def _apply(
    settings: CommunitySettings, key: str, value: str, mention_of: Callable[[str], str | None]
) -> CommunitySettings:
    low = value.strip().lower()
    if key == "cadence":
        if low not in _CADENCES:
            raise InvalidSetting("cadence is weekly, fortnightly or every-4-weeks.")
        return settings.replace(cadence=_CADENCES[low])
    if key in ("weekday", "day"):
        matches = [i for i, day in enumerate(WEEKDAYS) if day.startswith(low[:3]) and len(low) >= 3]
        if len(matches) != 1:
            raise InvalidSetting("weekday is one of monday … sunday.")
        return settings.replace(weekday=matches[0])
    if key == "time":
        try:
            return settings.replace(local_time=time.fromisoformat(low))
        except ValueError:
            raise InvalidSetting("time is a 24-hour time like 09:30.") from None
    if key in ("timezone", "tz"):
        return settings.replace(timezone=checked(TIMEZONE, value))
    if key in ("channel", "reflections-channel"):
        channel = parse_channel(value)
        return settings.replace(reflections_channel=channel and checked(CHANNEL, channel))
    if key in ("size", "group-size"):
        if not low.isdigit():
            raise InvalidSetting("size is 2, 3 or 4.")
        return settings.replace(group_size=int(low))
    if key in ("cross-org", "cross-organisation"):
        if low not in _YES:
            raise InvalidSetting("cross-org is yes or no.")
        return settings.replace(prefer_cross_org=_YES[low])
    if key in ("add-admin", "remove-admin"):
        who = mention_of(value)
        if who is None:
            raise InvalidSetting(f"{quoted(value)} is not a person I recognise.")
        checked_member_id(who)
        if key == "remove-admin" and who not in settings.admins:
            raise InvalidSetting(f"{mention(who)} was not made an admin here with add-admin.")
        admins = settings.admins | {who} if key == "add-admin" else settings.admins - {who}
        return settings.replace(admins=frozenset(admins))
    if key == "admin-role":
        if low in ("none", "off", "clear"):
            return settings.replace(admin_role=None)
        role = parse_role(value)
        if role is None or len(role) > ADMIN_ROLE.limit:
            raise InvalidSetting(f"{quoted(value)} is not a role I recognise: give @role or none.")
        return settings.replace(admin_role=role)
    raise UsageError(f"There is no setting {quoted(key)}.", USAGE["admin settings"])


async def change_settings(
    cmd: c.ChangeSettings,
    actor: Actor,
    community_id: str,
    services: Services,
    mention_of: Callable[[str], str | None] = parse_mention,
) -> Message:
    """Change settings all at once (or none, if any value is wrong) and re-time the next round."""
    async with services.uow:
        # locked: the re-timing must not race a replica matching the same round
        await services.uow.lock_community(community_id)
        community = await load_community(services.uow, community_id)
        settings = community.settings
        for key, value in cmd.changes.items():
            settings = _apply(settings, key, checked(SETTING_VALUE, value), mention_of)
        community.settings = settings
        await services.uow.communities.save(community)
        scheduled = await reschedule_next(services.uow, community, services.clock.now())
        await services.uow.commit()
    services.timetable_changed(community_id)
    when = f"\nNext round: {format_day(scheduled.intro_at, community)}." if scheduled else ""
    return Message("Saved.\n" + describe_settings(community) + when)


async def show_settings(
    cmd: c.ShowSettings, actor: Actor, community_id: str, services: Services
) -> Message:
    """Show the community's settings and how to change them."""
    async with services.uow:
        community = await load_community(services.uow, community_id)
    usage = escape_markup(USAGE["admin settings"])
    return Message(describe_settings(community) + "\nChange with: " + usage)


async def show_stats(
    cmd: c.ShowStats, actor: Actor, community_id: str, services: Services
) -> Message:
    """Give outcome figures for the last rounds and overall, with a chart when one can be drawn."""
    return await stats_message(cmd, actor, community_id, services)
