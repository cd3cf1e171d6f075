"""Turn the core's Slack-flavoured text into Discord markdown, in messages Discord accepts."""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from typing import Any

import discord
from discord import ui

from pairing_core.button_values import read_checkin
from pairing_core.message import Message
from pairing_core.privacy import FORGET_ACTION
from pairing_core.round import CheckInAnswer
from pairing_core.services.programme_choice import CHOOSE_PROGRAMME_ACTION
from pairing_core.texts import CHECKIN_ACTION, REFLECT_ACTION

__all__ = [
    "CHOICE_PREFIX",
    "CUSTOM_ID_LENGTH",
    "GUILD_COMMAND_PREFIX",
    "MAX_LENGTH",
    "SAFE_MENTIONS",
    "checkin_button",
    "ChoiceTexts",
    "choice_button",
    "chunks",
    "discord_text",
    "forget_button",
    "guild_command_id",
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

# Discord refuses a message whose buttons have a custom id longer than this.
CUSTOM_ID_LENGTH = 100
CHOICE_PREFIX = "unmentor:programme:"
# A delivered message's command button, with its server: it works when pressed in a DM too.
GUILD_COMMAND_PREFIX = "unmentor:run:"
MAX_BUTTONS = 25  # five rows of five: Discord's most on one message

_STYLES = {
    CheckInAnswer.MET: discord.ButtonStyle.success,
    CheckInAnswer.BOOKED: discord.ButtonStyle.primary,
    CheckInAnswer.NOT_THIS_TIME: discord.ButtonStyle.secondary,
}


def checkin_button(guild_id: int, value: str, label: str) -> ui.Button[Any]:
    """Render one check-in answer: ``unmentor:checkin:<guild>:<value>``.

    ``value`` is the core's (``round:group:answer[:programme]``, see ``button_values``).
    """
    found = read_checkin(value)
    style = _STYLES[found.answer] if found else discord.ButtonStyle.secondary
    return ui.Button(label=label, style=style, custom_id=f"unmentor:checkin:{guild_id}:{value}")


def reflect_button(guild_id: int, value: str, label: str) -> ui.Button[Any]:
    """Render the takeaway form's opener: ``unmentor:reflect:<guild>:<round:group[:programme]>``."""
    custom_id = f"unmentor:reflect:{guild_id}:{value}"
    return ui.Button(label=label, style=discord.ButtonStyle.primary, custom_id=custom_id)


def forget_button(guild_id: int, choice: str, label: str) -> ui.Button[Any]:
    """Render an erasure confirmation: ``unmentor:forget:<guild>:<delete|anonymise>``."""
    custom_id = f"unmentor:forget:{guild_id}:{choice}"
    return ui.Button(label=label, style=discord.ButtonStyle.danger, custom_id=custom_id)


class ChoiceTexts:
    """The commands of programme-choice buttons too long for a custom id, kept in memory.

    A choice's command goes in its button's custom id when it fits (most do); a longer one
    (``join NAME`` with a long organisation) is named by a digest and kept here, for the most
    recent ``limit`` of them. After a restart such a button is answered with a request to type
    the command again.
    """

    def __init__(self, limit: int = 1000) -> None:
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._limit = limit

    def custom_id(self, text: str) -> str:
        """Return the custom id of a button running ``text``, remembering it if need be."""
        custom_id = CHOICE_PREFIX + text
        if len(custom_id) <= CUSTOM_ID_LENGTH:
            return custom_id
        custom_id = f"{CHOICE_PREFIX}#{hashlib.sha256(text.encode()).hexdigest()[:32]}"
        self._texts[custom_id] = text
        self._texts.move_to_end(custom_id)
        while len(self._texts) > self._limit:
            self._texts.popitem(last=False)
        return custom_id

    def text(self, custom_id: str) -> str | None:
        """Return the command a pressed button runs; None when it was forgotten."""
        if custom_id.startswith(CHOICE_PREFIX + "#"):
            return self._texts.get(custom_id)
        return custom_id.removeprefix(CHOICE_PREFIX) or None


def choice_button(custom_id: str, label: str) -> ui.Button[Any]:
    """Render a programme choice (``custom_id`` from ``ChoiceTexts``)."""
    return ui.Button(label=label[:80], style=discord.ButtonStyle.secondary, custom_id=custom_id)


def guild_command_id(guild_id: int, text: str) -> str:
    """Return the custom id of a button that runs ``text`` in the server ``guild_id``."""
    return f"{GUILD_COMMAND_PREFIX}{guild_id}:{text}"


class _Buttons(ui.View):
    """A rendered row of buttons, never stored by discord.py's view store.

    Presses are handled by the listeners' dynamic items, found by custom id (registered when the
    bot starts), so a sent message needs no view kept in memory for it.
    """

    def __init__(self) -> None:
        super().__init__(timeout=None)

    def is_dispatchable(self) -> bool:
        return False


def message_view(
    guild_id: int, message: Message, choices: ChoiceTexts | None = None
) -> ui.View | None:
    """Render a message's buttons as a persistent view (no timeout, stable custom ids).

    Programme choices too long for a custom id are rendered only with ``choices`` (replies to a
    person carry them); shorter command buttons (an intro's ``book N``) carry their text.
    """
    view = _Buttons()
    for action in message.actions[:MAX_BUTTONS]:
        if action.action_id == CHECKIN_ACTION:
            view.add_item(checkin_button(guild_id, action.value, action.label))
        elif action.action_id == REFLECT_ACTION:
            view.add_item(reflect_button(guild_id, action.value, action.label))
        elif action.action_id == FORGET_ACTION:
            view.add_item(forget_button(guild_id, action.value, action.label))
        elif action.action_id == CHOOSE_PROGRAMME_ACTION and choices is not None:
            view.add_item(choice_button(choices.custom_id(action.value), action.label))
        elif (
            action.action_id == CHOOSE_PROGRAMME_ACTION
            and len(guild_command_id(guild_id, action.value)) <= CUSTOM_ID_LENGTH
        ):
            # a delivered message's command button (``book 2 ...``, a DM's ``resume``): its text
            # and server are its custom id, so a press in a DM knows the server
            view.add_item(choice_button(guild_command_id(guild_id, action.value), action.label))
        elif (
            action.action_id == CHOOSE_PROGRAMME_ACTION
            and len(CHOICE_PREFIX + action.value) <= CUSTOM_ID_LENGTH
        ):
            # too long to carry the server too: works where the server is known (a thread)
            view.add_item(choice_button(CHOICE_PREFIX + action.value, action.label))
    return view if view.children else None
