"""Typed values are checked before storage, with the same reply on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, String

from adapters.persistence import SqlAlchemyUnitOfWork
from adapters.persistence.rows import (
    BlockRow,
    CommunityAdminRow,
    CommunityRow,
    GroupMemberRow,
    MemberRow,
    ProgrammeRow,
    ReflectionRow,
)
from pairing_core import typed_input as t
from pairing_core.dispatch import handle_text
from pairing_core.programme import GENERAL
from pairing_core.services.community_setup import ensure_community
from pairing_core.services.context import Actor
from tests.unit.conftest import COMMUNITY, World

NewUow = Callable[[], SqlAlchemyUnitOfWork]

# Where each kind of typed value is stored: its limit must fit every one of these columns.
COLUMNS: dict[t.Field, tuple[object, ...]] = {
    t.ORGANISATION: (MemberRow.organisation,),
    t.CONTACT: (MemberRow.contact,),
    t.ABOUT: (MemberRow.about,),
    t.TAKEAWAY: (ReflectionRow.text,),
    t.DISPLAY_NAME: (MemberRow.display_name,),
    t.COMMUNITY_NAME: (CommunityRow.name,),
    t.MEMBER_ID: (
        MemberRow.member_id,
        BlockRow.first,
        BlockRow.second,
        CommunityAdminRow.member_id,
        GroupMemberRow.member_id,
    ),
    t.ADMIN_ROLE: (CommunityRow.admin_role, ProgrammeRow.role),
    t.CHANNEL: (
        ProgrammeRow.reflections_channel,
        ProgrammeRow.intros_channel,
        ProgrammeRow.channel,
    ),
    t.TIMEZONE: (ProgrammeRow.timezone, MemberRow.timezone),
    t.PROGRAMME_NAME: (ProgrammeRow.name, ProgrammeRow.name_key, ProgrammeRow.id),
    t.SETTING_VALUE: (),  # read into one of the values above before it is stored
}


def _length(attribute: object) -> int | None:
    column = attribute.property.columns[0]  # type: ignore[attr-defined]
    assert isinstance(column, Column) and isinstance(column.type, String)
    return column.type.length


class TestLimitsFitTheColumns:
    def test_every_field_is_mapped_to_where_it_is_stored(self) -> None:
        assert set(COLUMNS) == set(t.FIELDS)

    @pytest.mark.parametrize("field", t.FIELDS, ids=lambda f: f.name)
    def test_the_core_limit_is_no_longer_than_the_column(self, field: t.Field) -> None:
        for attribute in COLUMNS[field]:
            length = _length(attribute)
            assert length is None or field.limit <= length, (field.name, attribute)

    def test_the_admin_role_limit_is_exactly_its_column(self) -> None:
        assert _length(CommunityRow.admin_role) == t.ADMIN_ROLE.limit


async def joined(new_uow: NewUow) -> World:
    world = World(new_uow())
    await world.setup()
    await world.say("alice", "join Devon CC")
    await world.say("alice", "contact call me")
    return world


class TestRefusedBeforeStorage:
    async def test_a_nul_in_an_organisation_is_refused_and_nothing_stored(
        self, new_uow: NewUow
    ) -> None:
        world = World(new_uow())
        await world.setup()
        reply = await world.say("bob", "join Leeds\x00CC")
        assert reply.startswith("Your organisation holds a control character (U+0000)")
        async with new_uow() as uow:
            assert await uow.members.get(COMMUNITY, "bob", programme_id=GENERAL) is None

    async def test_a_nul_in_a_contact_note_is_refused_and_the_old_note_kept(
        self, new_uow: NewUow
    ) -> None:
        world = await joined(new_uow)
        reply = await world.say("alice", "contact zoom\x00link")
        assert reply.startswith("Your contact note holds a control character (U+0000)")
        async with new_uow() as uow:
            member = await uow.members.get(COMMUNITY, "alice", programme_id=GENERAL)
        assert member is not None and member.contact == "call me"

    async def test_an_admin_role_longer_than_its_column_is_refused_on_every_database(
        self, new_uow: NewUow
    ) -> None:
        world = await joined(new_uow)
        reply = await world.say("boss", "admin settings admin-role=" + "r" * 65, admin=True)
        assert reply == f"'{'r' * 40}…' is not a role I recognise: give @role or none."
        async with new_uow() as uow:
            community = await uow.communities.get(COMMUNITY)
        assert community is not None and community.settings.admin_role is None

    async def test_a_nul_in_a_takeaway_is_refused_and_nothing_stored(self, new_uow: NewUow) -> None:
        world = await joined(new_uow)
        await world.say("bob", "join")
        await world.tick(days=5)
        reply = await world.say("alice", "reflect Good\x00chat")
        assert reply.startswith("Your takeaway holds a control character (U+0000)")
        async with new_uow() as uow:
            assert await uow.reflections.list(COMMUNITY, GENERAL) == []

    async def test_a_display_name_with_control_characters_is_stored_tidied(
        self, new_uow: NewUow
    ) -> None:
        world = World(new_uow())
        await world.setup()
        reply = await handle_text("join", Actor("U7", "Ann\x00\nLee"), COMMUNITY, world.services)
        assert reply.text.startswith("You're in the pot")
        async with new_uow() as uow:
            member = await uow.members.get(COMMUNITY, "U7", programme_id=GENERAL)
        assert member is not None and member.display_name == "Ann Lee"

    async def test_a_community_name_with_control_characters_is_stored_tidied(
        self, new_uow: NewUow
    ) -> None:
        now = datetime(2026, 3, 4, tzinfo=UTC)
        await ensure_community(new_uow(), now, "T9", "slack", "Work\x00space\n")
        async with new_uow() as uow:
            community = await uow.communities.get("T9")
        assert community is not None and community.name == "Work space"
