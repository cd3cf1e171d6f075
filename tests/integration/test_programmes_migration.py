"""Migration 0012 on SQLite and PostgreSQL: a database written at revision 0011 reads the same
through the repositories afterwards, everything in each community's "general" programme; going
back to 0011 gives back the very rows it had, and is refused while another programme exists."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, time, timedelta
from typing import Any, cast

import pytest
from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import (
    SqlAlchemyUnitOfWork,
    create_engine,
    head_revision,
    session_factory,
    upgrade,
)
from adapters.persistence.migrate import current_revision, downgrade
from adapters.persistence.rows import OutboxRow
from pairing_core.community import Community, CommunitySettings
from pairing_core.member import Member, MemberStatus
from pairing_core.programme import GENERAL, Cadence, Programme, ProgrammeSettings
from pairing_core.reflection import Reflection
from pairing_core.round import CheckInAnswer, Group, Round, RoundState, SatOut
from tests.integration import schema_0011 as at_0011
from tests.integration.objects import T0
from tests.integration.test_migrations import differences

SLACK, DISCORD = "slack:T1", "discord:G2"
DAY = timedelta(days=1)
OUTBOX = cast(Table, OutboxRow.__table__)

COMMUNITIES = [
    {
        "id": SLACK,
        "platform": "slack",
        "name": "Acme",
        "created_at": T0,
        "cadence": "weekly",
        "weekday": 2,
        "local_time": time(14, 45),
        "timezone": "America/New_York",
        "reflections_channel": "C-reflections",
        "group_size": 3,
        "prefer_cross_org": False,
        "admin_role": "R-mentors",
    },
    {
        "id": DISCORD,
        "platform": "discord",
        "name": "Guild",
        "created_at": T0 + DAY,
        "cadence": "every-4-weeks",
        "weekday": 0,
        "local_time": time(9, 30),
        "timezone": "Europe/London",
        "reflections_channel": None,
        "group_size": 2,
        "prefer_cross_org": True,
        "admin_role": None,
    },
]
ADMINS = [(SLACK, "U-admin"), (SLACK, "U-boss"), (DISCORD, "U-mod")]


def member(
    community_id: str,
    member_id: str,
    status: MemberStatus,
    organisation: str | None = "Finance",
    paused_until: date | None = None,
    left_days: int | None = None,
) -> Member:
    return Member(
        community_id=community_id,
        member_id=member_id,
        display_name="" if status is MemberStatus.ERASED else f"Person {member_id}",
        joined_at=T0 + DAY,
        status=status,
        organisation=organisation,
        contact=None if status is MemberStatus.ERASED else f"ext {member_id}",
        paused_until=paused_until,
        left_at=None if left_days is None else T0 + left_days * DAY,
    )


MEMBERS = [
    member(SLACK, "ana", MemberStatus.ACTIVE),
    member(SLACK, "bo", MemberStatus.PAUSED, "Health", paused_until=date(2026, 7, 1)),
    member(SLACK, "cy", MemberStatus.LEFT, None, left_days=20),
    member(SLACK, "di", MemberStatus.ACTIVE, "Health"),
    member(SLACK, "erased-1", MemberStatus.ERASED, None, left_days=30),
    member(SLACK, "gus", MemberStatus.OPTED_OUT),
    member(DISCORD, "ed", MemberStatus.ACTIVE),
    member(DISCORD, "fi", MemberStatus.ACTIVE, "Transport"),
]


def a_round(
    community_id: str,
    number: int,
    state: RoundState,
    groups: list[Group],
    sat_out: list[SatOut] | None = None,
    seed: int | None = None,
) -> Round:
    start = T0 + (number - 1) * 14 * DAY
    return Round(
        community_id=community_id,
        number=number,
        state=state,
        intro_at=start,
        checkin_at=start + 7 * DAY,
        reflection_at=start + 12 * DAY,
        close_at=start + 14 * DAY,
        groups=groups,
        sat_out=sat_out or [],
        seed=seed,
    )


ROUNDS = [
    a_round(
        SLACK,
        1,
        RoundState.CLOSED,
        [
            Group(0, ("ana", "bo", "cy"), CheckInAnswer.MET, "ana", True, frozenset({"cy"})),
            Group(1, ("di", "erased-1"), None, None, None),
        ],
        seed=2**62,
    ),
    a_round(
        SLACK,
        2,
        RoundState.REFLECTING,
        [
            Group(0, ("di", "ana"), CheckInAnswer.NOT_THIS_TIME, "di", False),
            Group(1, ("bo", "erased-1"), CheckInAnswer.BOOKED, "bo", True),
        ],
        [SatOut("gus", "the pot had an odd number"), SatOut("cy", "paused")],
        seed=7,
    ),
    a_round(SLACK, 3, RoundState.SCHEDULED, []),
    a_round(DISCORD, 1, RoundState.INTRODUCED, [Group(0, ("fi", "ed"))], seed=1),
    a_round(DISCORD, 2, RoundState.SKIPPED, []),
]
REFLECTIONS = [
    Reflection(SLACK, 1, 0, "ana", ("ana", "bo", "cy"), "Ché — naïve ✓", True, T0 + 12 * DAY, 5),
    Reflection(SLACK, 2, 1, "bo", ("bo", "erased-1"), "Just us.", False, T0 + 26 * DAY, None),
    Reflection(DISCORD, 1, 0, "fi", ("ed", "fi"), "Good chat", True, T0 + 13 * DAY, 3),
]
OUTBOX_KEYS = {
    SLACK: ["round:1:group:0:intro", "round:1:group:0:takeaway", "round:2:group:1:checkin"],
    DISCORD: ["round:1:group:0:intro"],
}


async def write_0011(engine: AsyncEngine) -> None:
    """Store the data above in the tables as revision 0011 had them."""
    async with engine.begin() as connection:
        await connection.execute(insert(at_0011.communities), COMMUNITIES)
        await connection.execute(
            insert(at_0011.community_admins),
            [{"community_id": c, "member_id": m} for c, m in ADMINS],
        )
        await connection.execute(
            insert(at_0011.members),
            [
                {
                    "community_id": m.community_id,
                    "member_id": m.member_id,
                    "display_name": m.display_name,
                    "status": m.status.value,
                    "organisation": m.organisation,
                    "contact": m.contact,
                    "paused_until": m.paused_until,
                    "joined_at": m.joined_at,
                    "left_at": m.left_at,
                }
                for m in MEMBERS
            ],
        )
        for r in ROUNDS:
            key: dict[str, Any] = {"community_id": r.community_id}
            await connection.execute(
                insert(at_0011.rounds).values(
                    **key,
                    number=r.number,
                    state=r.state.value,
                    intro_at=r.intro_at,
                    checkin_at=r.checkin_at,
                    reflection_at=r.reflection_at,
                    close_at=r.close_at,
                    seed=r.seed,
                )
            )
            key["round_number"] = r.number
            for g in r.groups:
                await connection.execute(
                    insert(at_0011.round_groups).values(
                        **key,
                        group_index=g.index,
                        checkin=None if g.checkin is None else g.checkin.value,
                        checkin_by=g.checkin_by,
                        cross_organisation=g.cross_organisation,
                    )
                )
                for position, member_id in enumerate(g.members):
                    await connection.execute(
                        insert(at_0011.group_members).values(
                            **key,
                            group_index=g.index,
                            member_id=member_id,
                            position=position,
                            departed=member_id in g.departed,
                        )
                    )
            for position, sat in enumerate(r.sat_out):
                await connection.execute(
                    insert(at_0011.round_sat_out).values(
                        **key, member_id=sat.member_id, position=position, reason=sat.reason
                    )
                )
        for reflection in REFLECTIONS:
            await connection.execute(
                insert(at_0011.reflections).values(
                    community_id=reflection.community_id,
                    round_number=reflection.round_number,
                    group_index=reflection.group_index,
                    author=reflection.author,
                    authors=list(reflection.authors),
                    text=reflection.text,
                    public=reflection.public,
                    rating=reflection.rating,
                    created_at=reflection.created_at,
                )
            )
        for community_id, keys in OUTBOX_KEYS.items():
            for n, key_text in enumerate(keys):
                await connection.execute(
                    insert(OUTBOX).values(
                        community_id=community_id,
                        key=key_text,
                        target_kind="group",
                        target_ids=["ana", "bo"],
                        message={"text": f"message {n}"},
                        status="sent" if n == 0 else "pending",
                        attempts=n,
                        created_at=T0 + n * DAY,
                        sent_at=T0 + DAY if n == 0 else None,
                        not_before=T0 + 3 * DAY,
                        extra={},
                    )
                )


async def snapshot(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of the tables revision 0011 has, in a stable order."""
    tables = [
        at_0011.communities,
        at_0011.community_admins,
        at_0011.members,
        at_0011.rounds,
        at_0011.round_groups,
        at_0011.group_members,
        at_0011.round_sat_out,
        at_0011.reflections,
        OUTBOX,
    ]
    rows: dict[str, list[tuple[Any, ...]]] = {}
    async with engine.connect() as connection:
        for table in tables:
            result = await connection.execute(select(table))
            rows[table.name] = sorted((tuple(row) for row in result), key=repr)
    return rows


