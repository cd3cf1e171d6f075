"""The tables, as SQLAlchemy declarative rows; repositories turn them into domain objects."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from adapters.persistence.types import UtcDateTime

__all__ = [
    "Base",
    "BlockRow",
    "CommunityAdminRow",
    "CommunityRow",
    "DeliveryPauseRow",
    "GroupMemberRow",
    "MemberRow",
    "MembershipRow",
    "OutboxRow",
    "PlaygroundClockRow",
    "ProgrammeAdminRow",
    "ProgrammeRow",
    "ReflectionRow",
    "RoundChoiceRow",
    "RoundGroupRow",
    "RoundRow",
    "SatOutRow",
    "metadata",
]

# Explicit names, so a constraint is called the same on SQLite and PostgreSQL and later migrations
# can drop or alter it by name. Foreign keys are named after the referred table (no table has two
# to the same one) to stay under PostgreSQL's 63-character limit.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

# Enumerations are stored as their string values in plain columns: adding a state later is then a
# code change, not a migration of a database enum type.
STATE = String(16)
# The convention would name the takeaway key after its 4 columns: 65 characters, over
# PostgreSQL's 63, so it is named by hand.
ONE_PER_GROUP = "uq_reflections_programme_round_group"
# A person's working hours until they set their own (see pairing_core.working_hours).
WORK_START, WORK_END = "09:00:00", "17:00:00"


class Base(DeclarativeBase):
    metadata = metadata
    type_annotation_map = {
        datetime: UtcDateTime(),
        time: Time(),
        list[str]: JSON(),
        dict[str, Any]: JSON(),
    }


def _owned_by_community() -> ForeignKey:
    return ForeignKey("communities.id", ondelete="CASCADE")


class CommunityRow(Base):
    __tablename__ = "communities"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    name: Mapped[str]
    created_at: Mapped[datetime]
    admin_role: Mapped[str | None] = mapped_column(String(64))
    # Repeat avoidance counts meetings in every programme of the community.
    shared_history: Mapped[bool] = mapped_column(server_default=false())


class CommunityAdminRow(Base):
    """An admin of every programme of the community."""

    __tablename__ = "community_admins"

    community_id: Mapped[str] = mapped_column(_owned_by_community(), primary_key=True)
    member_id: Mapped[str] = mapped_column(primary_key=True)


PROGRAMME_ID = String(40)


class ProgrammeRow(Base):
    """One pool of a community; ``name_key`` (the name in lower case) keeps names unique."""

    __tablename__ = "programmes"
    __table_args__ = (UniqueConstraint("community_id", "name_key"),)

    community_id: Mapped[str] = mapped_column(_owned_by_community(), primary_key=True)
    id: Mapped[str] = mapped_column(PROGRAMME_ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    name_key: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime]
    cadence: Mapped[str] = mapped_column(STATE)
    weekday: Mapped[int]
    local_time: Mapped[time]
    timezone: Mapped[str] = mapped_column(String(64))
    reflections_channel: Mapped[str | None]
    group_size: Mapped[int]
    prefer_cross_org: Mapped[bool]
    intros_channel: Mapped[str | None]
    nudge_days: Mapped[int | None] = mapped_column(server_default="2")  # None: no reminder
    # None: nobody is paused for being quiet
    quiet_after: Mapped[int | None] = mapped_column(server_default="3")
    heads_up_days: Mapped[int | None] = mapped_column(server_default="1")  # None: no heads-up
    mode: Mapped[str] = mapped_column(STATE, server_default="always")  # or "opt-in"
    archived_at: Mapped[datetime | None]
    channel: Mapped[str | None]  # Slack: the channel whose members are the programme's
    role: Mapped[str | None]  # Discord: the role whose holders are the programme's


def _owned_by_programme() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["community_id", "programme_id"],
        ["programmes.community_id", "programmes.id"],
        ondelete="CASCADE",
    )


class ProgrammeAdminRow(Base):
    """An admin of one programme only."""

    __tablename__ = "programme_admins"
    __table_args__ = (_owned_by_programme(),)

    community_id: Mapped[str] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(PROGRAMME_ID, primary_key=True)
    member_id: Mapped[str] = mapped_column(primary_key=True)


class MemberRow(Base):
    """A person of the community; what they do in each programme is a ``MembershipRow``."""

    __tablename__ = "members"

    community_id: Mapped[str] = mapped_column(_owned_by_community(), primary_key=True)
    member_id: Mapped[str] = mapped_column(primary_key=True)
    display_name: Mapped[str]
    organisation: Mapped[str | None]
    contact: Mapped[str | None]
    about: Mapped[str | None]
    timezone: Mapped[str | None] = mapped_column(String(64))
    # when ``timezone`` was last taken from the platform; NULL: set by command, or never taken
    timezone_synced_at: Mapped[datetime | None]
    work_start: Mapped[time] = mapped_column(server_default=WORK_START)
    work_end: Mapped[time] = mapped_column(server_default=WORK_END)


class MembershipRow(Base):
    """A person's part in one programme; the index serves "every programme of this person"."""

    __tablename__ = "memberships"
    __table_args__ = (
        ForeignKeyConstraint(
            ["community_id", "member_id"],
            ["members.community_id", "members.member_id"],
            ondelete="CASCADE",
        ),
        _owned_by_programme(),
        Index(None, "community_id", "member_id"),
    )

    community_id: Mapped[str] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(PROGRAMME_ID, primary_key=True)
    member_id: Mapped[str] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(STATE)
    paused_until: Mapped[date | None]
    joined_at: Mapped[datetime]
    left_at: Mapped[datetime | None]


