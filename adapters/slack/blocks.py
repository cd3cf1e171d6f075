"""Render the core's platform-neutral messages as Slack Block Kit."""

from __future__ import annotations

from typing import Any

from pairing_core.message import Attachment, Message, escape_markup

__all__ = ["action_pattern", "message_blocks"]

# Slack limits a section's text to 3,000 characters, and a message to 50 blocks.
_SECTION_LIMIT = 3000
_BLOCK_LIMIT = 50
_FENCE = "```"


def _sections(text: str) -> list[dict[str, Any]]:
    chunks, rest = [], text or " "
    while rest:
        if len(rest) <= _SECTION_LIMIT:
            chunks.append(rest)
            break
        cut = rest.rfind("\n", 0, _SECTION_LIMIT)
        cut = cut if cut > 0 else _SECTION_LIMIT
        chunks.append(rest[:cut])
        rest = rest[cut:].lstrip("\n")
    return [{"type": "section", "text": {"type": "mrkdwn", "text": c}} for c in chunks]


def _escaped_parts(text: str, size: int) -> list[str]:
    """Escape the file's text for mrkdwn, in parts of at most ``size`` that never split ``&amp;``."""
    parts: list[str] = []
    current: list[str] = []
    length = 0
    for char in text:
        written = escape_markup(char)
        if length + len(written) > size:
            parts.append("".join(current))
            current, length = [], 0
        current.append(written)
        length += len(written)
    parts.append("".join(current))
    return parts


def _file_blocks(attachment: Attachment, room: int) -> list[dict[str, Any]]:
    """Show a text file inline as code blocks; a file too long for one message is declined.

    Inline rather than uploaded: shown only to the person who asked, it leaves no copy in Slack's
    files. Images (the stats chart) are uploaded to the asker's DM before this (``files.py``).
    """
    if not attachment.media_type.startswith(("application/json", "text/")):
        return _sections(f"({attachment.filename} can't be shown in Slack.)")
    # escaped, so a takeaway such as "<!channel>" in an export shows as written and pings nobody
    parts = _escaped_parts(attachment.content.decode(), _SECTION_LIMIT - 2 * len(_FENCE) - 2)
    if len(parts) > room:
        return _sections(
            f"({attachment.filename} is too long to show in Slack; ask an admin for a copy.)"
        )
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"{_FENCE}\n{part}\n{_FENCE}"}}
        for part in parts
    ]


def message_blocks(message: Message) -> list[dict[str, Any]]:
    """Return mrkdwn sections (``<@id>`` mentions are Slack's own syntax), files and buttons."""
    blocks = _sections(message.text)
    for attachment in message.attachments:
        blocks += _file_blocks(attachment, _BLOCK_LIMIT - len(blocks) - 1)
    if message.actions:
        blocks.append(
            {
                "type": "actions",
                "block_id": "unmentor_actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": action.label},
                        # Slack wants action ids unique within a block; listeners match the prefix
                        "action_id": f"{action.action_id}:{index}",
                        "value": action.value,
                    }
                    for index, action in enumerate(message.actions)
                ],
            }
        )
    return blocks


def action_pattern(action_id: str) -> str:
    """Return the regular expression matching every rendered button of ``action_id``."""
    return rf"^{action_id}(:\d+)?$"
