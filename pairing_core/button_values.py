"""The values a round's buttons carry, and reading them back from any platform.

A check-in button carries ``round:group:answer`` and a takeaway button ``round:group``, with
``:programme`` after them for any programme but "general" (so buttons sent before programmes
existed still read as "general"'s).
"""

from __future__ import annotations

from dataclasses import dataclass

from pairing_core import commands as c
from pairing_core.programme import GENERAL
from pairing_core.round import CheckInAnswer, Group, Round

__all__ = [
    "CHOOSE_PROGRAMME_ACTION",
    "GroupRef",
    "checkin_value",
    "group_value",
    "read_checkin",
    "read_group",
]

_PROGRAMME_ID_LIMIT = 40
# A button whose value is the command text to run (e.g. "join data"), as if typed.
CHOOSE_PROGRAMME_ACTION = "unmentor_programme"


@dataclass(frozen=True)
class GroupRef:
    programme_id: str
    round_number: int
    group_index: int


def _suffix(programme_id: str) -> str:
    return "" if programme_id == GENERAL else f":{programme_id}"


def group_value(round_: Round, group: Group) -> str:
    """Return a takeaway button's value for the group."""
    return f"{round_.number}:{group.index}{_suffix(round_.programme_id)}"


def checkin_value(round_: Round, group: Group, answer: CheckInAnswer) -> str:
    """Return a check-in button's value for the group and answer."""
    return f"{round_.number}:{group.index}:{answer.value}{_suffix(round_.programme_id)}"


def _numbers(parts: list[str]) -> list[int] | None:
    if not all(p.isascii() and p.isdigit() and len(p) <= 9 for p in parts):
        return None
    return [int(p) for p in parts]


def _programme(parts: list[str], at: int) -> str | None:
    if len(parts) == at:
        return GENERAL
    if len(parts) == at + 1 and 0 < len(parts[at]) <= _PROGRAMME_ID_LIMIT:
        return parts[at]
    return None


def read_group(value: object) -> GroupRef | None:
    """Read a takeaway button's value; None when it is not one."""
    parts = str(value).split(":")
    numbers = _numbers(parts[:2]) if len(parts) >= 2 else None
    programme = _programme(parts, 2)
    if numbers is None or programme is None:
        return None
    return GroupRef(programme, numbers[0], numbers[1])


def read_checkin(value: object) -> c.RecordCheckIn | None:
    """Read a check-in button's value as the command it asks for; None when it is not one."""
    parts = str(value).split(":")
    if len(parts) < 3 or parts[2] not in {a.value for a in CheckInAnswer}:
        return None
    numbers, programme = _numbers(parts[:2]), _programme(parts, 3)
    if numbers is None or programme is None:
        return None
    return c.RecordCheckIn(numbers[0], numbers[1], CheckInAnswer(parts[2]), programme_id=programme)
