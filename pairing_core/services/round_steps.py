"""The round lifecycle. Each step moves a round one state forward and is safe to repeat.

A step changes the round and writes the messages it causes to the outbox in one transaction, so a
crash before the commit loses nothing (the step runs again) and a crash after it sends nothing twice
(the round has moved on and outbox keys are unique). Each step first takes the community's lock and
only then reads the round, so replicas running the same step at once take turns and the second
finds the round already moved on.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime

from pairing_core.matching import MatchRequest, match
from pairing_core.matching.criteria import working_window
from pairing_core.member import Member, MemberStatus
from pairing_core.message import Attachment, Message, OutboxItem, Target
from pairing_core.ports import UnitOfWork
from pairing_core.programme import RoundMode, programme_key
from pairing_core.reflection import Reflection
from pairing_core.round import (
    Group,
    Round,
    RoundChoice,
    RoundState,
    SatOut,
    mixes_organisations,
)
from pairing_core.services.community_setup import load_programme, schedule_round
from pairing_core.services.group_followups import (
    followup_key,
    group_followups,
    intro_key,
    still_in,
)
from pairing_core.services.nudges import NUDGE, pause_quiet_members
from pairing_core.services.programme_label import labeller
from pairing_core.services.shared_history import history_for
from pairing_core.texts import (
    PARTNER_LEFT,
    PARTNERS_LEFT,
    checkin_message,
    intro_message,
    nudge_message,
    reflection_prompt,
    round_summary,
    sat_out_message,
)

__all__ = [
    "close_round",
    "intro_key",
    "introduce_round",
    "match_round",
    "prompt_reflections",
    "send_checkins",
    "send_nudges",
    "takeaway_key",
    "takeaway_link",
]


def takeaway_key(programme_id: str, number: int, group_index: int) -> str:
    """Key the outbox item posting a group's public takeaway to the reflections channel."""
    return programme_key(programme_id, f"round:{number}:group:{group_index}:takeaway")


def _outbox(
    community_id: str, key: str, target: Target, message: Message, now: datetime
) -> OutboxItem:
    return OutboxItem(community_id, key, target, message, created_at=now)


async def _previous_sat_out(uow: UnitOfWork, round_: Round) -> frozenset[str]:
    """Members who sat out the last round that ran get priority in this one."""
    for earlier in range(round_.number - 1, max(0, round_.number - 4), -1):
        previous = await uow.rounds.get(round_.community_id, round_.programme_id, earlier)
        if previous is not None and previous.state is not RoundState.SKIPPED:
            return frozenset(s.member_id for s in previous.sat_out)
    return frozenset()


def _drop_departed(round_: Round, members: dict[str, Member]) -> None:
    """Take members who left since matching out of their groups; a lone survivor sits out."""
    groups: list[Group] = []
    for group in round_.groups:
        staying = still_in(group, members)
        if len(staying) == len(group.members):
            groups.append(group)
        elif len(staying) >= 2:
            # the group introduced is the smaller one: whether it mixes organisations is its own
            mixed = mixes_organisations(members[m].organisation for m in staying)
            groups.append(replace(group, members=staying, cross_organisation=mixed))
        elif staying:
            reason = PARTNER_LEFT if len(group.members) == 2 else PARTNERS_LEFT
            round_.sat_out.append(SatOut(staying[0], reason))
    round_.groups = groups


def _taking_part(
    active: list[Member], mode: RoundMode, choices: dict[str, RoundChoice]
) -> list[Member]:
    """The active members this round matches: not those who skipped it, and in opt-in mode only
    those who said they're in. Neither kind is sitting out (so neither is told so)."""
    if mode is RoundMode.OPT_IN:
        return [m for m in active if choices.get(m.member_id) is RoundChoice.IN]
    return [m for m in active if choices.get(m.member_id) is not RoundChoice.SKIP]


