"""What admins do: opt members out or in, block pairs, change settings, run or skip rounds, see figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from pairing_core import commands as c
from pairing_core.command_text import USAGE, parse_channel, parse_mention, parse_role
from pairing_core.community import Community, CommunitySettings
from pairing_core.errors import DomainError, InvalidSetting, UsageError
from pairing_core.member import Block, BlockKind, MemberStatus
from pairing_core.message import Message, escape_markup
from pairing_core.programme import WEEKDAYS, Cadence, ProgrammeSettings, RoundMode
from pairing_core.services.community_setup import load_community
from pairing_core.services.context import Actor, Services
from pairing_core.services.known_members import checked_member_id, known_member
from pairing_core.services.membership import depart
from pairing_core.services.outcome_report import stats_message
from pairing_core.services.round_calendar import reschedule_next
from pairing_core.services.where import Where, load_where
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
        where = await load_where(services.uow, community_id, c.chosen(cmd))
        member = await known_member(services.uow, community_id, cmd.member, where.programme_id)
        await depart(services, where, member, MemberStatus.OPTED_OUT)
        await services.uow.commit()
    return Message(
        where.named(f"{mention(cmd.member)} is opted out and won't be paired until opted back in.")
    )


async def admin_opt_in(
    cmd: c.AdminOptIn, actor: Actor, community_id: str, services: Services
) -> Message:
    """Undo an admin opt-out; the member is active again."""
    async with services.uow:
        where = await load_where(services.uow, community_id, c.chosen(cmd))
        member = await known_member(services.uow, community_id, cmd.member, where.programme_id)
        if member.status is not MemberStatus.OPTED_OUT:
            raise DomainError(where.named(f"{mention(cmd.member)} isn't opted out."))
        member.status, member.left_at = MemberStatus.ACTIVE, None
        await services.uow.members.save(member)
        await services.uow.commit()
    return Message(
        where.named(f"{mention(cmd.member)} is opted back in and will be in the next round.")
    )


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
            await known_member(services.uow, community_id, member_id, None)
        added = await services.uow.blocks.add(block)
        await services.uow.commit()
    return Message(f"{pair} will never be paired." if added else f"{pair} were already blocked.")


def describe_settings(where: Where) -> str:
    """Show the programme's settings, then what holds in every programme of the community."""
    s, shared = where.programme.settings, where.community.settings
    channel = f"<#{s.reflections_channel}>" if s.reflections_channel else "not set"
    role = f"<@&{shared.admin_role}>" if shared.admin_role else "not set"
    title = escape_markup(where.community.name)
    if where.several:
        title += f" / {escape_markup(where.programme.name)}"
    lines = [
        f"*Settings for {title}*",
        f"cadence: {s.cadence.value}",
        f"weekday: {WEEKDAYS[s.weekday]}",
        f"time: {s.local_time:%H:%M} ({escape_markup(s.timezone)})",
        f"channel (reflections): {channel}",
        f"size (people per group): {s.group_size}",
        f"cross-org (prefer mixing organisations): {'yes' if s.prefer_cross_org else 'no'}",
        "nudge (reminder to groups that haven't answered the check-in): "
        + (f"{s.nudge_days}d after it" if s.nudge_days else "off"),
        "quiet-after (pause members quiet for this many rounds): "
        + (f"{s.quiet_after} rounds" if s.quiet_after else "off"),
        "heads-up (tell members a round is coming): "
        + (f"{s.heads_up_days}d before it" if s.heads_up_days else "off"),
        "mode (who is matched): "
        + (
            "opt-in (only those who say they're in)"
            if s.mode is RoundMode.OPT_IN
            else "always (every active member)"
        ),
    ]
    if s.intros_channel:
        lines.append(f"intros-channel (Discord threads): <#{s.intros_channel}>")
    if where.several:
        lines.append(f"programme admins: {list_people(sorted(s.admins))}")
        lines.append(
            "shared-history (a meeting in any programme counts as a repeat): "
            + ("yes" if shared.shared_history else "no")
        )
    lines += [
        f"admins: {list_people(sorted(shared.admins if where.several else where.admins))}",
        f"admin-role (its members are admins too): {role}",
    ]
    return "\n".join(lines)


