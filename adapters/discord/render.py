"""Turn the core's Slack-flavoured text into Discord markdown, in messages Discord accepts."""

from __future__ import annotations

import re

import discord

__all__ = ["MAX_LENGTH", "SAFE_MENTIONS", "chunks", "discord_text"]

MAX_LENGTH = 2000  # Discord's limit on a message's content

# People are pinged where they are introduced; nobody's text may ping a role or @everyone.
SAFE_MENTIONS = discord.AllowedMentions(everyone=False, roles=False, users=True, replied_user=False)

_BOLD = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")
_SLACK_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
_SLACK_REF = re.compile(r"<([@#])([A-Za-z0-9]+)\|[^>]*>")


def discord_text(text: str) -> str:
    """Render ``*bold*`` as ``**bold**`` and Slack's labelled links and mentions as Discord's."""
    text = _BOLD.sub(r"**\1**", text)
    text = _SLACK_LINK.sub(r"[\2](\1)", text)
    return _SLACK_REF.sub(r"<\1\2>", text)


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
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts
