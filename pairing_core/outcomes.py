"""Outcome figures per round and overall, computed only from what storage holds.

Which rounds count: every round that reached *matched* (skipped and still-scheduled rounds have no
groups), in round-number order. Groups are the stored groups, that is after members who left
before the introduction were taken out of them.

Per round:

- ``active``: members the round considered — everyone in one of its groups or sitting it out.
- ``groups``: the round's groups.
- ``met``: groups whose check-in answer is "met"; ``met_rate = met / groups``.
- ``reflected``: groups with a stored reflection; ``reflection_rate = reflected / groups``.
- ``rated`` and ``rating_total``: reflections with a rating, and the sum of those ratings;
  ``mean_rating = rating_total / rated``.
- ``cross_org``: groups whose members came from at least 2 distinct non-blank organisations when
  the matcher made the group, as recorded on the group then (and re-checked if someone leaves
  before the intro), so a member's later move, departure or erasure does not change it. Groups stored before that was recorded fall back to the members'
  current organisations. ``cross_org_share = cross_org / groups``.
- ``repeats``: pairs of members in the round's groups who had already shared a group in an earlier
  counted round (a trio holds 3 pairs).
- ``joiners``: members whose ``joined_at`` is after the previous counted round's introduction time
  and at or before this round's (for the first round: at or before it).
- ``leavers``: the same with ``left_at``. A member who left and rejoined has no ``left_at`` and
  keeps their first ``joined_at``, so rejoining is counted in neither.
- ``nudged``: groups sent the check-in reminder (its outbox item ``round:N:group:G:nudge``
  exists). A reminder goes only to a group with no answer, and an answer is never taken back,
  so whatever answer a reminded group holds was given after the reminder was written.
- ``met_after_nudge``: reminded groups whose answer is "met".
- ``auto_paused``: members paused as quiet when the round was matched (their message
  ``round:N:quiet-pause:<member>`` exists). Erasing a member deletes the messages sent to them
  alone, so an erased member's automatic pause is no longer counted.
- ``skipped``: members who chose to skip the round (``skip``, or its heads-up's button) and had
  not taken it back by matching. Erasing a member deletes their choices, so an erased member's
  skip is no longer counted.
- ``booked_slot``: groups that booked one of their intro's suggested times (``book N``, which
  stores the slot on the group); ``met_with_slot``: those whose answer is "met".
  ``met_rate_slot = met_with_slot / booked_slot`` and
  ``met_rate_no_slot = (met - met_with_slot) / (groups - booked_slot)``: the met rate of groups
  that picked a slot and of those that did not.

Cumulative: ``active`` is the distinct members across the counted rounds; every other count is the
sum over rounds, so each rate is the total numerator over the total denominator (not a mean of the
per-round rates). A rate with a zero denominator is ``None``.

The experiment's answer (``pairing_core.experiment``, intervals in ``rating_estimates``) reads
the same counted rounds. Its unit is a rated group: the 1-5 "Did this conversation challenge
your thinking?" of the group's takeaway (the first stored, as ``rated`` counts it), once per
group. It gives the mean with a 95% percentile-bootstrap interval (2,000 resamples, fixed seed,
so the same data always gives the same interval) and n, overall, per round and for each
comparison, with the difference of means mean(a) - mean(b) and its interval:

- mixed organisations vs same organisation: the group's ``cross_org`` as above;
- met vs did not meet: check-in answer "met", against "booked" or "not this time" (a group that
  never answered is on neither side);
- pairs vs groups of 3 or more: members introduced (a trio's rating counts on the second side);
- first meetings vs repeats: no pair of the group had shared a group in an earlier counted
  round, against at least one pair had (the pairs counted in ``repeats``).

Below 5 ratings (on each side, for a comparison) there is no figure, only n, and the sentence
says "not enough answers yet". Who rates is self-selected (groups that chose to share a
takeaway), and groups are not assigned at random to mix, meet or repeat, so a difference shows
an association, not a cause; the sentences say so.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations

from pairing_core.member import Member
from pairing_core.reflection import Reflection
from pairing_core.round import CheckInAnswer, Group, Round, RoundState, group_mixes_organisations

__all__ = ["OutcomeReport", "OutcomeRow", "outcomes"]


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class OutcomeRow:
    """One round's figures (``round_number`` None for the cumulative row)."""

    round_number: int | None
    intro_at: datetime | None
    active: int
    groups: int
    met: int
    reflected: int
    rated: int
    rating_total: int
    cross_org: int
    repeats: int
    joiners: int
    leavers: int
    nudged: int = 0
    met_after_nudge: int = 0
    auto_paused: int = 0
    skipped: int = 0
    booked_slot: int = 0
    met_with_slot: int = 0

    @property
    def met_rate_slot(self) -> float | None:
        return _ratio(self.met_with_slot, self.booked_slot)

    @property
    def met_rate_no_slot(self) -> float | None:
        return _ratio(self.met - self.met_with_slot, self.groups - self.booked_slot)

    @property
    def met_rate(self) -> float | None:
        return _ratio(self.met, self.groups)

    @property
    def reflection_rate(self) -> float | None:
        return _ratio(self.reflected, self.groups)

    @property
    def mean_rating(self) -> float | None:
        return _ratio(self.rating_total, self.rated)

    @property
    def cross_org_share(self) -> float | None:
        return _ratio(self.cross_org, self.groups)