# Settings that hold in every programme of the community.
_COMMUNITY_KEYS = frozenset({"admin-role", "shared-history"})
_ADMIN_KEYS = frozenset({"add-admin", "remove-admin"})


def _admins(
    admins: frozenset[str], key: str, value: str, mention_of: Callable[[str], str | None]
) -> frozenset[str]:
    who = mention_of(value)
    if who is None:
        raise InvalidSetting(f"{quoted(value)} is not a person I recognise.")
    checked_member_id(who)
    if key == "remove-admin" and who not in admins:
        raise InvalidSetting(f"{mention(who)} was not made an admin here with add-admin.")
    return frozenset(admins | {who} if key == "add-admin" else admins - {who})


def _yes(key: str, low: str) -> bool:
    if low not in _YES:
        raise InvalidSetting(f"{key} is yes or no.")
    return _YES[low]


def _count(key: str, low: str, unit: str, what: str, example: str) -> int | None:
    """Read a count such as ``2d`` (``unit`` "d") or ``3``, or ``off`` (None)."""
    if low in ("off", "no", "none"):
        return None
    digits = low.removesuffix(unit) if unit else low
    if not digits.isdigit():
        raise InvalidSetting(f"{key} is a number of {what} such as {example}, or off.")
    return int(digits)


def _apply_community(
    settings: CommunitySettings, key: str, value: str, mention_of: Callable[[str], str | None]
) -> CommunitySettings:
    low = value.strip().lower()
    if key in _ADMIN_KEYS:
        return settings.replace(admins=_admins(settings.admins, key, value, mention_of))
    if key == "shared-history":
        return settings.replace(shared_history=_yes(key, low))
    if low in ("none", "off", "clear"):
        return settings.replace(admin_role=None)
    role = parse_role(value)
    if role is None or len(role) > ADMIN_ROLE.limit:
        raise InvalidSetting(f"{quoted(value)} is not a role I recognise: give @role or none.")
    return settings.replace(admin_role=role)


def _apply(
    settings: ProgrammeSettings, key: str, value: str, mention_of: Callable[[str], str | None]
) -> ProgrammeSettings:
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
    if key in ("channel", "reflections-channel", "intros-channel"):
        channel = parse_channel(value)
        channel = channel and checked(CHANNEL, channel)
        if low in ("none", "off", "clear"):
            channel = None
        if key == "intros-channel":
            return settings.replace(intros_channel=channel)
        return settings.replace(reflections_channel=channel)
    if key in ("size", "group-size"):
        if not low.isdigit():
            raise InvalidSetting("size is 2, 3 or 4.")
        return settings.replace(group_size=int(low))
    if key in ("cross-org", "cross-organisation"):
        return settings.replace(prefer_cross_org=_yes("cross-org", low))
    if key == "nudge":
        return settings.replace(nudge_days=_count(key, low, "d", "days", "2d"))
    if key == "quiet-after":
        return settings.replace(quiet_after=_count(key, low, "", "rounds", "3"))
    if key == "heads-up":
        return settings.replace(heads_up_days=_count(key, low, "d", "days", "1d"))
    if key == "mode":
        if low not in {m.value for m in RoundMode}:
            raise InvalidSetting("mode is always or opt-in.")
        return settings.replace(mode=RoundMode(low))
    if key in _ADMIN_KEYS:
        return settings.replace(admins=_admins(settings.admins, key, value, mention_of))
    raise UsageError(f"There is no setting {quoted(key)}.", USAGE["admin settings"])


