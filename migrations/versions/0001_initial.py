"""Create the initial schema: communities, members, blocks, rounds, reflections, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 11:40:08.611911

Timestamps are DateTime(timezone=True): the rows use UtcDateTime, a TypeDecorator over it,
which keeps them aware on SQLite too; migrations need only the column type.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "communities",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cadence", sa.String(length=16), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("local_time", sa.Time(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("reflections_channel", sa.String(), nullable=True),
        sa.Column("group_size", sa.Integer(), nullable=False),
        sa.Column("prefer_cross_org", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communities")),
    )
    op.create_table(
        "blocks",
        sa.Column("community_id", sa.String(), nullable=False),
        sa.Column("first", sa.String(), nullable=False),
        sa.Column("second", sa.String(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_blocks_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "community_id", "first", "second", "kind", "author", name=op.f("pk_blocks")
        ),
    )
    op.create_table(
        "community_admins",
        sa.Column("community_id", sa.String(), nullable=False),
        sa.Column("member_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_community_admins_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("community_id", "member_id", name=op.f("pk_community_admins")),
    )
    op.create_table(
        "members",
        sa.Column("community_id", sa.String(), nullable=False),
        sa.Column("member_id", sa.String(), nullable=False),
        sa.Column("display_name", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("organisation", sa.String(), nullable=True),
        sa.Column("contact", sa.String(), nullable=True),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_members_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("community_id", "member_id", name=op.f("pk_members")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("community_id", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("target_kind", sa.String(length=16), nullable=False),
        sa.Column("target_ids", sa.JSON(), nullable=False),
        sa.Column("message", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("conversation_id", sa.String(), nullable=True),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_outbox_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("community_id", "key", name=op.f("uq_outbox_community_id_key")),
    )
    op.create_index(
        op.f("ix_outbox_status_created_at"), "outbox", ["status", "created_at"], unique=False
    )
    op.create_table(
        "rounds",
        sa.Column("community_id", sa.String(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("intro_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checkin_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reflection_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("close_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_rounds_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("community_id", "number", name=op.f("pk_rounds")),
    )
    op.create_table(
        "reflections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("community_id", sa.String(), nullable=False),
        sa.Column("round_number", sa.Integer(), nullable=False),
        sa.Column("group_index", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id", "round_number"],
            ["rounds.community_id", "rounds.number"],
            name=op.f("fk_reflections_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflections")),
    )
    op.create_index(
        op.f("ix_reflections_community_id_round_number_group_index"),
        "reflections",
        ["community_id", "round_number", "group_index"],
        unique=False,
    )
    op.create_table(
        "round_groups",
        sa.Column("community_id", sa.String(), nullable=False),
        sa.Column("round_number", sa.Integer(), nullable=False),
        sa.Column("group_index", sa.Integer(), nullable=False),
        sa.Column("checkin", sa.String(length=16), nullable=True),
        sa.Column("checkin_by", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id", "round_number"],
            ["rounds.community_id", "rounds.number"],
            name=op.f("fk_round_groups_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "community_id", "round_number", "group_index", name=op.f("pk_round_groups")
        ),
    )
    op.create_table(
        "round_sat_out",
        sa.Column("community_id", sa.String(), nullable=False),
        sa.Column("round_number", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id", "round_number"],
            ["rounds.community_id", "rounds.number"],
            name=op.f("fk_round_sat_out_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "community_id", "round_number", "member_id", name=op.f("pk_round_sat_out")
        ),
    )
    op.create_table(
        "group_members",
        sa.Column("community_id", sa.String(), nullable=False),
        sa.Column("round_number", sa.Integer(), nullable=False),
        sa.Column("group_index", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id", "round_number", "group_index"],
            ["round_groups.community_id", "round_groups.round_number", "round_groups.group_index"],
            name=op.f("fk_group_members_round_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "community_id",
            "round_number",
            "group_index",
            "member_id",
            name=op.f("pk_group_members"),
        ),
    )


def downgrade() -> None:
    op.drop_table("group_members")
    op.drop_table("round_sat_out")
    op.drop_table("round_groups")
    op.drop_index(
        op.f("ix_reflections_community_id_round_number_group_index"), table_name="reflections"
    )
    op.drop_table("reflections")
    op.drop_table("rounds")
    op.drop_index(op.f("ix_outbox_status_created_at"), table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("members")
    op.drop_table("community_admins")
    op.drop_table("blocks")
    op.drop_table("communities")