@dataclass(frozen=True)
class OutcomeReport:
    community_id: str
    community_name: str
    rounds: tuple[OutcomeRow, ...]
    cumulative: OutcomeRow


def _pairs(group: Group) -> Iterable[frozenset[str]]:
    return (frozenset(pair) for pair in combinations(group.members, 2))


def _between(when: datetime | None, after: datetime | None, until: datetime) -> bool:
    return when is not None and (after is None or when > after) and when <= until


def outcomes(
    community_id: str,
    community_name: str,
    rounds: Sequence[Round],
    members: Sequence[Member],
    reflections: Sequence[Reflection],
    nudged: Collection[tuple[int, int]] = (),
    auto_paused: Mapping[int, int] | None = None,
    skipped: Mapping[int, int] | None = None,
) -> OutcomeReport:
    """Compute each counted round's figures and the cumulative row (see the module docstring).

    ``nudged`` holds the (round, group index) of each reminded group and ``auto_paused`` the
    members paused as quiet per round, both read from the outbox keys; ``skipped`` the members
    who chose to skip each round.
    """
    paused_in, skipped_in = auto_paused or {}, skipped or {}
    counted = sorted(
        (r for r in rounds if r.has_reached(RoundState.MATCHED)), key=lambda r: r.number
    )
    org = {m.member_id: m.organisation for m in members}

    def mixed(group: Group) -> bool:
        return group_mixes_organisations(group, org)

    by_group: dict[tuple[int, int], Reflection] = {}
    for reflection in reflections:
        by_group.setdefault((reflection.round_number, reflection.group_index), reflection)
    seen_pairs: set[frozenset[str]] = set()
    everyone: set[str] = set()
    rows: list[OutcomeRow] = []
    previous_intro: datetime | None = None
    for round_ in counted:
        pairs = [pair for group in round_.groups for pair in _pairs(group)]
        in_round = {m for g in round_.groups for m in g.members} | {
            s.member_id for s in round_.sat_out
        }
        everyone |= in_round
        shared = [
            by_group[(round_.number, g.index)]
            for g in round_.groups
            if (round_.number, g.index) in by_group
        ]
        ratings = [r.rating for r in shared if r.rating is not None]
        rows.append(
            OutcomeRow(
                round_number=round_.number,
                intro_at=round_.intro_at,
                active=len(in_round),
                groups=len(round_.groups),
                met=sum(g.checkin == CheckInAnswer.MET for g in round_.groups),
                reflected=len(shared),
                rated=len(ratings),
                rating_total=sum(ratings),
                cross_org=sum(mixed(g) for g in round_.groups),
                repeats=sum(pair in seen_pairs for pair in pairs),
                joiners=sum(
                    _between(m.joined_at, previous_intro, round_.intro_at) for m in members
                ),
                leavers=sum(_between(m.left_at, previous_intro, round_.intro_at) for m in members),
                nudged=sum((round_.number, g.index) in nudged for g in round_.groups),
                met_after_nudge=sum(
                    (round_.number, g.index) in nudged and g.checkin == CheckInAnswer.MET
                    for g in round_.groups
                ),
                auto_paused=paused_in.get(round_.number, 0),
                skipped=skipped_in.get(round_.number, 0),
                booked_slot=sum(g.booked_slot_at is not None for g in round_.groups),
                met_with_slot=sum(
                    g.booked_slot_at is not None and g.checkin == CheckInAnswer.MET
                    for g in round_.groups
                ),
            )
        )
        seen_pairs.update(pairs)
        previous_intro = round_.intro_at
    return OutcomeReport(community_id, community_name, tuple(rows), _total(rows, len(everyone)))


def _total(rows: Sequence[OutcomeRow], active: int) -> OutcomeRow:
    return OutcomeRow(
        round_number=None,
        intro_at=None,
        active=active,
        groups=sum(r.groups for r in rows),
        met=sum(r.met for r in rows),
        reflected=sum(r.reflected for r in rows),
        rated=sum(r.rated for r in rows),
        rating_total=sum(r.rating_total for r in rows),
        cross_org=sum(r.cross_org for r in rows),
        repeats=sum(r.repeats for r in rows),
        joiners=sum(r.joiners for r in rows),
        leavers=sum(r.leavers for r in rows),
        nudged=sum(r.nudged for r in rows),
        met_after_nudge=sum(r.met_after_nudge for r in rows),
        auto_paused=sum(r.auto_paused for r in rows),
        skipped=sum(r.skipped for r in rows),
        booked_slot=sum(r.booked_slot for r in rows),
        met_with_slot=sum(r.met_with_slot for r in rows),
    )