def apply_programme_settings(
    settings: ProgrammeSettings,
    changes: dict[str, str],
    mention_of: Callable[[str], str | None] = parse_mention,
) -> ProgrammeSettings:
    """Apply ``admin settings`` changes that belong to a programme (all or none)."""
    for key, value in changes.items():
        if key in _COMMUNITY_KEYS:
            raise InvalidSetting(f"{key} holds in every programme: set it with `admin settings`.")
        settings = _apply(settings, key, checked(SETTING_VALUE, value), mention_of)
    return settings


def community_wide(cmd: c.ChangeSettings) -> bool:
    """True when every change holds across the community, so no programme need be chosen.

    ``add-admin`` with no programme named makes an admin of every programme, as it always did.
    """
    return (
        bool(cmd.changes)
        and cmd.programme is None
        and all(k in _COMMUNITY_KEYS | _ADMIN_KEYS for k in cmd.changes)
    )


async def change_settings(
    cmd: c.ChangeSettings,
    actor: Actor,
    community_id: str,
    services: Services,
    mention_of: Callable[[str], str | None] = parse_mention,
) -> Message:
    """Change settings all at once (or none, if any value is wrong) and re-time the next round."""
    uow = services.uow
    async with uow:
        # locked: the re-timing must not race a replica matching the same round
        await uow.lock_community(community_id)
        if cmd.programme_id is not None:
            await uow.lock_programme(community_id, cmd.programme_id)
        community = await load_community(uow, community_id)
        running = [p for p in await uow.programmes.list(community_id) if p.active]
        # with one programme, what holds everywhere is still shown with its settings, as always
        shown = cmd.programme_id or (running[0].id if len(running) == 1 else None)
        where = await load_where(uow, community_id, shown) if shown is not None else None
        shared = community.settings
        settings = where.programme.settings if where else None
        for key, value in cmd.changes.items():
            value = checked(SETTING_VALUE, value)
            if key in _COMMUNITY_KEYS or (key in _ADMIN_KEYS and cmd.programme is None):
                shared = _apply_community(shared, key, value, mention_of)
            elif settings is None:
                raise UsageError(f"There is no setting {quoted(key)}.", USAGE["admin settings"])
            else:
                settings = _apply(settings, key, value, mention_of)
        community.settings = shared
        await uow.communities.save(community)
        scheduled = None
        if where is not None and settings is not None and cmd.programme_id is not None:
            where.programme.settings = settings
            await uow.programmes.save(where.programme)
            if where.programme.active:
                scheduled = await reschedule_next(uow, where.programme, services.clock.now())
        if where is not None:  # shown as saved
            where = await load_where(uow, community_id, where.programme_id)
        await uow.commit()
    if where is None:
        return Message("Saved.\n" + describe_community(community))
    if cmd.programme_id is not None:
        services.timetable_changed(community_id, where.programme_id)
    when = f"\nNext round: {format_day(scheduled.intro_at, where.programme)}." if scheduled else ""
    return Message("Saved.\n" + describe_settings(where) + when)


def describe_community(community: Community) -> str:
    """Show what holds in every programme of the community."""
    shared = community.settings
    role = f"<@&{shared.admin_role}>" if shared.admin_role else "not set"
    return "\n".join(
        [
            f"*Settings for {escape_markup(community.name)}, in every programme*",
            f"admins: {list_people(sorted(shared.admins))}",
            f"admin-role (its members are admins too): {role}",
            "shared-history (a meeting in any programme counts as a repeat): "
            + ("yes" if shared.shared_history else "no"),
        ]
    )


async def show_settings(
    cmd: c.ShowSettings, actor: Actor, community_id: str, services: Services
) -> Message:
    """Show the programme's settings and how to change them."""
    async with services.uow:
        where = await load_where(services.uow, community_id, c.chosen(cmd))
    usage = escape_markup(USAGE["admin settings"])
    return Message(describe_settings(where) + "\nChange with: " + usage)


async def show_stats(
    cmd: c.ShowStats, actor: Actor, community_id: str, services: Services
) -> Message:
    """Give outcome figures for the last rounds and overall, with a chart when one can be drawn."""
    return await stats_message(cmd, actor, community_id, services)
