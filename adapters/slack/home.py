"""The App Home tab: where a member stands in each programme, who they are talking to, and buttons.

A community with one programme shows it as it always has (no programme named, the
``HOME_ACTIONS`` buttons). With several, each programme the member is in gets its own section
and buttons, and the others a Join button each; those buttons are ``CHOOSE_PROGRAMME_ACTION``
ones, whose value is the command to run as typed (``leave data``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pairing_core.member import Member, MemberStatus
from pairing_core.ports import UnitOfWork
from pairing_core.programme import Programme
from pairing_core.round import Round
from pairing_core.services.context import Services
from pairing_core.services.group_followups import still_in
from pairing_core.services.programme_choice import CHOOSE_PROGRAMME_ACTION
from pairing_core.services.round_calendar import current_rounds
from pairing_core.texts import format_day, list_people

__all__ = ["HOME_ACTIONS", "HomeFacts", "ProgrammeFacts", "home_facts", "home_view"]

# Button action id -> the `/unmentor` words it stands for (a community with one programme).
HOME_ACTIONS = {
    "unmentor_home_join": "join",
    "unmentor_home_pause": "pause 2w",
    "unmentor_home_resume": "resume",
    "unmentor_home_leave": "leave",
}
_PAST_PARTNERS_SHOWN = 10
# Slack shows at most 100 blocks in a view and 25 buttons in an actions block: the member's own
# programmes each take two, those to join share one.
_OWN_PROGRAMMES_SHOWN = 40
_JOINABLE_SHOWN = 25
_TAKING_PART = (MemberStatus.ACTIVE, MemberStatus.PAUSED, MemberStatus.OPTED_OUT)


@dataclass(frozen=True)
class ProgrammeFacts:
    """Where the member stands in one programme."""

    name: str
    status: MemberStatus | None  # None: never joined it
    paused_until: str | None
    next_round: str | None
    current_round: int | None
    current_partners: tuple[str, ...]
    active: bool = True  # False: archived, it runs no more rounds

    @property
    def member(self) -> bool:
        """True while the member is in the programme (an admin's opt-out included)."""
        return self.status in _TAKING_PART


@dataclass(frozen=True)
class HomeFacts:
    """``programmes``: the only one, or (with several) the member's then those they could join."""

    programmes: tuple[ProgrammeFacts, ...]
    several: bool
    past_partners: tuple[str, ...]  # most recent first, from every programme

    @property
    def current_partners(self) -> tuple[str, ...]:
        """Everyone the member is talking to in a running round, in any programme."""
        return tuple(dict.fromkeys(m for p in self.programmes for m in p.current_partners))


async def _programme_facts(
    uow: UnitOfWork, programme: Programme, member: Member | None, member_id: str
) -> tuple[ProgrammeFacts, Round | None]:
    pair = await current_rounds(uow, programme.community_id, programme.id)
    running = pair.running
    group = running.group_of(member_id) if running is not None else None
    partners: tuple[str, ...] = ()
    # someone who left is nobody's partner any more (see group_followups)
    if group is not None and member is not None and member.takes_part and group.keeps(member_id):
        members = {
            m.member_id: m
            for m in await uow.members.list(programme.community_id, programme_id=programme.id)
        }
        partners = tuple(m for m in still_in(group, members) if m != member_id)
    facts = ProgrammeFacts(
        name=programme.name,
        status=member.status if member else None,
        paused_until=member.paused_until.isoformat() if member and member.paused_until else None,
        next_round=(
            format_day(pair.scheduled.intro_at, programme)
            if pair.scheduled is not None and programme.active
            else None
        ),
        current_round=running.number if group is not None and running is not None else None,
        current_partners=partners,
        active=programme.active,
    )
    return facts, running


def _past_partners(
    rounds: list[Round], running: set[tuple[str, int]], member_id: str, members: list[Member]
) -> tuple[str, ...]:
    # an erased member's place holds a pseudonym, which is nobody to mention
    known = {m.member_id for m in members if m.status is not MemberStatus.ERASED}
    past: list[str] = []
    for round_ in sorted(rounds, key=lambda r: r.intro_at, reverse=True):
        if (round_.programme_id, round_.number) in running:
            continue
        old = round_.group_of(member_id)
        for other in old.members if old else ():
            if other != member_id and other not in past and other in known:
                past.append(other)
    return tuple(past[:_PAST_PARTNERS_SHOWN])


async def home_facts(services: Services, community_id: str, member_id: str) -> HomeFacts:
    """Read what the Home tab shows for one member."""
    uow = services.uow
    async with uow:
        programmes = await uow.programmes.list(community_id)
        memberships = {
            m.programme_id: m for m in await uow.members.memberships(community_id, member_id)
        }
        shown: list[ProgrammeFacts] = []
        running: set[tuple[str, int]] = set()
        for programme in programmes:
            member = memberships.get(programme.id)
            facts, round_ = await _programme_facts(uow, programme, member, member_id)
            if round_ is not None:
                running.add((programme.id, round_.number))
            if len(programmes) == 1 or facts.member or programme.active:
                shown.append(facts)
        rounds = await uow.rounds.list(community_id, None)
        members = await uow.members.list(community_id, programme_id=None)
    return HomeFacts(
        # the member's own programmes first, each group in the community's order
        programmes=tuple(sorted(shown, key=lambda p: not p.member)),
        several=len(programmes) > 1,
        past_partners=_past_partners(rounds, running, member_id, members),
    )


def _button(action_id: str, label: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action_id,
        "value": HOME_ACTIONS[action_id],
    }
    if style:
        button["style"] = style
    return button


def _buttons(status: MemberStatus | None) -> list[dict[str, Any]]:
    if status in (None, MemberStatus.LEFT):
        return [_button("unmentor_home_join", "Join", "primary")]
    if status is MemberStatus.ACTIVE:
        return [
            _button("unmentor_home_pause", "Pause 2 weeks"),
            _button("unmentor_home_leave", "Leave", "danger"),
        ]
    if status is MemberStatus.PAUSED:
        return [
            _button("unmentor_home_resume", "Resume", "primary"),
            _button("unmentor_home_leave", "Leave", "danger"),
        ]
    return []  # opted out by an admin: only an admin can change that


def _command_button(
    index: int, label: str, words: str, spoken: str, style: str | None = None
) -> dict[str, Any]:
    """A button that runs ``words`` as if typed; ``spoken`` (naming the programme) is what a
    screen reader says, the label alone being ambiguous among several programmes' buttons."""
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": f"{CHOOSE_PROGRAMME_ACTION}:{index}",
        "value": words,
        "accessibility_label": spoken[:75],
    }
    if style:
        button["style"] = style
    return button


