"""Turn the core's Slack-flavoured text into Discord markdown, in messages Discord accepts."""

from __future__ import annotations

import re

import discord

__all__ = ["MAX_LENGTH", "SAFE_MENTIONS", "chunks", "discord_text", "mentions_of"]

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
