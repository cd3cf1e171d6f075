"""Store Slack slash-command text as typed: "R&amp;D" becomes "R&D" in organisations, contact notes
and takeaways of Slack communities.

Slack sends &, < and > in slash-command text as &amp; &lt; &gt;, and until now that escaped text
was stored, while the same words sent through the takeaway form (or from Discord) were stored as
typed. Messages now escape typed text themselves, so an escaped row would show "R&amp;D" in every
intro. Rows do not record whether they came from a command or the form, so a Slack form answer
in which someone literally typed "&amp;" is read as "&" too: rare, and it only turns an entity into
the character it names. Downgrading leaves the text as typed, which the older code also reads.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 15:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# "&amp;" last, so a typed "&lt;" (sent as "&amp;lt;") comes back as "&lt;", not "<"
_UNESCAPED = "REPLACE(REPLACE(REPLACE({column}, '&lt;', '<'), '&gt;', '>'), '&amp;', '&')"
_SLACK = "community_id IN (SELECT id FROM communities WHERE platform = 'slack')"
_TYPED_COLUMNS = (("members", "organisation"), ("members", "contact"), ("reflections", "text"))


def upgrade() -> None:
    for table, column in _TYPED_COLUMNS:
        op.execute(
            f"UPDATE {table} SET {column} = {_UNESCAPED.format(column=column)} "
            f"WHERE {_SLACK} AND {column} LIKE '%&%'"
        )


def downgrade() -> None:
    pass