async def match_round(
    uow: UnitOfWork,
    community_id: str,
    programme_id: str,
    number: int,
    rng: random.Random,
    now: datetime,
) -> Round | None:
    """Group the available members of a scheduled round (SCHEDULED -> MATCHED)."""
    async with uow:
        await uow.lock_programme(community_id, programme_id)
        round_ = await uow.rounds.get(community_id, programme_id, number)
        if round_ is None or round_.state is not RoundState.SCHEDULED:
            return round_
        programme = await load_programme(uow, community_id, programme_id)
        today = round_.intro_at.astimezone(programme.settings.zone).date()
        members = await uow.members.list(
            community_id, [MemberStatus.ACTIVE, MemberStatus.PAUSED], programme_id=programme_id
        )
        for member in members:
            if member.status is MemberStatus.PAUSED and member.is_available(today):
                member.status, member.paused_until = MemberStatus.ACTIVE, None
                await uow.members.save(member)
        await pause_quiet_members(
            uow, programme, round_, members, now, await labeller(uow, programme)
        )
        available = _taking_part(
            [m for m in members if m.status is MemberStatus.ACTIVE],
            programme.settings.mode,
            await uow.rounds.choices(community_id, programme_id, number),
        )
        blocks = await uow.blocks.list(community_id)
        organisations = {m.member_id: m.organisation for m in available}
        round_.seed = rng.getrandbits(63)
        result = match(
            MatchRequest(
                members=[m.member_id for m in available],
                round_number=number,
                group_size=programme.settings.group_size,
                history=await history_for(uow, programme, round_),
                blocked=frozenset(b.pair for b in blocks),
                organisations=organisations,
                prefer_cross_org=programme.settings.prefer_cross_org,
                priority=await _previous_sat_out(uow, round_),
                working_time={
                    m.member_id: working_window(
                        today, m.timezone or programme.settings.timezone, m.work_start, m.work_end
                    )
                    for m in available
                },
            ),
            random.Random(round_.seed),
        )
        # Recorded now, so outcome figures keep it when members later move or are erased.
        round_.groups = [
            Group(
                i,
                members,
                cross_organisation=mixes_organisations(organisations[m] for m in members),
            )
            for i, members in enumerate(result.groups)
        ]
        round_.sat_out = [SatOut(u.member_id, u.reason) for u in result.unmatched]
        round_.state = RoundState.MATCHED
        await uow.rounds.save(round_)
        await uow.commit()
        return round_


async def introduce_round(
    uow: UnitOfWork, community_id: str, programme_id: str, number: int, now: datetime
) -> Round | None:
    """Write each group's intro and each sat-out notice; schedule the next round (MATCHED -> INTRODUCED)."""
    async with uow:
        await uow.lock_programme(community_id, programme_id)
        round_ = await uow.rounds.get(community_id, programme_id, number)
        if round_ is None or round_.state is not RoundState.MATCHED:
            return round_
        programme = await load_programme(uow, community_id, programme_id)
        label = await labeller(uow, programme)
        members = {
            m.member_id: m for m in await uow.members.list(community_id, programme_id=programme_id)
        }
        _drop_departed(round_, members)
        for group in round_.groups:
            await uow.outbox.add(
                _outbox(
                    community_id,
                    intro_key(programme_id, number, group.index),
                    Target.group(group.members),
                    label(intro_message(programme, round_, group, members)),
                    now,
                )
            )
        for sat in round_.sat_out:
            await uow.outbox.add(
                _outbox(
                    community_id,
                    programme_key(programme_id, f"round:{number}:sat-out:{sat.member_id}"),
                    Target.member(sat.member_id),
                    label(sat_out_message(sat.reason, round_, programme)),
                    now,
                )
            )
        round_.state = RoundState.INTRODUCED
        await uow.rounds.save(round_)
        if (
            programme.active
            and await uow.rounds.get(community_id, programme_id, number + 1) is None
        ):
            await uow.rounds.add(schedule_round(programme, number + 1, round_.close_at))
        await uow.commit()
        return round_


async def _unanswered(uow: UnitOfWork, round_: Round, group: Group) -> bool:
    """True when the group was sent the check-in and has not answered it (worth a reminder)."""
    if group.checkin is not None:
        return False
    key = followup_key(round_.programme_id, round_.number, group.index, "checkin")
    return await uow.outbox.get(round_.community_id, key) is not None


