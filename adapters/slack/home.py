"""The App Home tab: where a member stands, who they are talking to, and buttons to change it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pairing_core.member import MemberStatus
from pairing_core.services.context import Services
from pairing_core.services.group_followups import still_in
from pairing_core.services.round_calendar import current_rounds
from pairing_core.texts import format_day, list_people

__all__ = ["HOME_ACTIONS", "HomeFacts", "home_facts", "home_view"]

# Button action id -> the `/unmentor` words it stands for.
HOME_ACTIONS = {
    "unmentor_home_join": "join",
    "unmentor_home_pause": "pause 2w",
    "unmentor_home_resume": "resume",
    "unmentor_home_leave": "leave",
}
_PAST_PARTNERS_SHOWN = 10


@dataclass(frozen=True)
class HomeFacts:
    status: MemberStatus | None  # None: never joined
    paused_until: str | None
    next_round: str | None
    current_round: int | None
    current_partners: tuple[str, ...]
    past_partners: tuple[str, ...]  # most recent first


async def home_facts(services: Services, community_id: str, member_id: str) -> HomeFacts:
    """Read what the Home tab shows for one member."""
    uow = services.uow
    async with uow:
        community = await uow.communities.get(community_id)
        member = await uow.members.get(community_id, member_id)
        pair = await current_rounds(uow, community_id)
        rounds = await uow.rounds.list(community_id)
        members = {m.member_id: m for m in await uow.members.list(community_id)}
    running = pair.running
    group = running.group_of(member_id) if running is not None else None
    past: list[str] = []
    for round_ in sorted(rounds, key=lambda r: r.number, reverse=True):
        if running is not None and round_.number == running.number:
            continue
        old = round_.group_of(member_id)
        for other in old.members if old else ():
            # an erased member's place holds a pseudonym, which is nobody to mention
            erased = other not in members or members[other].status is MemberStatus.ERASED
            if other != member_id and other not in past and not erased:
                past.append(other)
    return HomeFacts(
        status=member.status if member else None,
        paused_until=member.paused_until.isoformat() if member and member.paused_until else None,
        next_round=(
            format_day(pair.scheduled.intro_at, community)
            if pair.scheduled is not None and community is not None
            else None
        ),
        current_round=running.number if group and running else None,
        # someone who left is nobody's partner any more (see group_followups)
        current_partners=(
            tuple(m for m in still_in(group, members) if m != member_id)
            if group and member is not None and member.takes_part and group.keeps(member_id)
            else ()
        ),
        past_partners=tuple(past[:_PAST_PARTNERS_SHOWN]),
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


def _status_line(facts: HomeFacts) -> str:
    if facts.status is None:
        return "You haven't joined yet. Join to be paired at random with someone in the network."
    line = f"*Status:* {facts.status.value}"
    if facts.paused_until:
        line += f" until {facts.paused_until}"
    return line


def home_view(facts: HomeFacts, notice: str | None = None) -> dict[str, Any]:
    """Return the Home tab view for ``views.publish``."""
    lines = [_status_line(facts)]
    if facts.next_round:
        lines.append(f"*Next round:* {facts.next_round}")
    if facts.current_partners:
        lines.append(
            f"*Round {facts.current_round}:* you're with {list_people(facts.current_partners)}"
        )
    if facts.past_partners:
        lines.append(f"*Past partners:* {list_people(facts.past_partners)}")
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "UnMentoring"}},
    ]
    if notice:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": notice}})
    blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
    if buttons := _buttons(facts.status):
        blocks.append({"type": "actions", "block_id": "unmentor_home", "elements": buttons})
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": "Every command: `/unmentor help`"}],
        }
    )
    return {"type": "home", "blocks": blocks}
