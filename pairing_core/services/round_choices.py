"""``skip`` and ``in``: a member's choice for the programme's coming round, and how status shows it.

A choice holds for one round (the one scheduled next, or the one a heads-up button named) and is
honoured when that round is matched. Once it has been matched, the choice is refused with a
reply that says so and how to choose for the next one.
"""

from __future__ import annotations

from pairing_core import commands as c
from pairing_core.errors import DomainError
from pairing_core.member import MemberStatus
from pairing_core.message import Message
from pairing_core.programme import RoundMode
from pairing_core.round import Round, RoundChoice, RoundState
from pairing_core.services.context import Actor, Services
from pairing_core.services.heads_up import choice_text
from pairing_core.services.membership import member_of
from pairing_core.services.round_calendar import current_rounds
from pairing_core.services.where import Where, load_where
from pairing_core.texts import format_day

__all__ = ["choice_status", "join_coming_round", "skip_coming_round"]


def _typed(word: str, where: Where) -> str:
    return f"`/unmentor {choice_text(word, where.programme) if where.several else word}`"


async def _coming_round(services: Services, where: Where, number: int | None) -> Round:
    """The round a choice is about: refuse one already matched (or skipped), or none coming."""
    pair = await current_rounds(services.uow, where.community_id, where.programme_id)
    coming = pair.scheduled
    if number is not None and (coming is None or coming.number != number):
        asked = await services.uow.rounds.get(where.community_id, where.programme_id, number)
        if asked is None:
            raise DomainError(where.named(f"There is no round {number} in this programme."))
        if asked.state is RoundState.SKIPPED:
            raise DomainError(
                where.named(f"Round {number} was skipped, so there is no round to choose for.")
            )
        if coming is None or asked.number < coming.number:
            nxt = f"skip the next one with {_typed('skip', where)}"
            raise DomainError(where.named(f"Round {number} was already matched; {nxt}."))
    if coming is None or not where.programme.active:
        raise DomainError(where.named("No round is coming up yet: nothing to skip or join."))
    return coming


async def _choose(
    services: Services,
    community_id: str,
    cmd: c.SkipComingRound | c.JoinComingRound,
    actor: Actor,
    choice: RoundChoice,
) -> Message:
    uow = services.uow
    async with uow:
        await uow.lock_programme(community_id, c.chosen(cmd))
        where = await load_where(uow, community_id, c.chosen(cmd))
        member = await member_of(services, where, actor)
        round_ = await _coming_round(services, where, cmd.round_number)
        n, when = round_.number, format_day(round_.intro_at, where.programme)
        if member.status is MemberStatus.OPTED_OUT:
            raise DomainError(where.named("An admin has taken you out of UnMentoring."))
        before = (await uow.rounds.choices(community_id, where.programme_id, n)).get(
            actor.member_id
        )
        opt_in = where.programme.settings.mode is RoundMode.OPT_IN
        if before is choice or (choice is RoundChoice.IN and before is None and not opt_in):
            said = (
                f"You've already skipped round {n}; {_typed('in', where)} undoes that."
                if choice is RoundChoice.SKIP
                else f"You're already in round {n}, which starts {when}."
            )
            return Message(where.named(said))
        await uow.rounds.choose(community_id, where.programme_id, n, actor.member_id, choice)
        await uow.commit()
    if choice is RoundChoice.SKIP:
        text = (
            f"You'll skip round {n}, which starts {when}; the round after, you're back as usual. "
            f"Changed your mind? {_typed('in', where)}"
        )
    else:
        text = f"You're in round {n}, which starts {when}."
    if member.status is MemberStatus.PAUSED and choice is RoundChoice.IN:
        text += f" You're paused, though: {_typed('resume', where)} to be matched."
    return Message(where.named(text))


async def skip_coming_round(
    cmd: c.SkipComingRound, actor: Actor, community_id: str, services: Services
) -> Message:
    """Leave the member out of the programme's coming round only."""
    return await _choose(services, community_id, cmd, actor, RoundChoice.SKIP)


async def join_coming_round(
    cmd: c.JoinComingRound, actor: Actor, community_id: str, services: Services
) -> Message:
    """Count the member in the coming round (undoing a skip, or opting in)."""
    return await _choose(services, community_id, cmd, actor, RoundChoice.IN)


async def choice_status(services: Services, where: Where, member_id: str) -> str | None:
    """Say what the member chose for the coming round (inside an open unit of work)."""
    pair = await current_rounds(services.uow, where.community_id, where.programme_id)
    coming = pair.scheduled
    if coming is None or not where.programme.active:
        return None
    choice = (
        await services.uow.rounds.choices(where.community_id, where.programme_id, coming.number)
    ).get(member_id)
    if choice is RoundChoice.SKIP:
        return f"You're skipping round {coming.number} ({_typed('in', where)} to undo)."
    if choice is RoundChoice.IN:
        return f"You're in for round {coming.number}."
    if where.programme.settings.mode is RoundMode.OPT_IN:
        return f"Round {coming.number} is opt-in: {_typed('in', where)} to be matched in it."
    return None
