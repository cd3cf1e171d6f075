"""The core's messages as Adaptive Cards: text in Teams' markdown, buttons as Universal Actions.

Every button is an ``Action.Execute`` whose ``verb`` is the core's action id and whose data
carries the core's value and the community, so a press in a 1:1 chat (where no team is named)
runs in the card's own community, and Teams shows the card the bot answers with in its place.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from pairing_core.message import Attachment, Message
from pairing_core.typed_input import RATINGS

__all__ = [
    "CARD_TYPE",
    "TAKEAWAY_VERB",
    "card",
    "card_activity",
    "deep_link",
    "takeaway_form",
    "teams_text",
]

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.4"  # Universal Actions need 1.4
TAKEAWAY_VERB = "unmentor_takeaway"

_BOLD = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")
_LINK = re.compile(r"<(https?://[^|>\s]+)\|([^>]+)>")
_PERSON = re.compile(r"<@([A-Za-z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([A-Za-z0-9]+)(?:\|([^>]*))?>")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_CHARS = {"amp": "&", "lt": "<", "gt": ">"}

Names = Callable[[str], str]


def teams_text(text: str, name_of: Names, channel_name: Names | None = None) -> str:
    """Render the core's markup as the markdown an Adaptive Card's TextBlock shows.

    Typed text reaches the markup escaped, so it never makes a link: a "](" it holds is split
    before links are written, so it cannot become a masked link either.
    """
    text = text.replace("](", "]\u200b(")
    text = _BOLD.sub(r"**\1**", text)
    text = _LINK.sub(lambda m: f"[{m[2]}]({m[1]})", text)
    text = _PERSON.sub(lambda m: f"**{name_of(m[1])}**", text)
    text = _CHANNEL.sub(
        lambda m: "#" + (m[2] or (channel_name(m[1]) if channel_name else "channel")), text
    )
    text = text.replace("\n• ", "\n- ")
    return _ENTITY.sub(lambda m: _CHARS[m[1]], text)


def card(
    message: Message,
    community_id: str,
    name_of: Names,
    *,
    channel_name: Names | None = None,
    links: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """Return the message as an Adaptive Card; ``links`` are (title, url) buttons first."""
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": teams_text(message.text, name_of, channel_name), "wrap": True}
    ]
    body += [_file_element(attachment) for attachment in message.attachments]
    actions: list[dict[str, Any]] = [
        {"type": "Action.OpenUrl", "title": title, "url": url} for title, url in links
    ]
    actions += [
        {
            "type": "Action.Execute",
            "title": action.label,
            "verb": action.action_id,
            "data": {"community": community_id, "value": action.value},
        }
        for action in message.actions
    ]
    found: dict[str, Any] = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION}
    found["body"] = body
    if actions:
        found["actions"] = actions
    return found


# Teams refuses a card over about 28 KB: a bigger text file is shown over several cards, a
# bigger image is named.
_INLINE_LIMIT = 20_000


def _file_element(attachment: Attachment) -> dict[str, Any]:
    """Show a file in the card: an image (a chart) as itself, text (a data export) as code.

    A bot's files in Teams need a consent card and OneDrive; these files are small enough to show
    (``overflow_cards`` carries the rest of a longer text file).
    """
    if attachment.media_type.startswith("image/") and len(attachment.content) < _INLINE_LIMIT:
        data = base64.b64encode(attachment.content).decode("ascii")
        url = f"data:{attachment.media_type};base64,{data}"
        return {"type": "Image", "url": url, "altText": attachment.filename}
    if attachment.media_type.startswith("image/"):
        return {
            "type": "TextBlock",
            "text": f"({attachment.filename} is too big to show in Teams; its figures are in the"
            " text above, and on the dashboard.)",
            "wrap": True,
            "isSubtle": True,
        }
    parts = _text_parts(attachment)
    note = f"{attachment.filename}, part 1 of {len(parts)}:\n" if len(parts) > 1 else ""
    return _code_block(note, parts[0])


def _text_parts(attachment: Attachment) -> list[str]:
    text = attachment.content.decode("utf-8", errors="replace")
    return [text[i : i + _INLINE_LIMIT] for i in range(0, len(text), _INLINE_LIMIT)] or [""]


def _code_block(note: str, text: str) -> dict[str, Any]:
    return {
        "type": "TextBlock",
        "text": f"{note}```\n{text}\n```",
        "wrap": True,
        "fontType": "Monospace",
    }


def overflow_cards(message: Message) -> list[dict[str, Any]]:
    """Return the cards that carry the rest of any text file too long for the message's card.

    Each holds one part, named ``file, part k of n``; joined in order they are the whole file.
    """
    found: list[dict[str, Any]] = []
    for attachment in message.attachments:
        if attachment.media_type.startswith("image/"):
            continue
        parts = _text_parts(attachment)
        for k, part in enumerate(parts[1:], start=2):
            body = [_code_block(f"{attachment.filename}, part {k} of {len(parts)}:\n", part)]
            found.append(
                {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body}
            )
    return found


def card_activity(content: dict[str, Any]) -> dict[str, Any]:
    """Return a message activity carrying one card."""
    return {"type": "message", "attachments": [{"contentType": CARD_TYPE, "content": content}]}


def deep_link(upns: Sequence[str], topic: str) -> str:
    """Return the link that opens a Teams group chat with these people (bots cannot open one)."""
    users = ",".join(quote(upn, safe="@.") for upn in upns)
    return f"https://teams.microsoft.com/l/chat/0/0?users={users}&topicName={quote(topic)}"


def takeaway_form(
    community_id: str, group_value: str, prompt: str, typed: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return the takeaway form: the text, a 1-5 rating, and whether to keep it private.

    ``typed``: what was sent last time, shown again when the form comes back with a refusal.
    """
    typed = typed or {}
    ratings = [{"title": str(n), "value": str(n)} for n in RATINGS]
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "body": [
            {"type": "TextBlock", "text": prompt, "wrap": True, "weight": "Bolder"},
            {
                "type": "Input.Text",
                "id": "takeaway",
                "label": "What did you take away from the conversation?",
                "isMultiline": True,
                "value": str(typed.get("takeaway", "")),
                "isRequired": True,
                "errorMessage": "Please write a takeaway.",
            },
            {
                "type": "Input.ChoiceSet",
                "id": "rating",
                "label": "Did it challenge your thinking? 1 (not at all) to 5 (a lot)",
                "choices": ratings,
                "value": str(typed.get("rating", "")),
            },
            {
                "type": "Input.Toggle",
                "id": "private",
                "title": "Keep it private",
                "value": str(typed.get("private", "false")),
            },
        ],
        "actions": [
            {
                "type": "Action.Execute",
                "title": "Share",
                "verb": TAKEAWAY_VERB,
                "data": {"community": community_id, "value": group_value},
            }
        ],
    }
