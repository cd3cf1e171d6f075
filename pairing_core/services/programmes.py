"""The community's programmes: list them, create, rename, archive, bind to a channel or role."""

from __future__ import annotations

from pairing_core import commands as c
from pairing_core.errors import DomainError, UnknownProgramme
from pairing_core.member import MemberStatus
from pairing_core.message import Message, escape_markup
from pairing_core.ports import UnitOfWork
from pairing_core.programme import (
    MAX_PROGRAMMES,
    Programme,
    ProgrammeSettings,
    checked_programme_name,
)
from pairing_core.round import RoundState
from pairing_core.schedule import next_slot
from pairing_core.services.admin import apply_programme_settings
from pairing_core.services.community_setup import load_community, schedule_round
from pairing_core.services.context import Actor, Services
from pairing_core.services.round_calendar import current_rounds
from pairing_core.texts import count, format_day

__all__ = [
    "archive_programme",
    "bind_programme",
    "create_programme",
    "named_programme",
    "rename_programme",
    "show_programmes",
]


async def named_programme(uow: UnitOfWork, community_id: str, name: str) -> Programme:
    """Return the programme called ``name`` (any case), or refuse listing the ones there are."""
    found = await uow.programmes.named(community_id, name)
    if found is not None:
        return found
    names = ", ".join(p.name for p in await uow.programmes.list(community_id))
    raise UnknownProgramme(
        f"There is no programme called {escape_markup(name[:40])} here. Programmes: {names}."
    )


def _rhythm(programme: Programme) -> str:
    s = programme.settings
    return f"{s.cadence.value}, groups of {s.group_size}"


async def show_programmes(
    cmd: c.ShowProgrammes, actor: Actor, community_id: str, services: Services
) -> Message:
    """List the community's programmes: rhythm, size and next round, marking the member's."""
    uow = services.uow
    async with uow:
        programmes = await uow.programmes.list(community_id)
        mine = {
            m.programme_id
            for m in await uow.members.memberships(community_id, actor.member_id)
            if m.takes_part
        }
        lines = ["*Programmes here* (✓ = you're in it):"]
        for programme in programmes:
            people = len(
                await uow.members.list(
                    community_id,
                    [MemberStatus.ACTIVE, MemberStatus.PAUSED],
                    programme_id=programme.id,
                )
            )
            mark = "✓ " if programme.id in mine else ""
            line = (
                f"• {mark}*{escape_markup(programme.name)}*: {_rhythm(programme)}, "
                f"{count(people, 'member')}"
            )
            if not programme.active:
                line += ", archived"
            else:
                pair = await current_rounds(uow, community_id, programme.id)
                if pair.scheduled is not None:
                    line += f", next round {format_day(pair.scheduled.intro_at, programme)}"
            lines.append(line)
    lines.append("Join one with `/unmentor join <programme>`.")
    return Message("\n".join(lines))


async def create_programme(
    cmd: c.CreateProgramme, actor: Actor, community_id: str, services: Services
) -> Message:
    """Create a programme with its first round scheduled; settings as ``admin settings`` takes."""
    name = checked_programme_name(cmd.name)
    uow, now = services.uow, services.clock.now()
    settings = apply_programme_settings(ProgrammeSettings(), cmd.changes)
    async with uow:
        await uow.lock_community(community_id)
        await load_community(uow, community_id)
        if await uow.programmes.named(community_id, name) is not None:
            raise DomainError(f"There is already a programme called {name}.")
        if await uow.programmes.count(community_id) >= MAX_PROGRAMMES:
            raise DomainError(
                f"A community can have at most {MAX_PROGRAMMES} programmes (archived ones count)."
            )
        programme = Programme(
            community_id, await _free_id(uow, community_id, name), name, now, settings
        )
        if not await uow.programmes.add(programme):
            raise DomainError(f"There is already a programme called {name}.")
        first = schedule_round(programme, 1, next_slot(settings, now))
        await uow.rounds.add(first)
        await uow.commit()
    services.timetable_changed(community_id, programme.id)
    return Message(
        f"Programme *{escape_markup(name)}* is created ({_rhythm(programme)}); its first round "
        f"starts {format_day(first.intro_at, programme)}. Members join with "
        f"`/unmentor join {escape_markup(name)}`."
    )


