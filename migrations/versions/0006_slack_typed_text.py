"""Store Slack slash-command text as typed: "R&amp;D" becomes "R&D", "<https://x.example>" becomes
"https://x.example", in organisations, contact notes and takeaways of Slack communities.

Slack sends &, < and > in slash-command text as &amp; &lt; &gt;, and links and mentions it
recognised as its markup (<https://...>, <@U2|bob>); until now that text was stored as sent,
while the same words sent through the takeaway form (or from Discord) were stored as typed.
Messages now escape typed text themselves, so a stored "R&amp;D" would read so in every intro.
A person named with a mention stays a mention, without its label ("<@U2|bob>" becomes "<@U2>"),
so it still shows as their name and erasing them still finds it.
Rows do not record whether they came from a command or the form, so a form answer in which
someone literally typed "&amp;" or "<!here>" is read the same way: rare, and it only turns an
entity into its character or markup into the words it showed. Downgrading leaves the text as is.

The conversion is written out here rather than imported, so this revision never changes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 15:10:00.000000
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SLACK_MARKUP = re.compile(
    r"<(?:(?P<ref>[@#][A-Z0-9]+)|!(?P<special>here|channel|everyone)|!subteam\^[A-Z0-9]+"
    r"|(?P<url>(?:https?|mailto):[^|>\s]+))(?:\|(?P<label>[^>]*))?>"
)
_TYPED_COLUMNS = (
    ("members", "member_id", "organisation"),
    ("members", "member_id", "contact"),
    ("reflections", "id", "text"),
)


def _as_shown(found: re.Match[str]) -> str:
    label = found["label"]
    ref = found["ref"]
    if ref and ref.startswith("@"):
        return f"<{ref}>"  # a person stays a mention: shown by name, and erasure can find it
    if ref:
        return "#" + label if label else ref
    if found["special"]:
        return "@" + found["special"]
    return label or found["url"] or found[0]


def _as_typed(text: str) -> str:
    text = _SLACK_MARKUP.sub(_as_shown, text)
    # "&amp;" last, so a typed "&lt;" (sent as "&amp;lt;") comes back as "&lt;", not "<"
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def upgrade() -> None:
    connection = op.get_bind()
    slack = "SELECT id FROM communities WHERE platform = 'slack'"
    for table, key, column in _TYPED_COLUMNS:
        rows = connection.execute(
            sa.text(
                f"SELECT community_id, {key}, {column} FROM {table} "
                f"WHERE community_id IN ({slack}) AND ({column} LIKE '%&%' OR {column} LIKE '%<%')"
            )
        ).all()
        for community_id, row_key, value in rows:
            typed = _as_typed(value)
            if typed != value:
                connection.execute(
                    sa.text(
                        f"UPDATE {table} SET {column} = :typed "
                        f"WHERE community_id = :community_id AND {key} = :key"
                    ),
                    {"typed": typed, "community_id": community_id, "key": row_key},
                )


def downgrade() -> None:
    pass
