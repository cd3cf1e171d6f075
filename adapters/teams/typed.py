"""A Teams message's text as the core's command text: the bot's mention dropped, people and
channels named by mention turned into the core's ``<@id>`` and ``<#id>``.

Teams sends the text as HTML-ish: ``<at>Name</at>`` for each mention (an entity says whom it
names) and ``&amp;`` and the like for typed characters, which are given back as typed.
"""

from __future__ import annotations

import html
import re
from typing import Any

from adapters.teams.people import People

__all__ = ["command_text"]

_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r" {2,}")
_LEADING_WORD = re.compile(r"^/?unmentor\b\s*", re.IGNORECASE)


async def command_text(activity: dict[str, Any], people: People, community_id: str) -> str:
    """Return the words after the bot's name, with mentions as the core reads them."""
    text = str(activity.get("text") or "")
    bot = str((activity.get("recipient") or {}).get("id", ""))
    for entity in activity.get("entities") or []:
        if entity.get("type") != "mention":
            continue
        shown, mentioned = str(entity.get("text") or ""), entity.get("mentioned") or {}
        whom = str(mentioned.get("id", ""))
        if not shown or shown not in text:
            continue
        if whom == bot:
            replacement = " "
        elif whom.startswith("19:"):  # a channel
            name = str(mentioned.get("name") or "channel")
            replacement = f"<#{await people.channel(activity, whom, name, community_id)}>"
        else:
            person = await people.named(activity, whom, community_id)
            replacement = f"<@{person.member_id}>" if person else shown
        text = text.replace(shown, "\x00" + replacement + "\x00", 1)
    # everything but the mentions just written: tags dropped, characters as typed
    parts = text.split("\x00")
    text = "".join(
        part if i % 2 else html.unescape(_TAG.sub(" ", part)) for i, part in enumerate(parts)
    )
    text = _SPACES.sub(" ", text.replace("\xa0", " "))
    return _LEADING_WORD.sub("", text.strip()).strip()