async def _group_step(
    uow: UnitOfWork,
    community_id: str,
    programme_id: str,
    number: int,
    before: tuple[RoundState, ...],
    after: RoundState,
    kind: str,
    now: datetime,
    send: bool,
) -> Round | None:
    async with uow:
        await uow.lock_programme(community_id, programme_id)
        round_ = await uow.rounds.get(community_id, programme_id, number)
        if round_ is None or round_.state not in before:
            return round_
        programme = await load_programme(uow, community_id, programme_id)
        label = await labeller(uow, programme)
        members = (
            {
                m.member_id: m
                for m in await uow.members.list(community_id, programme_id=programme_id)
            }
            if send
            else {}
        )
        for group in round_.groups if send else ():
            if kind == NUDGE and not await _unanswered(uow, round_, group):
                continue
            message = label(
                checkin_message(round_, group)
                if kind == "checkin"
                else nudge_message(round_, group)
                if kind == NUDGE
                else reflection_prompt(programme, round_, group, len(still_in(group, members))),
            )
            for item in await group_followups(
                uow, programme, round_, group, members, kind, message, now, label
            ):
                await uow.outbox.add(item)
        round_.state = after
        await uow.rounds.save(round_)
        await uow.commit()
        return round_


async def send_checkins(
    uow: UnitOfWork,
    community_id: str,
    programme_id: str,
    number: int,
    now: datetime,
    send: bool = True,
) -> Round | None:
    """Ask each group whether they met (INTRODUCED -> CHECKED_IN)."""
    return await _group_step(
        uow,
        community_id,
        programme_id,
        number,
        (RoundState.INTRODUCED,),
        RoundState.CHECKED_IN,
        "checkin",
        now,
        send,
    )


async def send_nudges(
    uow: UnitOfWork,
    community_id: str,
    programme_id: str,
    number: int,
    now: datetime,
    send: bool = True,
) -> Round | None:
    """Remind each group that has not answered the check-in, once (CHECKED_IN -> NUDGED)."""
    return await _group_step(
        uow,
        community_id,
        programme_id,
        number,
        (RoundState.CHECKED_IN,),
        RoundState.NUDGED,
        NUDGE,
        now,
        send,
    )


async def prompt_reflections(
    uow: UnitOfWork,
    community_id: str,
    programme_id: str,
    number: int,
    now: datetime,
    send: bool = True,
) -> Round | None:
    """Invite each group to share a takeaway (CHECKED_IN -> REFLECTING)."""
    return await _group_step(
        uow,
        community_id,
        programme_id,
        number,
        (RoundState.CHECKED_IN, RoundState.NUDGED),
        RoundState.REFLECTING,
        "reflect",
        now,
        send,
    )


async def takeaway_link(uow: UnitOfWork, reflection: Reflection) -> str | None:
    """Return the link to the takeaway's post in the channel.

    None when the platform gives no links, or when the post is not delivered yet (a takeaway shared
    just before the close): the summary then shows the takeaway without one.
    """
    post = await uow.outbox.get(
        reflection.community_id,
        takeaway_key(reflection.programme_id, reflection.round_number, reflection.group_index),
    )
    return post.link if post is not None else None


async def close_round(
    uow: UnitOfWork,
    community_id: str,
    programme_id: str,
    number: int,
    now: datetime | None = None,
    chart: Attachment | None = None,
) -> Round | None:
    """End an open round, whatever step it reached; a closed round stays closed.

    The reflections channel gets a summary: how many groups met and the takeaways shared, each
    linked to its post where the platform gives links, with ``chart`` (the outcome chart, drawn
    by the caller before the lock is taken) attached when given.
    """
    async with uow:
        await uow.lock_programme(community_id, programme_id)
        round_ = await uow.rounds.get(community_id, programme_id, number)
        if round_ is None or not round_.has_reached(RoundState.INTRODUCED) or not round_.is_open:
            return round_
        round_.state = RoundState.CLOSED
        await uow.rounds.save(round_)
        programme = await load_programme(uow, community_id, programme_id)
        channel = programme.settings.reflections_channel
        if channel and round_.groups:
            reflections = await uow.reflections.list(community_id, programme_id, number)
            shared = [(r.text, await takeaway_link(uow, r)) for r in reflections if r.public]
            summary = (await labeller(uow, programme))(round_summary(round_, shared))
            if chart is not None:
                summary = replace(summary, attachments=(chart,))
            await uow.outbox.add(
                _outbox(
                    community_id,
                    programme_key(programme_id, f"round:{number}:summary"),
                    Target.channel(channel),
                    summary,
                    now or round_.close_at,
                )
            )
        await uow.commit()
        return round_