@asynccontextmanager
async def connected(url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(url)
    try:
        yield engine
    finally:
        await engine.dispose()


@asynccontextmanager
async def unit_of_work(url: str) -> AsyncIterator[SqlAlchemyUnitOfWork]:
    async with connected(url) as engine, SqlAlchemyUnitOfWork(session_factory(engine)) as uow:
        yield uow


def implied_pair_history(community_id: str) -> dict[frozenset[str], int]:
    """Return the latest round each pair shared a group in, from the data written at 0011."""
    history: dict[frozenset[str], int] = {}
    for r in sorted(ROUNDS, key=lambda r: r.number):
        if r.community_id == community_id:
            for g in r.groups:
                for a in g.members:
                    for b in g.members:
                        if a < b:
                            history[frozenset((a, b))] = r.number
    return history


@pytest.fixture
async def at_0011_with_data(empty_database: str) -> AsyncIterator[str]:
    await upgrade(empty_database, "0011")
    async with connected(empty_database) as engine:
        await write_0011(engine)
    yield empty_database


class TestMigratingToProgrammes:
    async def test_every_community_gets_a_general_programme_with_its_settings(
        self, at_0011_with_data: str
    ) -> None:
        await upgrade(at_0011_with_data)
        async with unit_of_work(at_0011_with_data) as uow:
            communities = {c.id: c for c in await uow.communities.list()}
            programmes = await uow.programmes.every()
            assert await uow.programmes.named(SLACK, "GENERAL") == programmes[1]
        assert communities == {
            SLACK: Community(
                SLACK,
                "slack",
                "Acme",
                T0,
                CommunitySettings(frozenset({"U-admin", "U-boss"}), "R-mentors", False),
            ),
            DISCORD: Community(
                DISCORD, "discord", "Guild", T0 + DAY, CommunitySettings(frozenset({"U-mod"}))
            ),
        }
        assert programmes == [
            Programme(
                DISCORD,
                GENERAL,
                GENERAL,
                T0 + DAY,
                ProgrammeSettings(Cadence.FOUR_WEEKLY, 0, time(9, 30), "Europe/London", None, 2),
            ),
            Programme(
                SLACK,
                GENERAL,
                GENERAL,
                T0,
                ProgrammeSettings(
                    Cadence.WEEKLY,
                    2,
                    time(14, 45),
                    "America/New_York",
                    "C-reflections",
                    3,
                    prefer_cross_org=False,
                ),
            ),
        ]

    async def test_members_rounds_history_takeaways_and_outbox_keys_read_the_same(
        self, at_0011_with_data: str
    ) -> None:
        await upgrade(at_0011_with_data)
        async with unit_of_work(at_0011_with_data) as uow:
            for community_id in (SLACK, DISCORD):
                expected_members = [m for m in MEMBERS if m.community_id == community_id]
                every_member = await uow.members.list(community_id, programme_id=None)
                assert every_member == expected_members
                assert await uow.members.list(community_id, programme_id=GENERAL) == every_member
                assert await uow.members.memberships(community_id, "ana") == [
                    m for m in expected_members if m.member_id == "ana"
                ]
                expected_rounds = [r for r in ROUNDS if r.community_id == community_id]
                assert await uow.rounds.list(community_id, GENERAL) == expected_rounds
                assert await uow.rounds.list(community_id, None) == expected_rounds
                latest = expected_rounds[-1]
                assert await uow.rounds.latest(community_id, GENERAL) == latest
                history = await uow.rounds.pair_history(community_id, GENERAL)
                assert history == implied_pair_history(community_id)
                last_met = await uow.rounds.pair_last_met(community_id)
                assert set(last_met) == set(history)
                assert await uow.reflections.list(community_id, None) == [
                    r for r in REFLECTIONS if r.community_id == community_id
                ]
                items = await uow.outbox.list(community_id)
                assert [i.key for i in items] == OUTBOX_KEYS[community_id]
            assert await uow.reflections.for_group(SLACK, GENERAL, 2, 1) == REFLECTIONS[1]
        assert implied_pair_history(SLACK)[frozenset(("ana", "di"))] == 2  # the data has history

    async def test_the_schema_is_exactly_the_orm_schema_after_migrating_data(
        self, at_0011_with_data: str
    ) -> None:
        await upgrade(at_0011_with_data)
        async with connected(at_0011_with_data) as engine, engine.connect() as connection:
            assert await connection.run_sync(differences) == []

    async def test_migrated_data_takes_new_programmes_members_and_rounds(
        self, at_0011_with_data: str
    ) -> None:
        await upgrade(at_0011_with_data)
        data = Programme(SLACK, "data", "Data", T0 + 40 * DAY)
        async with unit_of_work(at_0011_with_data) as uow:
            assert await uow.programmes.add(Programme(SLACK, "p2", "General", T0)) is False
            assert await uow.programmes.add(data) is True
            joined = member(SLACK, "ana", MemberStatus.ACTIVE)
            joined.programme_id = "data"
            assert await uow.members.add(joined) is True
            first = a_round(SLACK, 1, RoundState.MATCHED, [Group(0, ("ana", "bo"))])
            first.programme_id = "data"
            await uow.rounds.add(first)
            await uow.commit()
        async with unit_of_work(at_0011_with_data) as uow:
            assert [m.programme_id for m in await uow.members.memberships(SLACK, "ana")] == [
                "data",
                GENERAL,
            ]
            assert await uow.rounds.pair_history(SLACK, "data") == {frozenset(("ana", "bo")): 1}
            assert await uow.rounds.pair_history(SLACK, GENERAL) == implied_pair_history(SLACK)


class TestGoingBackTo0011:
    async def test_gives_back_the_rows_revision_0011_had(self, at_0011_with_data: str) -> None:
        async with connected(at_0011_with_data) as engine:
            before = await snapshot(engine)
        await upgrade(at_0011_with_data)
        await downgrade(at_0011_with_data, "0011")
        assert await current_revision(at_0011_with_data) == "0011"
        async with connected(at_0011_with_data) as engine:
            after = await snapshot(engine)
        assert after == before
        assert len(after["group_members"]) == 11 and len(after["outbox"]) == 4

    async def test_admins_of_general_become_community_admins(self, at_0011_with_data: str) -> None:
        await upgrade(at_0011_with_data)
        async with unit_of_work(at_0011_with_data) as uow:
            general = await uow.programmes.get(DISCORD, GENERAL)
            assert general is not None
            general.settings = general.settings.replace(admins=frozenset({"U-lead", "U-mod"}))
            await uow.programmes.save(general)
            await uow.commit()
        await downgrade(at_0011_with_data, "0011")
        async with connected(at_0011_with_data) as engine:
            admins = (await snapshot(engine))["community_admins"]
        assert admins == sorted([*ADMINS, (DISCORD, "U-lead")], key=repr)

    async def test_is_refused_while_a_community_has_another_programme(
        self, at_0011_with_data: str
    ) -> None:
        await upgrade(at_0011_with_data)
        async with unit_of_work(at_0011_with_data) as uow:
            await uow.programmes.add(Programme(DISCORD, "data", "data", T0 + 40 * DAY))
            await uow.commit()
        with pytest.raises(RuntimeError, match="programme.*other than 'general'.*discord:G2"):
            await downgrade(at_0011_with_data, "0011")
        # the refused downgrade is rolled back whole, later migrations included
        assert await current_revision(at_0011_with_data) == head_revision()
        async with unit_of_work(at_0011_with_data) as uow:
            assert [p.id for p in await uow.programmes.list(DISCORD)] == [GENERAL, "data"]
            assert len(await uow.members.list(SLACK, programme_id=GENERAL)) == 6
            assert len(await uow.rounds.list(SLACK, GENERAL)) == 3
