"""One takeaway per group, and a group's members who left it mid-round.

Two takeaways submitted at once for one group could both be stored (the use case checked, then
inserted). Before the unique key on (community, round, group) can be added, each group keeps one:
the one whose text its takeaway post in the outbox shows, when exactly one does, else the
earliest. The others are deleted. Downgrading keeps the survivors.

``group_members.departed`` marks a member who left the programme while the round ran: rejoining
later does not put them back in that group. Groups stored before this revision have nobody marked.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 15:00:00.000000
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEX = "ix_reflections_community_id_round_number_group_index"
_UNIQUE = "uq_reflections_community_id_round_number_group_index"


def _posted_text(connection: sa.Connection, community_id: str, number: int, index: int) -> str:
    key = f"round:{number}:group:{index}:takeaway"
    message: Any = connection.execute(
        sa.text("SELECT message FROM outbox WHERE community_id = :c AND key = :k"),
        {"c": community_id, "k": key},
    ).scalar()
    if isinstance(message, str):  # SQLite hands JSON back as text
        message = json.loads(message)
    return str(message.get("text", "")) if isinstance(message, dict) else ""


def _keep_one_takeaway_per_group(connection: sa.Connection) -> None:
    duplicated = connection.execute(
        sa.text(
            "SELECT community_id, round_number, group_index FROM reflections "
            "GROUP BY community_id, round_number, group_index HAVING COUNT(*) > 1"
        )
    ).all()
    for community_id, number, index in duplicated:
        rows = connection.execute(
            sa.text(
                "SELECT id, text FROM reflections WHERE community_id = :c AND round_number = :n "
                "AND group_index = :g ORDER BY id"
            ),
            {"c": community_id, "n": number, "g": index},
        ).all()
        posted = _posted_text(connection, community_id, number, index)
        shown = [row_id for row_id, text in rows if text.strip() and text.strip() in posted]
        keep = shown[0] if len(shown) == 1 else rows[0][0]
        connection.execute(
            sa.text(
                "DELETE FROM reflections WHERE community_id = :c AND round_number = :n "
                "AND group_index = :g AND id <> :keep"
            ),
            {"c": community_id, "n": number, "g": index, "keep": keep},
        )


def upgrade() -> None:
    _keep_one_takeaway_per_group(op.get_bind())
    with op.batch_alter_table("reflections") as batch:
        batch.drop_index(_INDEX)
        batch.create_unique_constraint(_UNIQUE, ["community_id", "round_number", "group_index"])
    with op.batch_alter_table("group_members") as batch:
        batch.add_column(
            sa.Column("departed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("group_members") as batch:
        batch.drop_column("departed")
    with op.batch_alter_table("reflections") as batch:
        batch.drop_constraint(_UNIQUE, type_="unique")
        batch.create_index(_INDEX, ["community_id", "round_number", "group_index"], unique=False)
