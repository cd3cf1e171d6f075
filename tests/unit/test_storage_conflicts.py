"""A command whose transaction clashed in storage with another one made at the same moment runs
once more, and always gets an answer."""

from __future__ import annotations

import random

from pairing_core.dispatch import handle_text
from pairing_core.errors import StorageConflict
from pairing_core.programme import GENERAL, ProgrammeSettings
from pairing_core.services.community_setup import ensure_community
from pairing_core.services.context import Actor, Services
from tests.unit.conftest import COMMUNITY, START
from tests.unit.fakes import FakeClock, FakeUnitOfWork


class ClashingUnitOfWork(FakeUnitOfWork):
    """Refuses the next ``clashes`` commits as storage refuses a key stored twice at once."""

    def __init__(self) -> None:
        super().__init__()
        self.clashes = 0

    async def commit(self) -> None:
        if self.clashes:
            self.clashes -= 1
            raise StorageConflict("duplicate key")
        await super().commit()


async def world() -> tuple[ClashingUnitOfWork, Services]:
    uow = ClashingUnitOfWork()
    await ensure_community(uow, START, COMMUNITY, "test", "Test", ProgrammeSettings())
    return uow, Services(uow, FakeClock(START), random.Random(1))


class TestAClashInStorage:
    async def test_the_command_runs_again_and_answers_from_what_is_stored(self) -> None:
        uow, services = await world()
        uow.clashes = 1
        reply = await handle_text("join", Actor("ann", "Ann"), COMMUNITY, services)
        assert reply.text.startswith("You're in the pot!")
        async with uow:
            assert [
                m.member_id for m in await uow.members.list(COMMUNITY, programme_id=GENERAL)
            ] == ["ann"]

    async def test_a_second_clash_is_answered_with_a_reason_to_try_again(self) -> None:
        uow, services = await world()
        uow.clashes = 2
        reply = await handle_text("join", Actor("ann", "Ann"), COMMUNITY, services)
        assert reply.text == (
            "That clashed with another change made at the same moment, so nothing was done. "
            "Please try again."
        )
        async with uow:
            assert await uow.members.list(COMMUNITY, programme_id=GENERAL) == []
