"""A seeded community's history of groups and ratings, with an effect of mixing planted or not.

Every round shuffles the members into pairs (a trio when their number is odd). A group answers
its check-in "met" (70%), "booked", "not this time" or not at all, and 70% of groups rate their
conversation. A rating is 2 plus one of -1, 0, +1; a group that mixed organisations adds
``planted`` on top: with ``planted=True`` one of +1 or +2 (so +1.5 on average), with
``planted=False`` nothing. Ratings stay within 1-5, so the planted effect is exactly +1.5.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from pairing_core.member import Member, MemberStatus
from pairing_core.reflection import Reflection
from pairing_core.round import CheckInAnswer, Group, Round, RoundState, mixes_organisations

__all__ = ["PLANTED_EFFECT", "History", "rated_history"]

PLANTED_EFFECT = 1.5
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
History = tuple[list[Round], list[Member], list[Reflection]]
_ANSWERS = [CheckInAnswer.MET] * 7 + [CheckInAnswer.BOOKED, CheckInAnswer.NOT_THIS_TIME, None]


def _groups(people: list[str], rng: random.Random) -> list[list[str]]:
    rng.shuffle(people)
    groups = [people[i : i + 2] for i in range(0, len(people) - 1, 2)]
    if len(people) % 2:
        groups[-1].append(people[-1])
    return groups


def rated_history(
    seed: int, planted: bool, people: int = 21, rounds: int = 8, organisations: int = 3
) -> History:
    """Return ``rounds`` closed rounds of ``people`` members, their groups and their ratings."""
    rng = random.Random(seed)
    org = {f"m{i}": f"org{rng.randrange(organisations)}" for i in range(people)}
    members = [Member("C", m, m, T0, MemberStatus.ACTIVE, organisation=o) for m, o in org.items()]
    history: list[Round] = []
    reflections: list[Reflection] = []
    for number in range(1, rounds + 1):
        intro = T0 + timedelta(days=14 * number)
        groups = []
        for index, who in enumerate(_groups(list(org), rng)):
            mixed = mixes_organisations(org[m] for m in who)
            answer = rng.choice(_ANSWERS)
            groups.append(Group(index, tuple(who), answer, who[0] if answer else None, mixed))
            if rng.random() < 0.7:
                rating = (
                    2 + rng.choice((-1, 0, 1)) + (rng.choice((1, 2)) if planted and mixed else 0)
                )
                reflections.append(
                    Reflection("C", number, index, who[0], tuple(who), "t", True, intro, rating)
                )
        history.append(
            Round(
                "C",
                number,
                RoundState.CLOSED,
                intro,
                intro + timedelta(days=7),
                intro + timedelta(days=12),
                intro + timedelta(days=14),
                groups=groups,
            )
        )
    return history, members, reflections
