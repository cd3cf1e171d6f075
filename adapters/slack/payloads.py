"""Read what a Slack payload names; what is missing or malformed reads as None, never raises."""

from __future__ import annotations

from typing import Any

from pairing_core import commands as c
from pairing_core.round import CheckInAnswer

__all__ = ["checkin_choice", "group_button", "part", "sender"]


def part(found: dict[str, Any], key: str) -> dict[str, Any]:
    """Return ``found[key]`` when it is a record; anything else reads as an empty one."""
    value = found.get(key)
    return value if isinstance(value, dict) else {}


def sender(body: dict[str, Any]) -> tuple[str, str] | None:
    """Return the (team, user) a payload comes from, or None when it names no user or team."""
    user = body.get("user")
    team = body.get("team")
    if not isinstance(user, dict) or not user.get("id"):
        return None
    team_id = (team.get("id") if isinstance(team, dict) else None) or user.get("team_id")
    return (str(team_id), str(user["id"])) if team_id else None


def _numbers(parts: list[str]) -> list[int] | None:
    if not all(p.isascii() and p.isdigit() and len(p) <= 9 for p in parts):
        return None
    return [int(p) for p in parts]


def checkin_choice(value: object) -> c.RecordCheckIn | None:
    """Read a check-in button's ``round:group:answer`` value."""
    parts = str(value).split(":")
    if len(parts) != 3 or parts[2] not in {a.value for a in CheckInAnswer}:
        return None
    numbers = _numbers(parts[:2])
    return c.RecordCheckIn(numbers[0], numbers[1], CheckInAnswer(parts[2])) if numbers else None


def group_button(value: object) -> tuple[int, int] | None:
    """Read a ``round:group`` button value (the takeaway prompt's)."""
    parts = str(value).split(":")
    numbers = _numbers(parts) if len(parts) == 2 else None
    return (numbers[0], numbers[1]) if numbers else None
