"""Everything stored about one member, as a JSON document they can take away (UK GDPR, art. 15/20)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pairing_core.member import Block, Member
from pairing_core.message import OutboxItem
from pairing_core.reflection import Reflection
from pairing_core.round import Round, RoundChoice

__all__ = ["member_export", "export_json"]


def _when(moment: datetime | date | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _member(member: Member | None) -> dict[str, Any] | None:
    if member is None:
        return None
    return {
        "member_id": member.member_id,
        "display_name": member.display_name,
        "status": member.status.value,
        "organisation": member.organisation,
        "contact": member.contact,
        "about": member.about,
        "timezone": member.timezone,
        "timezone_synced_at": _when(member.timezone_synced_at),
        "working_hours": {
            "start": member.work_start.isoformat("minutes"),
            "end": member.work_end.isoformat("minutes"),
            "days": "Monday to Friday",
        },
        "joined_at": _when(member.joined_at),
        "paused_until": _when(member.paused_until),
        "left_at": _when(member.left_at),
    }


def _programmes(memberships: Sequence[Member]) -> list[dict[str, Any]]:
    return [
        {
            "programme": m.programme_id,
            "status": m.status.value,
            "joined_at": _when(m.joined_at),
            "paused_until": _when(m.paused_until),
            "left_at": _when(m.left_at),
        }
        for m in memberships
    ]


def _rounds(member_id: str, rounds: Sequence[Round]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for round_ in rounds:
        group = round_.group_of(member_id)
        sat = next((s for s in round_.sat_out if s.member_id == member_id), None)
        if group is None and sat is None:
            continue
        entry: dict[str, Any] = {
            "programme": round_.programme_id,
            "round": round_.number,
            "state": round_.state.value,
            "starts": _when(round_.intro_at),
            "ends": _when(round_.close_at),
        }
        if group is not None:
            entry["group"] = group.index
            entry["partners"] = [m for m in group.members if m != member_id]
            entry["group_checkin"] = None if group.checkin is None else group.checkin.value
        if sat is not None:
            entry["sat_out_because"] = sat.reason
        entries.append(entry)
    return entries


def _checkins(member_id: str, rounds: Sequence[Round]) -> list[dict[str, Any]]:
    return [
        {
            "programme": r.programme_id,
            "round": r.number,
            "group": g.index,
            "answer": g.checkin.value,
        }
        for r in rounds
        for g in r.groups
        if g.checkin_by == member_id and g.checkin is not None
    ]


def _reflection(member_id: str, reflection: Reflection) -> dict[str, Any]:
    return {
        "programme": reflection.programme_id,
        "round": reflection.round_number,
        "group": reflection.group_index,
        "written_by_you": reflection.author == member_id,
        "credited": list(reflection.authors),
        "text": reflection.text,
        "public": reflection.public,
        "rating": reflection.rating,
        "created_at": _when(reflection.created_at),
    }


def _outbox(item: OutboxItem) -> dict[str, Any]:
    return {
        "key": item.key,
        "to": {"kind": item.target.kind.value, "ids": list(item.target.ids)},
        "text": item.message.text,
        "status": item.status.value,
        "created_at": _when(item.created_at),
        "sent_at": _when(item.sent_at),
    }


def member_export(
    community_id: str,
    member_id: str,
    exported_at: datetime,
    memberships: Sequence[Member],
    blocks: Sequence[Block],
    rounds: Sequence[Round],
    reflections: Sequence[Reflection],
    outbox: Sequence[OutboxItem],
    round_choices: Sequence[tuple[str, int, RoundChoice]] = (),
) -> dict[str, Any]:
    """Return the member's data; only what is about them or theirs (never blocks set on them).

    ``member`` holds the person and their first membership; ``programmes`` every membership.
    """
    return {
        "community": community_id,
        "member_id": member_id,
        "exported_at": _when(exported_at),
        "member": _member(memberships[0] if memberships else None),
        "programmes": _programmes(memberships),
        "never_pair_blocks_you_set": [
            {"first": b.first, "second": b.second, "kind": b.kind.value}
            for b in blocks
            if b.author == member_id
        ],
        "rounds": _rounds(member_id, rounds),
        "checkin_answers_you_gave": _checkins(member_id, rounds),
        "reflections": [
            _reflection(member_id, r)
            for r in reflections
            if r.author == member_id or member_id in r.authors
        ],
        "messages_to_you": [_outbox(i) for i in outbox if member_id in i.target.ids],
        "round_choices": [
            {"programme": programme_id, "round": number, "choice": choice.value}
            for programme_id, number, choice in round_choices
        ],
    }


def export_json(document: dict[str, Any]) -> str:
    """Render the export as stable, readable JSON."""
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False)
