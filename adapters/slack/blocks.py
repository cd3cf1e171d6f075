"""Render the core's platform-neutral messages as Slack Block Kit."""

from __future__ import annotations

from typing import Any

from pairing_core.message import Message

__all__ = ["action_pattern", "message_blocks"]

# Slack limits a section's text to 3,000 characters.
_SECTION_LIMIT = 3000


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


def message_blocks(message: Message) -> list[dict[str, Any]]:
    """Return a mrkdwn section (``<@id>`` mentions are Slack's own syntax) and the message's buttons."""
    blocks = _sections(message.text)
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
