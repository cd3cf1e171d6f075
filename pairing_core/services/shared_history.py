"""Which pairs already met, as the matcher counts them: within the programme, or across all of them.

A community may count meetings in every programme ("someone met last week in data is not a fresh
face in general"). Round numbers are per programme, so a meeting elsewhere is placed on this
programme's own numbering: it counts as this programme's latest round that had started by then.
"""

from __future__ import annotations

from bisect import bisect_right

from pairing_core.ports import UnitOfWork
from pairing_core.programme import Programme
from pairing_core.round import Round, RoundState

__all__ = ["history_for"]


async def history_for(
    uow: UnitOfWork, programme: Programme, matching: Round
) -> dict[frozenset[str], int]:
    """Map each pair who already met to the round number, in ``programme``, they last did."""
    community_id = programme.community_id
    own = await uow.rounds.pair_history(community_id, programme.id)
    community = await uow.communities.get(community_id)
    if community is None or not community.settings.shared_history:
        return own
    starts = sorted(
        (r.intro_at, r.number)
        for r in await uow.rounds.list(community_id, programme.id)
        if r.state is not RoundState.SCHEDULED and r.number < matching.number
    )
    intros = [at for at, _ in starts]
    history = dict(own)
    for pair, met_at in (await uow.rounds.pair_last_met(community_id)).items():
        index = bisect_right(intros, met_at)
        # after every round this programme has run: as recent as its last one; before its first
        # round: round 0, older than any of its own
        number = (
            matching.number - 1 if index == len(starts) else starts[index - 1][1] if index else 0
        )
        if number > history.get(pair, -1):
            history[pair] = number
    return history
