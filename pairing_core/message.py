"""Platform-neutral outgoing messages, and the outbox rows that carry them to a platform.

Message text is written in a light markup, Slack's own: ``<@id>`` mentions, ``<#id>`` channels,
``<https://...|label>`` links, ``*bold*``, ``_italic_``. In it a literal ``&``, ``<`` or ``>`` is
written ``&amp;``, ``&lt;``, ``&gt;`` (Slack's escaping), so text a person typed or a platform
returned (a takeaway, an organisation, a contact note, a name, an error) goes in through
``escape_markup`` and can never become a mention, a channel-wide ping or a disguised link.
Prose that may name a colleague (a takeaway, a contact note) goes through ``escape_prose``,
which keeps just the bare ``<@id>`` mentions in it.
Adapters render the markup and turn those three entities back into the characters.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

__all__ = [
    "SENT_REF",
    "Action",
    "Attachment",
    "Message",
    "OutboxItem",
    "OutboxStatus",
    "Target",
    "TargetKind",
    "escape_markup",
    "escape_prose",
    "unescape_markup",
]

_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


def escape_markup(text: str) -> str:
    """Write typed text into message markup: every character shows, none becomes markup.

    (Formatting a platform reads in plain text, such as Discord's Markdown, still formats.)
    """
    for char, entity in _ESCAPES:
        text = text.replace(char, entity)
    return text


# A person named with a mention, as a platform sends it: Slack "<@U2>" or "<@U2|label>",
# Discord "<@123>" or "<@!123>".
_TYPED_MENTION = re.compile(r"<@!?([A-Za-z0-9]+)(?:\|[^<>]*)?>")


def escape_prose(text: str) -> str:
    """Like ``escape_markup``, but a person the writer named with a mention stays a mention.

    A takeaway or contact note may name a colleague (``<@U2>``): kept as the platform's id, it
    shows as their current name and erasure can find it, where "@bob.smith" would keep a handle
    nobody could take out. Only the bare ``<@id>`` form is kept, so no label can disguise it.
    """
    parts: list[str] = []
    last = 0
    for found in _TYPED_MENTION.finditer(text):
        parts += [escape_markup(text[last : found.start()]), f"<@{found[1]}>"]
        last = found.end()
    parts.append(escape_markup(text[last:]))
    return "".join(parts)


def unescape_markup(text: str) -> str:
    """Turn ``&amp;``, ``&lt;`` and ``&gt;`` back into the characters they stand for."""
    for char, entity in reversed(_ESCAPES):
        text = text.replace(entity, char)
    return text


@dataclass(frozen=True)
class Action:
    """A button: adapters render it natively and route a press back as ``action_id`` + ``value``."""

    action_id: str
    label: str
    value: str


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message: a data export or report, or a round summary's chart.

    Stored with its message in the outbox (base64 in ``Message.to_dict``).
    """

    filename: str
    content: bytes
    media_type: str


@dataclass(frozen=True)
class Message:
    """Text (with light markdown: *bold*, _italic_, bullet lines, ``<https://...|label>`` links,
    and ``&amp;`` ``&lt;`` ``&gt;`` for those characters: see the module's docstring) plus
    optional buttons and files.
    """

    text: str
    actions: tuple[Action, ...] = ()
    attachments: tuple[Attachment, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "actions": [
                {"action_id": a.action_id, "label": a.label, "value": a.value} for a in self.actions
            ],
            "attachments": [
                {
                    "filename": a.filename,
                    "media_type": a.media_type,
                    "content_base64": base64.b64encode(a.content).decode("ascii"),
                }
                for a in self.attachments
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Message:
        return cls(
            text=str(data["text"]),
            actions=tuple(
                Action(str(a["action_id"]), str(a["label"]), str(a["value"]))
                for a in data.get("actions", ())
            ),
            attachments=tuple(
                Attachment(
                    str(a["filename"]),
                    base64.b64decode(str(a["content_base64"])),
                    str(a["media_type"]),
                )
                for a in data.get("attachments", ())
            ),
        )


class TargetKind(StrEnum):
    GROUP = "group"  # one conversation with every listed member
    MEMBER = "member"  # a direct message to one member
    CHANNEL = "channel"  # a public channel


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    ids: tuple[str, ...]

    @classmethod
    def group(cls, members: tuple[str, ...]) -> Target:
        return cls(TargetKind.GROUP, tuple(members))

    @classmethod
    def member(cls, member_id: str) -> Target:
        return cls(TargetKind.MEMBER, (member_id,))

    @classmethod
    def channel(cls, channel_id: str) -> Target:
        return cls(TargetKind.CHANNEL, (channel_id,))


# The ``extra`` entry of a sent outbox item holding the platform's reference to what it posted.
SENT_REF = "sent_ref"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


@dataclass
class OutboxItem:
    """A message written in the same transaction as the change that causes it.

    ``key`` is unique per community (e.g. ``round:3:group:2:intro``), so a step that runs twice
    writes its messages once and a delivery worker can send each exactly once.
    """

    community_id: str
    key: str
    target: Target
    message: Message
    created_at: datetime
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    last_error: str | None = None
    sent_at: datetime | None = None
    conversation_id: str | None = None
    not_before: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # When the earliest attempt not yet known to have failed or succeeded started: an item that
    # has one may have reached the platform, and is looked for there before it is sent again.
    attempt_started_at: datetime | None = None

    @property
    def link(self) -> str | None:
        """Return the address people can open to see the sent message, if the platform gave one."""
        ref = self.extra.get(SENT_REF)
        if self.status is OutboxStatus.SENT and isinstance(ref, str):
            return ref if ref.startswith(("https://", "http://")) else None
        return None
