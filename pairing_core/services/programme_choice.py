"""Which programme a command is about: the one named, the only one, or a question with buttons.

A community with one programme never needs a name. With several and none named, the reply lists
them (as buttons where the platform has them) rather than guessing; each button runs the same
command again with the programme's name.
"""

from __future__ import annotations

from dataclasses import replace

from pairing_core import commands as c
from pairing_core.button_values import CHOOSE_PROGRAMME_ACTION
from pairing_core.errors import DomainError
from pairing_core.message import Action, Message, escape_markup
from pairing_core.programme import Programme
from pairing_core.services.admin import community_wide
from pairing_core.services.context import Actor, Services
from pairing_core.services.programmes import named_programme

__all__ = ["CHOOSE_PROGRAMME_ACTION", "ChooseProgramme", "with_programme"]


class ChooseProgramme(DomainError):
    """Several programmes could be meant; ``reply`` asks which, with a button for each."""

    def __init__(self, reply: Message) -> None:
        super().__init__(reply.text)
        self.reply = reply


def _as_text(cmd: c.ProgrammeCommand, name: str) -> str:
    """Return the command as typed with ``name`` as its programme (a button's value)."""
    if isinstance(cmd, c.JoinPool):
        return f"join {name}" + (f" {cmd.organisation}" if cmd.organisation else "")
    if isinstance(cmd, c.LeavePool):
        return f"leave {name}"
    if isinstance(cmd, c.ResumeMembership):
        return f"resume {name}"
    if isinstance(cmd, c.SkipComingRound | c.JoinComingRound):
        word = "skip" if isinstance(cmd, c.SkipComingRound) else "in"
        return f"{word} {name}" + (f" --round {cmd.round_number}" if cmd.round_number else "")
    if isinstance(cmd, c.PauseMembership):
        length = f"until {cmd.until.isoformat()}" if cmd.until else f"{cmd.days or 14}d"
        return f"pause {name} {length}"
    words = {
        c.AdminOptOut: "admin optout",
        c.AdminOptIn: "admin optin",
        c.ShowSettings: "admin settings",
        c.RunRoundNow: "admin round now",
        c.SkipRound: "admin round skip",
        c.ShowStats: "admin stats",
    }
    text = words.get(type(cmd), "")
    if isinstance(cmd, c.AdminOptOut | c.AdminOptIn):
        text += f" <@{cmd.member}>"
    return f"{text} --programme {name}" if text else ""


def _choose(cmd: c.ProgrammeCommand, programmes: list[Programme]) -> ChooseProgramme:
    names = [p.name for p in programmes]
    actions = tuple(
        Action(CHOOSE_PROGRAMME_ACTION, name, _as_text(cmd, name))
        for name in names
        if _as_text(cmd, name)
    )
    return ChooseProgramme(
        Message(
            "Which programme? There are several here: "
            + ", ".join(f"*{escape_markup(n)}*" for n in names)
            + ". Name one, for example `/unmentor "
            + escape_markup(_as_text(cmd, names[0]) or "join " + names[0])
            + "`.",
            actions,
        )
    )


async def _first_word_names_one(
    services: Services, community_id: str, cmd: c.JoinPool
) -> c.JoinPool | None:
    """``join data Devon CC``: a first word naming a programme is the programme, not the org."""
    if cmd.programme is not None or not cmd.organisation:
        return None
    first, _, rest = cmd.organisation.partition(" ")
    found = await services.uow.programmes.named(community_id, first)
    if found is None:
        return None
    return replace(cmd, organisation=rest.strip() or None, programme_id=found.id)


async def with_programme(
    cmd: c.Command, actor: Actor, community_id: str, services: Services
) -> c.Command:
    """Return ``cmd`` with its programme resolved, or raise why it cannot be (a reply)."""
    if not isinstance(cmd, c.PROGRAMME_COMMANDS):
        return cmd
    if isinstance(cmd, c.ChangeSettings) and community_wide(cmd):
        return cmd
    uow = services.uow
    async with uow:
        if cmd.programme_id is not None:
            if await uow.programmes.get(community_id, cmd.programme_id) is None:
                raise DomainError("That programme no longer exists here.")
            return cmd
        if cmd.programme is not None:
            found = await named_programme(uow, community_id, cmd.programme)
            return replace(cmd, programme_id=found.id)
        if isinstance(cmd, c.RecordCheckIn | c.SubmitReflection):
            return cmd  # their use cases find the member's group in any programme
        if isinstance(cmd, c.JoinPool):
            named = await _first_word_names_one(services, community_id, cmd)
            if named is not None:
                return named
        programmes = await uow.programmes.list(community_id)
        running = [p for p in programmes if p.active]
        candidates = running
        if isinstance(
            cmd,
            c.LeavePool
            | c.PauseMembership
            | c.ResumeMembership
            | c.SkipComingRound
            | c.JoinComingRound,
        ):
            theirs = {
                m.programme_id
                for m in await uow.members.memberships(community_id, actor.member_id)
                if m.takes_part
            }
            candidates = [p for p in programmes if p.id in theirs] or running
        elif not isinstance(cmd, c.JoinPool) and len(running) != 1:
            candidates = running or programmes
    if len(candidates) == 1:
        return replace(cmd, programme_id=candidates[0].id)
    raise _choose(cmd, candidates or programmes)
