"""A small community played through the core round after round, and its exact outcome figures.

Played on the in-memory fakes by the unit tests and on SQLite and PostgreSQL by the storage
tests, so all three must give the same figures.
"""

from __future__ import annotations

from pairing_core import commands as c
from pairing_core.dispatch import handle
from pairing_core.outcomes import OutcomeRow
from pairing_core.programme import GENERAL
from pairing_core.round import CheckInAnswer, Group, RoundState
from pairing_core.services.answers import record_checkin
from pairing_core.services.context import Actor
from tests.unit.conftest import COMMUNITY, World

# round active groups met refl rated total x-org repeats joiners leavers
ROUNDS = [
    (1, 4, 2, 1, 1, 1, 4, 2, 0, 4, 0),  # dan+ann, cal+bea
    (2, 4, 2, 2, 2, 2, 8, 2, 0, 0, 0),  # cal+ann, bea+dan
    (3, 4, 2, 0, 0, 0, 0, 0, 0, 0, 0),  # cal+dan, ann+bea: same organisations
    (4, 4, 2, 2, 1, 1, 2, 2, 2, 0, 0),  # ann+dan, cal+bea again
    (5, 4, 2, 1, 1, 1, 1, 2, 1, 1, 1),  # eve+bea, ann+cal again
]
TOTAL = (None, 5, 10, 6, 5, 5, 15, 8, 3, 5, 1)


def figures(row: OutcomeRow) -> tuple[object, ...]:
    """Return the row's counts in the order of ``ROUNDS``."""
    return (
        row.round_number,
        row.active,
        row.groups,
        row.met,
        row.reflected,
        row.rated,
        row.rating_total,
        row.cross_org,
        row.repeats,
        row.joiners,
        row.leavers,
    )


async def latest_groups(world: World) -> tuple[int, list[Group]]:
    """Return the number and groups of the latest round that was matched."""
    async with world.uow:
        round_ = await world.uow.rounds.latest(COMMUNITY, GENERAL)
        assert round_ is not None
        if round_.state is RoundState.SCHEDULED:  # the next one is already laid out
            round_ = await world.uow.rounds.get(COMMUNITY, GENERAL, round_.number - 1)
            assert round_ is not None
    return round_.number, round_.groups


async def answer_round(world: World, answers: dict[int, tuple[CheckInAnswer, int | None]]) -> None:
    """Group ``i`` answers ``answers[i]``: its check-in, and a takeaway's rating (None: no takeaway)."""
    number, groups = await latest_groups(world)
    for group in groups:
        if group.index not in answers:
            continue
        answer, rating = answers[group.index]
        who = group.members[0]
        await record_checkin(
            c.RecordCheckIn(number, group.index, answer), Actor(who, who), COMMUNITY, world.services
        )
        if rating is not None:
            # for this round, as the prompt's button says: typed this early, it would be for
            # the member's group of the round before, which may not have shared one yet
            takeaway = c.SubmitReflection("We compared notes", rating=rating, round_number=number)
            await handle(takeaway, Actor(who, who), COMMUNITY, world.services)
            await world.deliver()


async def book(world: World, index: int, slot: int) -> None:
    """The first member of the latest round's group ``index`` books its suggested time ``slot``."""
    _, groups = await latest_groups(world)
    reply = await world.say(groups[index].members[0], f"book {slot}")
    assert reply.startswith(f"Booked slot {slot}: "), reply


# round, groups that booked a suggested time, and those of them that met
SLOTS = [(1, 1, 1), (2, 0, 0), (3, 1, 0), (4, 0, 0), (5, 0, 0)]


async def play(world: World) -> None:
    """Four members in two organisations, fortnightly rounds, the matcher seeded by the World."""
    for who, org in (("ann", "Devon"), ("bea", "Devon"), ("cal", "Leeds"), ("dan", "Leeds")):
        await world.say(who, f"join {org}")
    await world.tick(days=5)  # round 1 introduced
    met, booked, no = CheckInAnswer.MET, CheckInAnswer.BOOKED, CheckInAnswer.NOT_THIS_TIME
    await book(world, 0, 2)  # and then meets
    await answer_round(world, {0: (met, 4), 1: (no, None)})
    await world.tick(days=14)  # round 2
    await answer_round(world, {0: (met, 5), 1: (met, 3)})
    await world.tick(days=14)  # round 3
    await book(world, 0, 1)  # and then does not meet
    await answer_round(world, {0: (booked, None)})
    await world.tick(days=14)  # round 4: the round robin is used up, so both pairs repeat
    await answer_round(world, {0: (met, 2), 1: (met, None)})
    await world.say("dan", "leave")
    await world.say("eve", "join Leeds")
    await world.tick(days=14)  # round 5: eve in, dan out
    await answer_round(world, {1: (met, 1)})
