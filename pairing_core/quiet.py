"""Who has gone quiet: members who let several rounds in a row pass without a word.

A member is quiet after ``after`` rounds in which they were in a group that was sent the
check-in, counting back from the latest, when in none of them they answered the check-in or
shared a takeaway. Anyone who was ever in a group that answered "met" or "booked" is never
quiet, whoever answered for it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence

from pairing_core.reflection import Reflection
from pairing_core.round import CheckInAnswer, Group, Round

__all__ = ["quiet_members"]

_MET = (CheckInAnswer.MET, CheckInAnswer.BOOKED)


def quiet_members(
    candidates: Iterable[str],
    rounds: Sequence[Round],
    reflections: Collection[Reflection],
    asked: Callable[[Round, Group], bool],
    after: int,
) -> dict[str, tuple[int, ...]]:
    """Return each quiet candidate with the round numbers that made them so, latest first.

    ``asked`` says whether a group of a round was sent the check-in (one that was skipped
    while the bot was offline gave nobody a chance to answer).
    """
    met = {m for r in rounds for g in r.groups if g.checkin in _MET for m in g.members}
    shared = {(r.round_number, r.author) for r in reflections}
    latest_first = sorted(rounds, key=lambda r: r.number, reverse=True)
    quiet: dict[str, tuple[int, ...]] = {}
    for member in candidates:
        if member in met:
            continue
        seen: list[int] = []
        for round_ in latest_first:
            group = round_.group_of(member)
            if group is None or not group.keeps(member) or not asked(round_, group):
                continue
            if group.checkin_by == member or (round_.number, member) in shared:
                break
            seen.append(round_.number)
            if len(seen) == after:
                quiet[member] = tuple(seen)
                break
    return quiet
