"""Domain objects to store, with timestamps in a zone that is not UTC."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pairing_core.community import Community, CommunitySettings
from pairing_core.member import Member, MemberStatus
from pairing_core.message import Action, Message, OutboxItem, Target
from pairing_core.programme import GENERAL, Cadence, Programme, ProgrammeSettings
from pairing_core.reflection import Reflection
from pairing_core.round import CheckInAnswer, Group, Round, RoundState, SatOut

# British Summer Time (UTC+1), so a timestamp that lost or misread its offset shows up as a change.
LONDON = ZoneInfo("Europe/London")
T0 = datetime(2026, 6, 1, 9, 30, 15, 123456, tzinfo=LONDON)


def a_community(community_id: str = "slack:T1", **settings: object) -> Community:
    return Community(
        id=community_id,
        platform="slack",
        name="Acme",
        created_at=T0,
        settings=CommunitySettings(
            admins=frozenset({"U-admin", "U-boss"}),
            admin_role="R-mentors",
            shared_history=True,
        ).replace(**settings),
    )


def a_programme(
    programme_id: str = GENERAL,
    community_id: str = "slack:T1",
    name: str | None = None,
    created_at: datetime = T0,
    **settings: object,
) -> Programme:
    return Programme(
        community_id=community_id,
        id=programme_id,
        name=programme_id if name is None else name,
        created_at=created_at,
        settings=ProgrammeSettings(
            cadence=Cadence.WEEKLY,
            weekday=2,
            local_time=time(14, 45),
            timezone="America/New_York",
            reflections_channel="C-reflections",
            group_size=3,
            admins=frozenset({"U-lead"}),
            prefer_cross_org=False,
            intros_channel="C-intros",
        ).replace(**settings),
    )


def a_member(member_id: str, community_id: str = "slack:T1", **changes: object) -> Member:
    member = Member(
        community_id=community_id,
        member_id=member_id,
        display_name=f"Person {member_id}",
        joined_at=T0,
        status=MemberStatus.PAUSED,
        organisation="Finance",
        contact="ext 123",
        paused_until=date(2026, 7, 1),
        left_at=T0 + timedelta(days=3),
        about="Runs the finance team's data work",
        timezone="Europe/Dublin",
        work_start=time(8, 0),
        work_end=time(16, 30),
    )
    for name, value in changes.items():
        setattr(member, name, value)
    return member


def a_round(
    number: int = 1,
    groups: list[tuple[str, ...]] | None = None,
    community_id: str = "slack:T1",
    programme_id: str = GENERAL,
) -> Round:
    start = T0 + timedelta(weeks=2 * (number - 1))
    return Round(
        community_id=community_id,
        number=number,
        state=RoundState.INTRODUCED,
        intro_at=start,
        checkin_at=start + timedelta(days=7),
        reflection_at=start + timedelta(days=12),
        close_at=start + timedelta(days=14),
        groups=[
            Group(index=index, members=members)
            for index, members in enumerate(groups if groups is not None else [("ana", "bo")])
        ],
        sat_out=[],
        seed=2**62 + number,
        programme_id=programme_id,
    )


def answered(group: Group, answer: CheckInAnswer, by: str) -> Group:
    return replace(group, checkin=answer, checkin_by=by)


def sat_out(*member_ids: str) -> list[SatOut]:
    return [SatOut(member_id, "the pot had an odd number") for member_id in member_ids]


def a_reflection(
    author: str = "ana",
    authors: tuple[str, ...] = ("ana", "bo"),
    round_number: int = 1,
    group_index: int = 0,
    text: str = "We swapped notes on mentoring.",
    programme_id: str = GENERAL,
) -> Reflection:
    return Reflection(
        community_id="slack:T1",
        round_number=round_number,
        group_index=group_index,
        author=author,
        authors=authors,
        text=text,
        public=True,
        created_at=T0 + timedelta(days=12),
        rating=4,
        programme_id=programme_id,
    )


def an_outbox_item(key: str, created_at: datetime = T0, **changes: object) -> OutboxItem:
    item = OutboxItem(
        community_id="slack:T1",
        key=key,
        target=Target.group(("ana", "bo")),
        message=Message("Meet *Bo*!", (Action("checkin", "We met", "round:1:group:0"),)),
        created_at=created_at,
    )
    for name, value in changes.items():
        setattr(item, name, value)
    return item
