"""The tables as revision 0011 left them (one pool per community), for writing data to migrate.

Only the columns are described (the database already has the keys); the types bind values the
way the rows did then, timestamps in UTC on SQLite included.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
)

from adapters.persistence.types import UtcDateTime

__all__ = [
    "community_admins",
    "communities",
    "group_members",
    "members",
    "reflections",
    "round_groups",
    "round_sat_out",
    "rounds",
]

_metadata = MetaData()

communities = Table(
    "communities",
    _metadata,
    Column("id", String),
    Column("platform", String),
    Column("name", String),
    Column("created_at", UtcDateTime()),
    Column("cadence", String),
    Column("weekday", Integer),
    Column("local_time", Time),
    Column("timezone", String),
    Column("reflections_channel", String),
    Column("group_size", Integer),
    Column("prefer_cross_org", Boolean),
    Column("admin_role", String),
)
community_admins = Table(
    "community_admins", _metadata, Column("community_id", String), Column("member_id", String)
)
members = Table(
    "members",
    _metadata,
    Column("community_id", String),
    Column("member_id", String),
    Column("display_name", String),
    Column("status", String),
    Column("organisation", String),
    Column("contact", String),
    Column("paused_until", Date),
    Column("joined_at", UtcDateTime()),
    Column("left_at", UtcDateTime()),
)
rounds = Table(
    "rounds",
    _metadata,
    Column("community_id", String),
    Column("number", Integer),
    Column("state", String),
    Column("intro_at", UtcDateTime()),
    Column("checkin_at", UtcDateTime()),
    Column("reflection_at", UtcDateTime()),
    Column("close_at", UtcDateTime()),
    Column("seed", BigInteger),
)
round_groups = Table(
    "round_groups",
    _metadata,
    Column("community_id", String),
    Column("round_number", Integer),
    Column("group_index", Integer),
    Column("checkin", String),
    Column("checkin_by", String),
    Column("cross_organisation", Boolean),
)
group_members = Table(
    "group_members",
    _metadata,
    Column("community_id", String),
    Column("round_number", Integer),
    Column("group_index", Integer),
    Column("member_id", String),
    Column("position", Integer),
    Column("departed", Boolean),
)
round_sat_out = Table(
    "round_sat_out",
    _metadata,
    Column("community_id", String),
    Column("round_number", Integer),
    Column("member_id", String),
    Column("position", Integer),
    Column("reason", Text),
)
reflections = Table(
    "reflections",
    _metadata,
    Column("id", Integer),
    Column("community_id", String),
    Column("round_number", Integer),
    Column("group_index", Integer),
    Column("author", String),
    Column("authors", JSON),
    Column("text", Text),
    Column("public", Boolean),
    Column("rating", Integer),
    Column("created_at", UtcDateTime()),
)
