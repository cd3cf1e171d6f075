"""Turn the core's Slack-flavoured text into Discord markdown, in messages Discord accepts."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import ui

from pairing_core.message import Message
from pairing_core.privacy import FORGET_ACTION
from pairing_core.round import CheckInAnswer
from pairing_core.texts import CHECKIN_ACTION, REFLECT_ACTION

__all__ = [
    "MAX_LENGTH",
    "SAFE_MENTIONS",
    "checkin_button",
    "chunks",
    "discord_text",
    "forget_button",
    "forget_view",
    "mentions_of",
    "message_view",
    "reflect_button",
]

MAX_LENGTH = 2000  # Discord's limit on a message's content

# People are pinged where they are introduced; nobody's text may ping a role or @everyone.
SAFE_MENTIONS = discord.AllowedMentions(everyone=False, roles=False, users=True, replied_user=False)

_BOLD = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")
_SLACK_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
_SLACK_REF = re.compile(r"<([@#])([A-Za-z0-9]+)\|[^>]*>")
_USER_MENTION = re.compile(r"<@!?(\d+)(?:\|[^>]*)?>")
# Code spans and blocks: Discord shows them as written, so nothing inside them is escaped.
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)
_ENTITY = re.compile(r"&(amp|lt|gt);")
# Outside code, a typed "<" is shown escaped so it never starts a mention, an emoji or a timestamp,
# and "[" so typed text never makes a masked link; "\\" so a typed backslash shows as itself.
_PROSE = {"amp": "&", "lt": "\\<", "gt": ">"}
_CODE_CHARS = {"amp": "&", "lt": "<", "gt": ">"}
_DISCORD_ESCAPES = str.maketrans({"\\": "\\\\", "[": "\\["})


def _prose(text: str) -> str:
    text = text.translate(_DISCORD_ESCAPES)
    text = _BOLD.sub(r"**\1**", text)
    text = _SLACK_LINK.sub(r"[\2](\1)", text)
    text = _SLACK_REF.sub(r"<\1\2>", text)
    return _ENTITY.sub(lambda found: _PROSE[found.group(1)], text)


def discord_text(text: str) -> str:
    """Render the core's markup as Discord markdown; typed text keeps every character.

    ``*bold*`` becomes ``**bold**``, Slack's labelled links and mentions Discord's, and the
    ``&amp;`` ``&lt;`` ``&gt;`` of typed text the characters themselves. Typed text never makes a
    masked link, a mention, an emoji or a timestamp; Discord's markdown in it (``__``, ``||``, a
    "#" heading) formats, as the core's own does: the two cannot be told apart here.
    """
    parts = _CODE.split(text)
    return "".join(
        _ENTITY.sub(lambda found: _CODE_CHARS[found.group(1)], part) if odd else _prose(part)
        for odd, part in ((i % 2 == 1, part) for i, part in enumerate(parts))
    )


def mentions_of(text: str) -> discord.AllowedMentions:
    """Allow pings of only the people the markup mentions: never everyone, here or a role.

    Typed text reaches the markup escaped (``&lt;@1&gt;``) except a person its writer named with a
    mention (``escape_prose``), who is told as when named anywhere else on the platform.
    """
    people = sorted({int(found) for found in _USER_MENTION.findall(text)})
    return discord.AllowedMentions(
        everyone=False,
        roles=False,
        users=[discord.Object(person) for person in people],
        replied_user=False,
    )


def _cut(line: str, limit: int) -> int:
    """Cut a long line at ``limit``, or one before it so no backslash escape loses its character."""
    trailing = len(line[:limit]) - len(line[:limit].rstrip("\\"))
    return limit - 1 if trailing % 2 and limit > 1 else limit


def chunks(text: str, limit: int = MAX_LENGTH) -> list[str]:
    """Split text into messages under Discord's limit, at line breaks where possible."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            cut = _cut(line, limit)
            parts.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts


# -- buttons: custom ids carry everything, so a press is understood after a restart ------------

_STYLES = {
    CheckInAnswer.MET: discord.ButtonStyle.success,
    CheckInAnswer.BOOKED: discord.ButtonStyle.primary,
    CheckInAnswer.NOT_THIS_TIME: discord.ButtonStyle.secondary,
}


def checkin_button(
    guild_id: int, round_number: int, group_index: int, choice: CheckInAnswer, label: str
) -> ui.Button[Any]:
    """Render one check-in answer: ``unmentor:checkin:<guild>:<round>:<group>:<answer>``."""
    custom_id = f"unmentor:checkin:{guild_id}:{round_number}:{group_index}:{choice.value}"
    return ui.Button(label=label, style=_STYLES[choice], custom_id=custom_id)


def reflect_button(
    guild_id: int, round_number: int, group_index: int, label: str
) -> ui.Button[Any]:
    """Render the takeaway form's opener: ``unmentor:reflect:<guild>:<round>:<group>``."""
    custom_id = f"unmentor:reflect:{guild_id}:{round_number}:{group_index}"
    return ui.Button(label=label, style=discord.ButtonStyle.primary, custom_id=custom_id)


def forget_button(guild_id: int, choice: str, label: str) -> ui.Button[Any]:
    """Render an erasure confirmation: ``unmentor:forget:<guild>:<delete|anonymise>``."""
    custom_id = f"unmentor:forget:{guild_id}:{choice}"
    return ui.Button(label=label, style=discord.ButtonStyle.danger, custom_id=custom_id)


class _Buttons(ui.View):
    """A rendered row of buttons, never stored by discord.py's view store.

    Presses are handled by the listeners' dynamic items, found by custom id (registered when the
    bot starts), so a sent message needs no view kept in memory for it.
    """

    def __init__(self) -> None:
        super().__init__(timeout=None)

    def is_dispatchable(self) -> bool:
        return False


def message_view(community: str, message: Message) -> ui.View | None:
    """Render a message's buttons as a persistent view (no timeout, stable custom ids)."""
    if not message.actions:
        return None
    guild, view = int(community.removeprefix("discord:")), _Buttons()
    for action in message.actions:
        parts = action.value.split(":")
        if action.action_id == CHECKIN_ACTION:
            number, index, choice = int(parts[0]), int(parts[1]), CheckInAnswer(parts[2])
            view.add_item(checkin_button(guild, number, index, choice, action.label))
        elif action.action_id == REFLECT_ACTION:
            view.add_item(reflect_button(guild, int(parts[0]), int(parts[1]), action.label))
    return view


def forget_view(guild_id: int, message: Message) -> ui.View | None:
    """Render a reply's forget-me buttons, if it has any."""
    buttons = [a for a in message.actions if a.action_id == FORGET_ACTION]
    if not buttons:
        return None
    view = _Buttons()
    for action in buttons:
        view.add_item(forget_button(guild_id, action.value, action.label))
    return view