class BlockRow(Base):
    """A blocked pair, ``first`` < ``second``; the whole row is the key, so it is stored once."""

    __tablename__ = "blocks"

    community_id: Mapped[str] = mapped_column(_owned_by_community(), primary_key=True)
    first: Mapped[str] = mapped_column(primary_key=True)
    second: Mapped[str] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(STATE, primary_key=True)
    author: Mapped[str] = mapped_column(primary_key=True)


class RoundRow(Base):
    __tablename__ = "rounds"
    __table_args__ = (_owned_by_programme(),)

    community_id: Mapped[str] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(PROGRAMME_ID, primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    state: Mapped[str] = mapped_column(STATE)
    intro_at: Mapped[datetime]
    checkin_at: Mapped[datetime]
    reflection_at: Mapped[datetime]
    close_at: Mapped[datetime]
    seed: Mapped[int | None] = mapped_column(BigInteger)
    announced_at: Mapped[datetime | None]  # when the heads-up step ran


def _owned_by_round() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["community_id", "programme_id", "round_number"],
        ["rounds.community_id", "rounds.programme_id", "rounds.number"],
        ondelete="CASCADE",
    )


class RoundGroupRow(Base):
    __tablename__ = "round_groups"
    __table_args__ = (_owned_by_round(),)

    community_id: Mapped[str] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(PROGRAMME_ID, primary_key=True)
    round_number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    group_index: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    checkin: Mapped[str | None] = mapped_column(STATE)
    checkin_by: Mapped[str | None]
    # Whether the matcher grouped members of 2+ organisations; NULL for groups stored before 0004.
    cross_organisation: Mapped[bool | None]
    # When the suggested slot the group booked starts; NULL: no slot was booked (0015).
    booked_slot_at: Mapped[datetime | None]


class GroupMemberRow(Base):
    """One member of one group; the key's prefix serves the self-join behind pair history."""

    __tablename__ = "group_members"
    __table_args__ = (
        ForeignKeyConstraint(
            ["community_id", "programme_id", "round_number", "group_index"],
            [
                "round_groups.community_id",
                "round_groups.programme_id",
                "round_groups.round_number",
                "round_groups.group_index",
            ],
            ondelete="CASCADE",
        ),
    )

    community_id: Mapped[str] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(PROGRAMME_ID, primary_key=True)
    round_number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    group_index: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    member_id: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int]  # the order the matcher listed the group in
    # Left the programme while the round ran: out of this group for good, even after rejoining.
    departed: Mapped[bool] = mapped_column(server_default=false())


class SatOutRow(Base):
    __tablename__ = "round_sat_out"
    __table_args__ = (_owned_by_round(),)

    community_id: Mapped[str] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(PROGRAMME_ID, primary_key=True)
    round_number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    member_id: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)


class ReflectionRow(Base):
    __tablename__ = "reflections"
    # Owned by the round rather than the group: replacing a round's groups must not delete them.
    # One takeaway per group: the key refuses a second one however close together they arrive.
    __table_args__ = (
        _owned_by_round(),
        UniqueConstraint(
            "community_id", "programme_id", "round_number", "group_index", name=ONE_PER_GROUP
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    community_id: Mapped[str]
    programme_id: Mapped[str] = mapped_column(PROGRAMME_ID)
    round_number: Mapped[int]
    group_index: Mapped[int]
    author: Mapped[str]
    authors: Mapped[list[str]]
    text: Mapped[str] = mapped_column(Text)
    public: Mapped[bool]
    rating: Mapped[int | None]
    created_at: Mapped[datetime]


class DeliveryPauseRow(Base):
    """A platform asked to wait: the community's items that may make ``call`` next wait until then."""

    __tablename__ = "delivery_pauses"

    community_id: Mapped[str] = mapped_column(_owned_by_community(), primary_key=True)
    call: Mapped[str] = mapped_column(String(32), primary_key=True)
    until: Mapped[datetime]


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("community_id", "key"),
        Index(None, "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    community_id: Mapped[str] = mapped_column(_owned_by_community())
    key: Mapped[str]
    target_kind: Mapped[str] = mapped_column(STATE)
    target_ids: Mapped[list[str]]
    message: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(STATE)
    attempts: Mapped[int]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    conversation_id: Mapped[str | None]
    not_before: Mapped[datetime | None]
    extra: Mapped[dict[str, Any]]
    # the delivery worker holding the lease (``adapters.persistence.delivery_workers``)
    claimed_by: Mapped[int | None]
    attempt_started_at: Mapped[datetime | None]


class PlaygroundClockRow(Base):
    """The playground's simulated time, kept with its data so a restart resumes at that time."""

    __tablename__ = "playground_clocks"

    community_id: Mapped[str] = mapped_column(_owned_by_community(), primary_key=True)
    simulated_now: Mapped[datetime]


class RoundChoiceRow(Base):
    """A member's choice for one round before it is matched: skip it, or be in it."""

    __tablename__ = "round_choices"
    __table_args__ = (_owned_by_round(),)

    community_id: Mapped[str] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(PROGRAMME_ID, primary_key=True)
    round_number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    member_id: Mapped[str] = mapped_column(primary_key=True)
    choice: Mapped[str] = mapped_column(STATE)  # "skip" or "in"
