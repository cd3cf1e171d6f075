"""Read what a Slack payload names; what is missing or malformed reads as None, never raises.

A round's button values are read by ``pairing_core.button_values``, as on every platform.
"""

from __future__ import annotations

from typing import Any

__all__ = ["part", "sender"]


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