def _programme_buttons(facts: ProgrammeFacts) -> list[dict[str, Any]]:
    name = facts.name
    if facts.status is MemberStatus.ACTIVE and facts.active:
        return [
            _command_button(0, "Pause 2 weeks", f"pause {name} 2w", f"Pause {name} 2 weeks"),
            _command_button(1, "Leave", f"leave {name}", f"Leave {name}", "danger"),
        ]
    if facts.status is MemberStatus.PAUSED and facts.active:
        return [
            _command_button(0, "Resume", f"resume {name}", f"Resume {name}", "primary"),
            _command_button(1, "Leave", f"leave {name}", f"Leave {name}", "danger"),
        ]
    if facts.status in (MemberStatus.ACTIVE, MemberStatus.PAUSED):  # archived: no more rounds
        return [_command_button(0, "Leave", f"leave {name}", f"Leave {name}", "danger")]
    return []  # opted out by an admin: only an admin can change that


def _status_line(facts: ProgrammeFacts) -> str:
    if facts.status is None:
        return "You haven't joined yet. Join to be paired at random with someone in the network."
    line = f"*Status:* {facts.status.value}"
    if facts.paused_until:
        line += f" until {facts.paused_until}"
    return line


def _lines(facts: ProgrammeFacts) -> list[str]:
    lines = [_status_line(facts)]
    if not facts.active:
        lines.append("This programme is archived: it runs no more rounds.")
    if facts.next_round:
        lines.append(f"*Next round:* {facts.next_round}")
    if facts.current_partners:
        lines.append(
            f"*Round {facts.current_round}:* you're with {list_people(facts.current_partners)}"
        )
    return lines


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _one_programme(facts: HomeFacts) -> list[dict[str, Any]]:
    """The tab of a community with one programme: as it read before programmes existed."""
    # no programme at all: a community the tab was opened in before it was set up
    only = next(iter(facts.programmes), ProgrammeFacts("", None, None, None, None, ()))
    lines = _lines(only)
    if facts.past_partners:
        lines.append(f"*Past partners:* {list_people(facts.past_partners)}")
    blocks = [_section("\n".join(lines))]
    if buttons := _buttons(only.status):
        blocks.append({"type": "actions", "block_id": "unmentor_home", "elements": buttons})
    return blocks


def _several_programmes(facts: HomeFacts) -> list[dict[str, Any]]:
    own = [p for p in facts.programmes if p.member]
    joinable = [p for p in facts.programmes if not p.member and p.active]
    blocks: list[dict[str, Any]] = []
    if not own:
        blocks.append(
            _section(
                "You haven't joined a programme yet. Join one to be paired at random with "
                "someone in the network."
            )
        )
    for index, programme in enumerate(own[:_OWN_PROGRAMMES_SHOWN]):
        lines = [f"*{programme.name}*", *_lines(programme)]
        blocks.append(_section("\n".join(lines)))
        if buttons := _programme_buttons(programme):
            blocks.append(
                {"type": "actions", "block_id": f"unmentor_home:{index}", "elements": buttons}
            )
    if len(own) > _OWN_PROGRAMMES_SHOWN:
        blocks.append(_section("… and more: `/unmentor status` lists every one."))
    if joinable:
        names = ", ".join(f"*{p.name}*" for p in joinable)
        blocks.append(_section(f"*Programmes you could join:* {names}"))
        buttons = [
            _command_button(i, f"Join {p.name}", f"join {p.name}", f"Join {p.name}")
            for i, p in enumerate(joinable[:_JOINABLE_SHOWN])
        ]
        blocks.append({"type": "actions", "block_id": "unmentor_home_join", "elements": buttons})
    if facts.past_partners:
        blocks.append(_section(f"*Past partners:* {list_people(facts.past_partners)}"))
    return blocks


def home_view(facts: HomeFacts, notice: str | None = None) -> dict[str, Any]:
    """Return the Home tab view for ``views.publish``."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "UnMentoring"}},
    ]
    if notice:
        blocks.append(_section(notice))
    if facts.several:
        blocks += _several_programmes(facts)
    else:
        blocks += _one_programme(facts)
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": "Every command: `/unmentor help`"}],
        }
    )
    return {"type": "home", "blocks": blocks}
