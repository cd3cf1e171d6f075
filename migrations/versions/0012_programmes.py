"""Programmes: several pools per community, each with its own settings, admins, members and rounds.

Every community gets one programme, "general" (id and name), holding the settings it had; its
admins stay community admins (admins of every programme). A member row becomes the person
(name, organisation, contact) and their status and dates move to a membership of "general".
Rounds, their groups, group members, sat-out members and takeaways gain ``programme_id`` =
"general" in their keys. Outbox rows, their keys and delivery pauses are not touched: items of
"general" keep the keys they had.

Downgrading refuses while any community has a programme other than "general" (or a membership
of one): revision 0011 holds one pool per community, so those members, rounds and history
would be lost. Otherwise "general"'s settings move back to the community and its admins become
community admins; its channel or role binding, intros channel and archiving, and the
community's ``shared_history`` choice, have no place in 0011 and are dropped.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENERAL = "general"
_PROGRAMME_ID = sa.String(length=40)
_OLD_TAKEAWAY_KEY = "uq_reflections_community_id_round_number_group_index"
_TAKEAWAY_KEY = "uq_reflections_programme_round_group"

# The community settings that become the settings of each programme, and whether they may be NULL.
_SETTINGS: tuple[tuple[str, sa.types.TypeEngine[Any], bool], ...] = (
    ("cadence", sa.String(length=16), False),
    ("weekday", sa.Integer(), False),
    ("local_time", sa.Time(), False),
    ("timezone", sa.String(length=64), False),
    ("reflections_channel", sa.String(), True),
    ("group_size", sa.Integer(), False),
    ("prefer_cross_org", sa.Boolean(), False),
)
# A member's columns that become their membership of "general", and whether they may be NULL.
_MEMBERSHIP: tuple[tuple[str, sa.types.TypeEngine[Any], bool], ...] = (
    ("status", sa.String(length=16), False),
    ("paused_until", sa.Date(), True),
    ("joined_at", sa.DateTime(timezone=True), False),
    ("left_at", sa.DateTime(timezone=True), True),
)


class _Key:
    """What keys a table of rounds (or of their parts): its primary key and its owner."""

    def __init__(
        self,
        table: str,
        columns: list[str],
        parent: str,
        parent_columns: list[str],
        *,
        primary: bool = True,
    ) -> None:
        self.table = table
        self.columns = columns  # without programme_id, as at 0011
        self.parent = parent
        self.parent_columns = parent_columns  # without programme_id
        self.primary = primary  # reflections have a surrogate key and a unique one instead

    @property
    def fk(self) -> str:
        return f"fk_{self.table}_{self.parent}"

    def with_programme(self, columns: list[str]) -> list[str]:
        return [columns[0], "programme_id", *columns[1:]]


# Children first: a key may be dropped only once nothing refers to it.
_ROUND_TABLES = (
    _Key(
        "reflections",
        ["community_id", "round_number", "group_index"],
        "rounds",
        ["community_id", "number"],
        primary=False,
    ),
    _Key(
        "group_members",
        ["community_id", "round_number", "group_index", "member_id"],
        "round_groups",
        ["community_id", "round_number", "group_index"],
    ),
    _Key(
        "round_sat_out",
        ["community_id", "round_number", "member_id"],
        "rounds",
        ["community_id", "number"],
    ),
    _Key(
        "round_groups",
        ["community_id", "round_number", "group_index"],
        "rounds",
        ["community_id", "number"],
    ),
)


def _create_programmes() -> None:
    op.create_table(
        "programmes",
        sa.Column("community_id", sa.String(), nullable=False),
        sa.Column("id", _PROGRAMME_ID, nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("name_key", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *(sa.Column(name, type_, nullable=nullable) for name, type_, nullable in _SETTINGS),
        sa.Column("intros_channel", sa.String(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("channel", sa.String(), nullable=True),
        sa.Column("role", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_programmes_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("community_id", "id", name=op.f("pk_programmes")),
        sa.UniqueConstraint(
            "community_id", "name_key", name=op.f("uq_programmes_community_id_name_key")
        ),
    )
    op.create_table(
        "programme_admins",
        sa.Column("community_id", sa.String(), nullable=False),
        sa.Column("programme_id", _PROGRAMME_ID, nullable=False),
        sa.Column("member_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id", "programme_id"],
            ["programmes.community_id", "programmes.id"],
            name=op.f("fk_programme_admins_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "community_id", "programme_id", "member_id", name=op.f("pk_programme_admins")
        ),
    )
    settings = ", ".join(name for name, _, _ in _SETTINGS)
    op.execute(
        sa.text(
            f"INSERT INTO programmes (community_id, id, name, name_key, created_at, {settings}) "
            f"SELECT id, :general, :general, :general, created_at, {settings} FROM communities"
        ).bindparams(general=GENERAL)
    )
    with op.batch_alter_table("communities") as batch:
        for name, _, _ in _SETTINGS:
            batch.drop_column(name)
        batch.add_column(
            sa.Column("shared_history", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def _create_memberships() -> None:
    op.create_table(
        "memberships",
        sa.Column("community_id", sa.String(), nullable=False),
        sa.Column("programme_id", _PROGRAMME_ID, nullable=False),
        sa.Column("member_id", sa.String(), nullable=False),
        *(sa.Column(name, type_, nullable=nullable) for name, type_, nullable in _MEMBERSHIP),
        sa.ForeignKeyConstraint(
            ["community_id", "member_id"],
            ["members.community_id", "members.member_id"],
            name=op.f("fk_memberships_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["community_id", "programme_id"],
            ["programmes.community_id", "programmes.id"],
            name=op.f("fk_memberships_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "community_id", "programme_id", "member_id", name=op.f("pk_memberships")
        ),
    )
    op.create_index(
        op.f("ix_memberships_community_id_member_id"),
        "memberships",
        ["community_id", "member_id"],
        unique=False,
    )
    columns = ", ".join(name for name, _, _ in _MEMBERSHIP)
    op.execute(
        sa.text(
            f"INSERT INTO memberships (community_id, programme_id, member_id, {columns}) "
            f"SELECT community_id, :general, member_id, {columns} FROM members"
        ).bindparams(general=GENERAL)
    )
    with op.batch_alter_table("members") as batch:
        for name, _, _ in _MEMBERSHIP:
            batch.drop_column(name)


def _key_rounds_by_programme() -> None:
    # Children first: drop each table's reference to its owner and its own key, then add the
    # column (filled with "general" by its default).
    for key in _ROUND_TABLES:
        with op.batch_alter_table(key.table) as batch:
            batch.drop_constraint(key.fk, type_="foreignkey")
            if key.primary:
                batch.drop_constraint(f"pk_{key.table}", type_="primary")
            else:
                batch.drop_constraint(_OLD_TAKEAWAY_KEY, type_="unique")
            batch.add_column(
                sa.Column("programme_id", _PROGRAMME_ID, server_default=GENERAL, nullable=False)
            )
    with op.batch_alter_table("rounds") as batch:
        batch.drop_constraint("fk_rounds_communities", type_="foreignkey")
        batch.drop_constraint("pk_rounds", type_="primary")
        batch.add_column(
            sa.Column("programme_id", _PROGRAMME_ID, server_default=GENERAL, nullable=False)
        )
    # Owners first: the new keys, and the references to them.
    with op.batch_alter_table("rounds") as batch:
        batch.alter_column("programme_id", existing_type=_PROGRAMME_ID, server_default=None)
        batch.create_primary_key("pk_rounds", ["community_id", "programme_id", "number"])
        batch.create_foreign_key(
            "fk_rounds_programmes",
            "programmes",
            ["community_id", "programme_id"],
            ["community_id", "id"],
            ondelete="CASCADE",
        )
    for key in reversed(_ROUND_TABLES):
        with op.batch_alter_table(key.table) as batch:
            batch.alter_column("programme_id", existing_type=_PROGRAMME_ID, server_default=None)
            if key.primary:
                batch.create_primary_key(f"pk_{key.table}", key.with_programme(key.columns))
            else:
                batch.create_unique_constraint(_TAKEAWAY_KEY, key.with_programme(key.columns))
            batch.create_foreign_key(
                key.fk,
                key.parent,
                key.with_programme(key.columns[: len(key.parent_columns)]),
                key.with_programme(key.parent_columns),
                ondelete="CASCADE",
            )


def upgrade() -> None:
    _create_programmes()
    _create_memberships()
    _key_rounds_by_programme()


def _refuse_to_lose_programmes(connection: sa.Connection) -> None:
    others = connection.execute(
        sa.text(
            "SELECT community_id, id FROM programmes WHERE id <> :general "
            "UNION SELECT community_id, programme_id FROM memberships WHERE programme_id <> :general "
            "ORDER BY 1, 2"
        ),
        {"general": GENERAL},
    ).all()
    if others:
        shown = ", ".join(f"{community} {programme!r}" for community, programme in others[:10])
        raise RuntimeError(
            f"Cannot downgrade below revision 0012: {len(others)} programme(s) other than "
            f"'general' exist ({shown}). Revision 0011 has one pool per community, so their "
            "members, rounds and history would be lost. Export and remove them first."
        )
    without = (
        connection.execute(
            sa.text(
                "SELECT id FROM communities WHERE id NOT IN "
                "(SELECT community_id FROM programmes WHERE id = :general) ORDER BY id"
            ),
            {"general": GENERAL},
        )
        .scalars()
        .all()
    )
    if without:
        raise RuntimeError(
            "Cannot downgrade below revision 0012: these communities have no 'general' "
            f"programme to take their settings from: {', '.join(without[:10])}."
        )


def _key_rounds_by_community() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.drop_constraint("fk_rounds_programmes", type_="foreignkey")
    for key in _ROUND_TABLES:
        with op.batch_alter_table(key.table) as batch:
            batch.drop_constraint(key.fk, type_="foreignkey")
            if key.primary:
                batch.drop_constraint(f"pk_{key.table}", type_="primary")
            else:
                batch.drop_constraint(_TAKEAWAY_KEY, type_="unique")
            batch.drop_column("programme_id")
            if key.primary:
                batch.create_primary_key(f"pk_{key.table}", key.columns)
            else:
                batch.create_unique_constraint(_OLD_TAKEAWAY_KEY, key.columns)
    with op.batch_alter_table("rounds") as batch:
        batch.drop_constraint("pk_rounds", type_="primary")
        batch.drop_column("programme_id")
        batch.create_primary_key("pk_rounds", ["community_id", "number"])
        batch.create_foreign_key(
            "fk_rounds_communities", "communities", ["community_id"], ["id"], ondelete="CASCADE"
        )
    for key in reversed(_ROUND_TABLES):
        with op.batch_alter_table(key.table) as batch:
            batch.create_foreign_key(
                key.fk,
                key.parent,
                key.columns[: len(key.parent_columns)],
                key.parent_columns,
                ondelete="CASCADE",
            )


def _restore_member_columns() -> None:
    with op.batch_alter_table("members") as batch:
        for name, type_, _ in _MEMBERSHIP:
            batch.add_column(sa.Column(name, type_, nullable=True))
    for name, _, _ in _MEMBERSHIP:
        op.execute(
            sa.text(
                f"UPDATE members SET {name} = (SELECT m.{name} FROM memberships m "
                "WHERE m.community_id = members.community_id "
                "AND m.member_id = members.member_id AND m.programme_id = :general)"
            ).bindparams(general=GENERAL)
        )
    # A person with no membership of "general" (none is stored so today) reads as having left.
    op.execute(
        sa.text(
            "UPDATE members SET status = 'left', joined_at = (SELECT c.created_at "
            "FROM communities c WHERE c.id = members.community_id) WHERE status IS NULL"
        )
    )
    with op.batch_alter_table("members") as batch:
        for name, type_, nullable in _MEMBERSHIP:
            if not nullable:
                batch.alter_column(name, existing_type=type_, nullable=False)
    op.drop_index(op.f("ix_memberships_community_id_member_id"), table_name="memberships")
    op.drop_table("memberships")


def _restore_community_settings() -> None:
    with op.batch_alter_table("communities") as batch:
        batch.drop_column("shared_history")
        for name, type_, _ in _SETTINGS:
            batch.add_column(sa.Column(name, type_, nullable=True))
    for name, _, _ in _SETTINGS:
        op.execute(
            sa.text(
                f"UPDATE communities SET {name} = (SELECT p.{name} FROM programmes p "
                "WHERE p.community_id = communities.id AND p.id = :general)"
            ).bindparams(general=GENERAL)
        )
    with op.batch_alter_table("communities") as batch:
        for name, type_, nullable in _SETTINGS:
            if not nullable:
                batch.alter_column(name, existing_type=type_, nullable=False)
    # With one programme, its admins were admins of the community.
    op.execute(
        sa.text(
            "INSERT INTO community_admins (community_id, member_id) "
            "SELECT DISTINCT a.community_id, a.member_id FROM programme_admins a "
            "WHERE a.programme_id = :general AND NOT EXISTS (SELECT 1 FROM community_admins c "
            "WHERE c.community_id = a.community_id AND c.member_id = a.member_id)"
        ).bindparams(general=GENERAL)
    )
    op.drop_table("programme_admins")
    op.drop_table("programmes")


def downgrade() -> None:
    _refuse_to_lose_programmes(op.get_bind())
    _key_rounds_by_community()
    _restore_member_columns()
    _restore_community_settings()
