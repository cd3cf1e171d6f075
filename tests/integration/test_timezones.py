from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError

from adapters.persistence import SqlAlchemyUnitOfWork
from pairing_core.community import Community
from pairing_core.programme import GENERAL
from tests.integration.objects import a_member, a_round

NewUow = Callable[[], SqlAlchemyUnitOfWork]

# Across a daylight-saving change, at the edges of the day, and at an odd offset.
MOMENTS = [
    datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC),
    datetime(2026, 10, 25, 1, 30, tzinfo=timezone(timedelta(hours=1))),
    datetime(2026, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-11))),
    datetime(2027, 1, 1, 5, 45, 1, tzinfo=timezone(timedelta(hours=5, minutes=45))),
]


class TestTimezones:
    @pytest.mark.parametrize("moment", MOMENTS, ids=str)
    async def test_datetimes_come_back_aware_in_utc_and_equal(
        self, community: Community, new_uow: NewUow, moment: datetime
    ) -> None:
        round_ = a_round(1)
        round_.intro_at = moment
        async with new_uow() as uow:
            await uow.members.add(a_member("ana", joined_at=moment, left_at=moment))
            await uow.rounds.add(round_)
            await uow.commit()
        async with new_uow() as uow:
            member = await uow.members.get(community.id, "ana", programme_id=GENERAL)
            stored = await uow.rounds.get(community.id, GENERAL, 1)
        assert member is not None and stored is not None
        for value in (member.joined_at, member.left_at, stored.intro_at):
            assert value == moment
            assert value is not None and value.utcoffset() == timedelta(0)

    async def test_a_naive_datetime_is_refused(
        self, community: Community, uow: SqlAlchemyUnitOfWork
    ) -> None:
        naive = datetime(2026, 6, 1, 9, 30)  # noqa: DTZ001 - the mistake under test
        async with uow:
            with pytest.raises(StatementError, match="naive datetime"):
                await uow.members.add(a_member("ana", joined_at=naive))