async def _free_id(uow: UnitOfWork, community_id: str, name: str) -> str:
    """Return a stable id for a new programme: its name, made unique if a renamed one took it."""
    base = name.lower()
    candidate, n = base, 1
    while await uow.programmes.get(community_id, candidate) is not None:
        n += 1
        candidate = f"{base[:36]}-{n}"
    return candidate


async def rename_programme(
    cmd: c.RenameProgramme, actor: Actor, community_id: str, services: Services
) -> Message:
    """Rename a programme; its history, keys and members stay (they hold its id)."""
    new = checked_programme_name(cmd.new)
    uow = services.uow
    async with uow:
        await uow.lock_community(community_id)
        programme = await named_programme(uow, community_id, cmd.old)
        clash = await uow.programmes.named(community_id, new)
        if clash is not None and clash.id != programme.id:
            raise DomainError(f"There is already a programme called {new}.")
        old, programme.name = programme.name, new
        await uow.programmes.save(programme)
        await uow.commit()
    return Message(f"Programme {escape_markup(old)} is now called *{escape_markup(new)}*.")


async def archive_programme(
    cmd: c.ArchiveProgramme, actor: Actor, community_id: str, services: Services
) -> Message:
    """Stop a programme's rounds for good, keeping its history and figures."""
    uow = services.uow
    async with uow:
        await uow.lock_community(community_id)
        programme = await named_programme(uow, community_id, cmd.name)
        if not programme.active:
            raise DomainError(f"The programme {escape_markup(programme.name)} is already archived.")
        others = [
            p for p in await uow.programmes.list(community_id) if p.active and p.id != programme.id
        ]
        if not others:
            raise DomainError(
                f"{escape_markup(programme.name)} is the only programme still running: create "
                "another before archiving it."
            )
        await uow.lock_programme(community_id, programme.id)
        pair = await current_rounds(uow, community_id, programme.id)
        if pair.scheduled is not None and pair.running is None:
            # the round not yet matched never runs; a running one finishes first (the round
            # steps then skip the one laid out after it)
            pair.scheduled.state = RoundState.SKIPPED
            await uow.rounds.save(pair.scheduled)
        programme.archived_at = services.clock.now()
        await uow.programmes.save(programme)
        await uow.commit()
    services.timetable_changed(community_id, programme.id)
    return Message(
        f"Programme {escape_markup(programme.name)} is archived: no more rounds. Its history and "
        "figures are kept (`/unmentor admin stats --programme "
        f"{escape_markup(programme.name)}`)."
    )


async def bind_programme(
    cmd: c.BindProgramme, actor: Actor, community_id: str, services: Services
) -> Message:
    """Bind membership to a Slack channel or Discord role (or unbind, with no target)."""
    uow = services.uow
    async with uow:
        await uow.lock_community(community_id)
        community = await load_community(uow, community_id)
        programme = await named_programme(uow, community_id, cmd.name)
        if community.platform == "discord":
            programme.role, what = cmd.target, f"<@&{cmd.target}>"
        else:
            programme.channel, what = cmd.target, f"<#{cmd.target}>"
        await uow.programmes.save(programme)
        await uow.commit()
    name = escape_markup(programme.name)
    if cmd.target is None:
        return Message(f"Programme {name} is no longer bound; members join and leave by command.")
    how = (
        "gaining or losing the role"
        if community.platform == "discord"
        else "joining or leaving the channel"
    )
    return Message(
        f"Programme {name} is bound to {what}: {how} opts people in or out. The commands still work."
    )
